import {
  useInfiniteQuery,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type UseInfiniteQueryResult,
} from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import { itemCountQueryOptions, totalOf } from './api/folder-contents';
import { itemTailQueryOptions, type Item, type ItemPage, type ListingParams } from './api/items';

/** Not-yet-loaded items between those loaded from the top (`at` of them) and those loaded from the end. */
export interface Gap {
  /** Index (among the loaded items) of the first item after the gap; also how many were loaded from the top. */
  at: number;
  /** How many items the gap stands for (placeholders in the grid). */
  size: number;
}

export interface FarEnd {
  /** The loaded items in listing order: those from the top, then (after the gap) those from the end. */
  items: Item[];
  /** Where the unloaded middle is, when the folder's count is known and not everything is loaded. */
  gap: Gap | null;
  /** Whether everything up to the end is loaded (or met in the middle): no loader row, nothing to fetch. */
  endLoaded: boolean;
  /** Whether the listing's last item is loaded (maybe with a gap before it): End can focus it. */
  lastLoaded: boolean;
  /** Loads what the grid shows between these slots (grid positions, gap included), from the nearer end. */
  ensureLoaded: (first: number, last: number) => void;
  /** Starts loading the end of the listing (Ctrl+End). */
  loadEnd: () => void;
  isFetching: boolean;
}

const flatten = (data: InfiniteData<ItemPage> | undefined) => data?.pages.flatMap((page) => page.items) ?? [];

/**
 * A big folder read from both ends. The listing is keyset-paged, so reaching its end from the top costs one
 * request per 100 items; with the folder's count known, the grid is sized for every item, and when the owner
 * jumps near the end (scrollbar dragged to the bottom, Ctrl+End) the end is read from the other side (the same
 * listing sorted the other way, `itemTailQueryOptions`) and placed at the end. The middle fills in, from
 * whichever end is nearer, as it is scrolled to. Searches (no count) and estimated counts page from the top only.
 */
export function useFarEnd(
  params: ListingParams,
  head: UseInfiniteQueryResult<InfiniteData<ItemPage>>,
): FarEnd {
  const client = useQueryClient();
  const count = useQuery(itemCountQueryOptions(params)).data;
  const total = count && !count.estimated && !params.search ? totalOf(count) : null;
  const tailOptions = itemTailQueryOptions(params);
  const listingKey = JSON.stringify(params);
  // Asked for in this listing (a new listing starts without); a listing whose end was read before (Back) shows
  // its cached end again at once.
  const [wantedIn, setWantedIn] = useState<string | null>(null);
  const cached = client.getQueryData(tailOptions.queryKey) !== undefined;
  const tail = useInfiniteQuery({
    ...tailOptions,
    enabled: total !== null && (wantedIn === listingKey || cached),
  });

  const headItems = useMemo(() => flatten(head.data), [head.data]);
  const tailItems = useMemo(() => flatten(tail.data).reverse(), [tail.data]);
  const headDone = head.isSuccess && !head.hasNextPage;
  const tailDone = tail.isSuccess && !tail.hasNextPage;

  const { items, gap, met } = useMemo((): { items: Item[]; gap: Gap | null; met: boolean } => {
    if (total === null || headDone) return { items: headItems, gap: null, met: headDone };
    if (tailDone) return { items: tailItems, gap: null, met: true };
    const size = total - headItems.length - tailItems.length;
    const fromTop = new Set(headItems.map((i) => i.key));
    const rest = tailItems.filter((i) => !fromTop.has(i.key));
    // The two ends met: they overlap, or the count says nothing is left between them.
    if (tailItems.length > 0 && (rest.length < tailItems.length || size <= 0))
      return { items: [...headItems, ...rest], gap: null, met: true };
    // A count behind the listing (items added meanwhile): page on from the top as without a count.
    if (size <= 0) return { items: headItems, gap: null, met: false };
    return { items: [...headItems, ...tailItems], gap: { at: headItems.length, size }, met: false };
  }, [total, headDone, tailDone, headItems, tailItems]);

  const latest = useRef({ gap, head, tail, met, count: items.length, listingKey });
  latest.current = { gap, head, tail, met, count: items.length, listingKey };
  const ensureLoaded = useCallback((first: number, last: number) => {
    const { gap: g, head: h, tail: t, met: done, count: loaded, listingKey: key } = latest.current;
    if (done) return;
    if (!g) {
      // No count (a search) or a stale one: the next page from the top as the end of what is loaded nears.
      if (h.hasNextPage && !h.isFetching && last >= loaded - 1) void h.fetchNextPage();
      return;
    }
    const end = g.at + g.size;
    if (last < g.at || first >= end) return;
    // Nearer the top's last loaded item: page on from the top; nearer the end's first: page on from the end.
    if (end - 1 - last < first - g.at) {
      if (t.isFetching) return;
      if (!t.data) setWantedIn(key);
      else if (t.hasNextPage) void t.fetchNextPage();
    } else if (!h.isFetching && h.hasNextPage) {
      void h.fetchNextPage();
    }
  }, []);
  const loadEnd = useCallback(() => {
    if (latest.current.gap) setWantedIn(latest.current.listingKey);
  }, []);

  return {
    items,
    gap,
    endLoaded: met || (gap === null && head.isSuccess && !head.hasNextPage),
    lastLoaded:
      met || (gap !== null && tailItems.length > 0) || (gap === null && head.isSuccess && !head.hasNextPage),
    ensureLoaded,
    loadEnd,
    isFetching: head.isFetchingNextPage || tail.isFetching,
  };
}
