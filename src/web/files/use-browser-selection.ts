import { useEffect, useMemo, useState, type MouseEvent } from 'react';
import { singleSelection, type PickerMode } from '../picker/picker-context';
import type { Item } from './api/items';
import {
  emptySelection,
  prune,
  selectOnly,
  selectRange,
  selectedInOrder,
  toggle,
  type Selection,
} from './selection';
import { useTouchSelection } from './use-touch-selection';

/**
 * The browser's selection: empty in each new listing, without the items that left it, a single item in a
 * single-choice picker (which hears of every change). Clicks select as a file manager does (Shift: a range,
 * Ctrl/Cmd: one more); on a touch screen, a long press starts selecting and taps then add or remove.
 */
export function useBrowserSelection({
  picker,
  listingKey,
  order,
  byKey,
  focus,
}: {
  picker: PickerMode | null;
  listingKey: string;
  order: readonly string[];
  byKey: ReadonlyMap<string, Item>;
  focus: (index: number, fromKeyboard: boolean) => void;
}) {
  const [anySelection, setSelection] = useState<Selection>(emptySelection);
  const selection = picker && !picker.multiple ? singleSelection(anySelection) : anySelection;

  // A new folder or listing starts with nothing selected.
  useEffect(() => {
    setSelection(emptySelection);
  }, [listingKey]);
  // Items that left the listing (moved, deleted) leave the selection too.
  useEffect(() => setSelection((current) => prune(current, order)), [order]);

  const selectedItems = useMemo(
    () =>
      selectedInOrder(selection, order)
        .map((key) => byKey.get(key))
        .filter((i): i is Item => !!i),
    [selection, order, byKey],
  );
  useEffect(() => picker?.setSelection(selectedItems), [picker, selectedItems]);

  const touch = useTouchSelection(selection, setSelection);
  const onItemClick = (event: MouseEvent, item: Item, index: number) => {
    if (touch.selecting) {
      setSelection((current) => toggle(current, item.key));
      return;
    }
    if (event.shiftKey) {
      setSelection((current) => selectRange(current, item.key, order, event.ctrlKey || event.metaKey));
    } else if (event.ctrlKey || event.metaKey) {
      setSelection((current) => toggle(current, item.key));
    } else {
      setSelection(selectOnly(item.key));
    }
    focus(index, false);
  };

  // A click on the grid's empty space (not on a tile, not with a modifier) clears the selection.
  const clearOnEmptySpace = (event: MouseEvent) => {
    const target = event.target as HTMLElement;
    if (event.shiftKey || event.ctrlKey || event.metaKey) return;
    if (target.closest('[role="gridcell"][data-key], [role="columnheader"], button, a, input')) return;
    setSelection(emptySelection);
  };

  const clear = () => setSelection(emptySelection);

  return {
    /** As set, before a single-choice picker keeps one item of it (scroll restoration saves this). */
    anySelection,
    selection,
    setSelection,
    selectedItems,
    onItemClick,
    onItemLongPress: touch.onLongPress,
    clearOnEmptySpace,
    clear,
  };
}

export type BrowserSelection = ReturnType<typeof useBrowserSelection>;
