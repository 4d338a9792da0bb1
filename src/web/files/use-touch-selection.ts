import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import type { Item } from './api/items';
import { toggle, type Selection } from './selection';

/**
 * Touch multi-select: a long-press on a tile selects it and enters selection mode, where a tap adds or removes
 * a tile instead of choosing just that one. The mode ends when nothing is selected any more.
 */
export function useTouchSelection(selection: Selection, setSelection: Dispatch<SetStateAction<Selection>>) {
  const [selecting, setSelecting] = useState(false);
  const empty = selection.selected.size === 0;
  useEffect(() => {
    if (empty) setSelecting(false);
  }, [empty]);
  const onLongPress = (item: Item) => {
    setSelecting(true);
    setSelection((current) => (current.selected.has(item.key) ? current : toggle(current, item.key)));
  };
  return { selecting, onLongPress };
}
