import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { itemListQueryOptions, type ListingParams } from './api/items';
import { useFarEnd } from './use-far-end';
import { usePendingPoll } from './use-pending-poll';
import type { ViewState } from './view-state';

/**
 * What the browser lists: the folder (or search) as the view state asks, read from both ends when it is big,
 * with processing files polled until they are ready. `listingKey` names the listing: a new one starts afresh.
 */
export function useBrowserListing(area: ListingParams['area'], folderId: string, view: ViewState) {
  const params: ListingParams = {
    area,
    folderId,
    search: view.search,
    sort: view.sort,
    order: view.order,
    type: view.type,
  };
  const listing = useInfiniteQuery(itemListQueryOptions(params));
  // A big folder is read from both ends: the scrollbar dragged to the bottom shows the end at once.
  const farEnd = useFarEnd(params, listing);
  const items = farEnd.items;
  usePendingPoll(params, items);
  const order = useMemo(() => items.map((i) => i.key), [items]);
  const byKey = useMemo(() => new Map(items.map((i) => [i.key, i])), [items]);
  const listingKey = JSON.stringify(params);
  return { params, listingKey, listing, farEnd, items, order, byKey };
}

export type BrowserListing = ReturnType<typeof useBrowserListing>;
