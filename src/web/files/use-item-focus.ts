import { useCallback, useEffect, useRef, useState } from 'react';
import type { Item } from './api/items';
import type { SetViewState } from './view-state';

/**
 * The browser's current item (roving focus), kept in the URL as `item` so Back/Forward and links bring it back.
 * `focusRequest` is set when the item should also take DOM focus: after a key press, not after a click or a
 * data refresh.
 */
export function useItemFocus(
  items: readonly Item[],
  order: readonly string[],
  byKey: ReadonlyMap<string, Item>,
  viewItem: string | null,
  setView: SetViewState,
) {
  const [focusKey, setFocusKey] = useState<string | null>(viewItem);
  const focusRequest = useRef(false);

  useEffect(() => setFocusKey(viewItem), [viewItem]);

  const focusIndex = focusKey ? order.indexOf(focusKey) : -1;
  const focusedItem = focusKey ? byKey.get(focusKey) : undefined;

  const focus = useCallback(
    (index: number, fromKeyboard: boolean) => {
      const item = items[Math.max(0, Math.min(index, items.length - 1))];
      if (!item) return;
      focusRequest.current = fromKeyboard;
      setFocusKey(item.key);
      setView({ item: item.key }, { replace: true });
    },
    [items, setView],
  );

  return { focusIndex, focusedItem, focusRequest, focus };
}

export type ItemFocus = ReturnType<typeof useItemFocus>;
