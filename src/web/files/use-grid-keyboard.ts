import { useEffect, useState, type Dispatch, type KeyboardEvent, type SetStateAction } from 'react';
import type { PickerMode } from '../picker/picker-context';
import type { Item } from './api/items';
import { isTyping } from './is-typing';
import { emptySelection, selectAll, selectOnly, selectRange, toggle, type Selection } from './selection';
import type { FarEnd } from './use-far-end';

/**
 * The grid's keys, as in a desktop file manager: arrows, Home/End and Page Up/Down move the current item
 * (Shift extends the selection), Space toggles it, Enter opens it, Esc clears the selection, Delete asks to
 * trash (in the trash: to delete forever), F2 renames, Ctrl/Cmd+A selects all. In a big folder read from both
 * ends, End reads the end first and then goes to the last item.
 */
export function useGridKeyboard({
  items,
  order,
  focusIndex,
  focusedItem,
  focus,
  farEnd,
  setSelection,
  actOnSelection,
  openItem,
  picker,
  inTrash,
  onDelete,
  onRename,
}: {
  items: readonly Item[];
  order: readonly string[];
  focusIndex: number;
  focusedItem: Item | undefined;
  focus: (index: number, fromKeyboard: boolean) => void;
  farEnd: FarEnd;
  setSelection: Dispatch<SetStateAction<Selection>>;
  /** The selected items, or else the current one. */
  actOnSelection: () => Item[];
  openItem: (item: Item) => void;
  picker: PickerMode | null;
  inTrash: boolean;
  onDelete: (items: Item[]) => void;
  onRename: (item: Item) => void;
}) {
  // End pressed before the end was loaded: focus the last item once it is.
  const [endWanted, setEndWanted] = useState(false);
  useEffect(() => {
    if (!endWanted || !farEnd.lastLoaded) return;
    setEndWanted(false);
    focus(items.length - 1, true);
  }, [endWanted, farEnd.lastLoaded, items.length, focus]);

  return (event: KeyboardEvent, columns: number) => {
    if (isTyping(event.target)) return;
    const mod = event.ctrlKey || event.metaKey;
    const current = focusIndex < 0 ? 0 : focusIndex;
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: columns,
      ArrowUp: -columns,
      Home: -current,
      End: items.length - 1 - current,
      PageDown: columns * 4,
      PageUp: -columns * 4,
    };
    const step = moves[event.key];
    if (event.key === 'End' && !farEnd.lastLoaded && farEnd.gap) {
      // The end is not loaded: read it from the other end, then focus the last item (the effect above).
      event.preventDefault();
      farEnd.loadEnd();
      setEndWanted(true);
      return;
    }
    if (step !== undefined) {
      event.preventDefault();
      let next = Math.max(0, Math.min(items.length - 1, focusIndex < 0 ? 0 : current + step));
      // Arrows and pages stop at the edge of the unloaded middle (it loads as it comes into view).
      const gapAt = farEnd.gap?.at;
      if (gapAt !== undefined && event.key !== 'Home' && event.key !== 'End') {
        if (current < gapAt && next >= gapAt) next = gapAt - 1;
        else if (current >= gapAt && next < gapAt) next = gapAt;
      }
      const target = items[next];
      if (event.shiftKey && target)
        setSelection((s) =>
          selectRange(s.anchor ? s : selectOnly(items[current]?.key ?? target.key), target.key, order),
        );
      focus(next, true);
      return;
    }
    const target = focusedItem;
    switch (event.key) {
      case ' ':
        if (target) setSelection((s) => toggle(s, target.key));
        break;
      case 'Enter':
        if (target) openItem(target);
        break;
      case 'Escape':
        if (picker) return; // The picker's Esc cancels it.
        setSelection(emptySelection);
        break;
      case 'Delete':
      case 'Backspace':
        if (picker || actOnSelection().length === 0) return;
        onDelete(actOnSelection());
        break;
      case 'F2':
        if (target && !inTrash && !picker) onRename(target);
        break;
      case 'a':
      case 'A':
        if (!mod) return;
        setSelection(selectAll(order));
        break;
      default:
        return;
    }
    event.preventDefault();
  };
}
