/**
 * The selection model of the file browser, as pure functions over item keys in the current sort order.
 * "The anchor is the last item clicked without shift; the range is over the current sort order, including
 * items not yet rendered" (shared/ui-lessons.md): ranges run over every loaded item, not only the visible ones.
 */
export interface Selection {
  readonly selected: ReadonlySet<string>;
  /** Where a shift-range starts: the last item clicked or toggled without shift. */
  readonly anchor: string | null;
}

export const emptySelection: Selection = { selected: new Set(), anchor: null };

/** Plain click: just this item. */
export function selectOnly(key: string): Selection {
  return { selected: new Set([key]), anchor: key };
}

/** Ctrl/Cmd-click or Space: flip this item, keep the rest; it becomes the anchor. */
export function toggle(selection: Selection, key: string): Selection {
  const selected = new Set(selection.selected);
  if (selected.has(key)) selected.delete(key);
  else selected.add(key);
  return { selected, anchor: key };
}

/**
 * Shift-click: the items from the anchor to `key` in `order`. With `additive` (Ctrl/Cmd+Shift) the range is
 * added to the selection, otherwise it replaces it. The anchor stays where it was.
 */
export function selectRange(
  selection: Selection,
  key: string,
  order: readonly string[],
  additive = false,
): Selection {
  const anchor = selection.anchor !== null && order.includes(selection.anchor) ? selection.anchor : key;
  const from = order.indexOf(anchor);
  const to = order.indexOf(key);
  if (to === -1) return selection;
  const [start, end] = from <= to ? [from, to] : [to, from];
  const selected = new Set(additive ? selection.selected : []);
  for (const item of order.slice(start, end + 1)) selected.add(item);
  return { selected, anchor };
}

/** Ctrl/Cmd-A: everything loaded. */
export function selectAll(order: readonly string[]): Selection {
  return { selected: new Set(order), anchor: order[0] ?? null };
}

/** Drops keys that are no longer listed (moved, deleted, filtered out); the anchor too if it went. */
export function prune(selection: Selection, order: readonly string[]): Selection {
  const present = new Set(order);
  const kept = [...selection.selected].filter((key) => present.has(key));
  const anchor = selection.anchor !== null && present.has(selection.anchor) ? selection.anchor : null;
  if (kept.length === selection.selected.size && anchor === selection.anchor) return selection;
  return { selected: new Set(kept), anchor };
}

/** The keys of a selection in list order (what bulk actions act on). */
export function selectedInOrder(selection: Selection, order: readonly string[]): string[] {
  return order.filter((key) => selection.selected.has(key));
}
