import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { useLocation } from 'react-router';
import type { ItemPage } from './api/items';
import type { GridPlace, GridPlaceValue } from './item-grid';
import { readPlace, readSelection, writePlace, writeSelection } from './place-storage';
import { selectOnly, type Selection } from './selection';
import type { Membership } from './use-linked-item';

/**
 * How far the browser pages on its own to reach a saved place or a linked item: the listing is keyset-paged, so
 * reaching item n takes n / 100 requests one after the other. 50 pages (5,000 items) covers the folders owners
 * keep; beyond it the linked item still opens in the details panel (fetched by id), just not in the grid.
 */
export const MAX_SEEK_PAGES = 50;

/** What to bring back in a listing that was just entered, and whether that is done. */
interface Plan {
  listing: string;
  entry: string;
  /** The item to scroll to (a saved place's first item in view, or the linked item, its row at the top). */
  anchor: { key: string; offset: number | null } | null;
  /** The selection to bring back; its keys are paged to along with the anchor. */
  selection: Selection | null;
  /** A plan for a linked item (not a saved place) gives up at once when the item is not in this listing. */
  linked: boolean;
  /** The selection when the plan was made: one the owner makes while the plan pages on replaces it. */
  before: Selection;
  done: boolean;
}

function makePlan(listing: string, entry: string, item: string | null, before: Selection): Plan {
  const place = readPlace(entry);
  const saved = readSelection(entry);
  if (place?.listing === listing || saved?.listing === listing) {
    const keys = saved?.listing === listing ? saved.keys : [];
    return {
      listing,
      entry,
      anchor:
        place?.listing === listing && place.anchor
          ? { key: place.anchor, offset: place.offset }
          : item
            ? { key: item, offset: null }
            : null,
      selection: { selected: new Set(keys), anchor: keys.at(-1) ?? null },
      linked: false,
      before,
      done: false,
    };
  }
  if (item) {
    return {
      listing,
      entry,
      anchor: { key: item, offset: null },
      selection: selectOnly(item),
      linked: true,
      before,
      done: false,
    };
  }
  return { listing, entry, anchor: null, selection: null, linked: false, before, done: true };
}

interface Options {
  listingKey: string;
  listing: UseInfiniteQueryResult<InfiniteData<ItemPage>>;
  /** The loaded items' keys, in order. */
  order: readonly string[];
  selection: Selection;
  setSelection: Dispatch<SetStateAction<Selection>>;
  /** The item the URL opens (`?item=`). */
  item: string | null;
  /** Whether that item can be in this listing (use-linked-item.ts). */
  membership: Membership;
}

/**
 * Brings back where the owner was in a listing on Back/Forward or a reload (scroll position and selection, saved
 * per history entry: place-storage.ts), and opens a linked item (`?item=`) that is past the first page: the
 * listing pages forward until the item (and the saved selection) is loaded, at most MAX_SEEK_PAGES pages, then
 * the grid scrolls to it. The grid (keyed by listing) takes the returned `place`.
 */
export function useScrollRestoration({
  listingKey,
  listing,
  order,
  selection,
  setSelection,
  item,
  membership,
}: Options): GridPlace {
  const location = useLocation();
  // The key is kept in history.state (it survives a reload); the path tells apart two first entries of a tab.
  const entry = `${location.key}:${location.pathname}`;
  const [plan, setPlan] = useState<Plan>(() => makePlan(listingKey, entry, item, selection));
  const current = plan.listing === listingKey ? plan : makePlan(listingKey, entry, item, selection);
  if (current !== plan) setPlan(current);
  const [target, setTarget] = useState<GridPlaceValue | null>(null);

  const pages = listing.data?.pages.length ?? 0;
  const { hasNextPage, isFetching, isPending, isError, fetchNextPage } = listing;
  useEffect(() => {
    if (current.done) return;
    // The owner clicked or keyed a selection before the listing reached the item: theirs stands, and the grid
    // stays where they are. (A new listing's selection is reset to empty first, so that is not the owner's.)
    if (selection !== current.before && selection.selected.size > 0) {
      setPlan({ ...current, done: true });
      return;
    }
    const loaded = new Set(order);
    const wanted = [...(current.anchor ? [current.anchor.key] : []), ...(current.selection?.selected ?? [])];
    const missing = wanted.filter((key) => !loaded.has(key));
    const finish = () => {
      const anchor = current.anchor ? order.indexOf(current.anchor.key) : -1;
      // A linked item that is not in this listing is shown in the details panel only, and selects nothing.
      if (current.selection && (!current.linked || anchor >= 0)) setSelection(current.selection);
      setTarget(anchor >= 0 ? { index: anchor, offset: current.anchor?.offset ?? null } : null);
      setPlan({ ...current, done: true });
    };
    if (missing.length === 0) return finish();
    if (isPending) return;
    if (current.linked && membership === 'pending') return;
    if ((current.linked && membership === 'no') || !hasNextPage || isError || pages >= MAX_SEEK_PAGES)
      return finish();
    if (!isFetching) void fetchNextPage();
  }, [
    current,
    selection,
    order,
    membership,
    hasNextPage,
    isFetching,
    isPending,
    isError,
    pages,
    fetchNextPage,
    setSelection,
  ]);

  // Save the place as the owner scrolls and the selection as it changes, under the current history entry.
  const latest = useRef({ entry, order, listingKey, done: current.done });
  latest.current = { entry, order, listingKey, done: current.done };
  const scrolled = useRef<{ listing: string; index: number; offset: number } | null>(null);
  const savePlace = useCallback(() => {
    const { entry: key, order: keys, listingKey: listingNow, done } = latest.current;
    const place = scrolled.current;
    if (!done || !place || place.listing !== listingNow) return;
    writePlace(key, { listing: listingNow, anchor: keys[place.index] ?? null, offset: place.offset });
  }, []);
  const selectionListing = useRef(listingKey);
  useEffect(() => {
    const listingChanged = selectionListing.current !== listingKey;
    selectionListing.current = listingKey;
    if (listingChanged || !current.done) return;
    writeSelection(entry, { listing: listingKey, keys: [...selection.selected] });
    // Not when the listing has just changed: the selection is still the old listing's until it is reset.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selection, entry]);
  useEffect(savePlace, [entry, savePlace]);

  return useMemo(
    () => ({
      target,
      onRestored: () => setTarget(null),
      onScroll: (place) => {
        scrolled.current = { listing: latest.current.listingKey, ...place };
        savePlace();
      },
    }),
    [target, savePlace],
  );
}
