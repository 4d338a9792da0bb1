// The optimistic part of the browser's actions: every cached listing changes at once, goes back as it was when
// the server refuses, and every affected view refetches afterwards, through react-query's own mutation
// lifecycle (`onMutate` / `onError` / `onSettled`).
import {
  useMutation,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import { folderKeys } from '../../folders/api/folders';
import { fileKeys } from './files';
import { isListKey, itemKeys, type Item, type ItemPage, type ListingParams } from './items';

type Listing = InfiniteData<ItemPage, unknown>;
/** Cached data as it was before an optimistic change: put back if the server refuses. */
export type Snapshot = [QueryKey, unknown][];

/** Changes every cached listing at once; returns what to put back if the server refuses. */
function patchListings(
  client: QueryClient,
  change: (items: Item[]) => Item[],
  only?: (params: ListingParams) => boolean,
): Snapshot {
  const filters = {
    queryKey: itemKeys.all,
    predicate: (query: { queryKey: QueryKey }) =>
      isListKey(query.queryKey) && (!only || only(query.queryKey[1] as ListingParams)),
  };
  const snapshot = client.getQueriesData(filters);
  client.setQueriesData<Listing>(filters, (data) =>
    data ? { ...data, pages: data.pages.map((page) => ({ ...page, items: change(page.items) })) } : data,
  );
  return snapshot;
}

function restoreSnapshot(client: QueryClient, snapshot: Snapshot) {
  for (const [key, data] of snapshot) client.setQueryData(key, data);
}

/** Refetches every view an action may have changed: listings, folders (the tree), files (details). */
export const settle = (client: QueryClient) =>
  Promise.all([
    client.invalidateQueries({ queryKey: itemKeys.all }),
    client.invalidateQueries({ queryKey: folderKeys.all }),
    client.invalidateQueries({ queryKey: fileKeys.all }),
  ]);

/** Removes these items from a listing. */
export const without = (items: readonly Item[]) => {
  const gone = new Set(items.map((i) => i.key));
  return (list: Item[]) => list.filter((i) => !gone.has(i.key));
};

/**
 * A mutation that changes the cached listings before the server answers (`change`, in the listings `only`
 * picks; `also` for other cached data), puts them back when it fails (the promise rejects, so the caller can
 * say why) and refetches every view once it is over, without waiting for that.
 */
export function useListingMutation<V, R>(options: {
  run: (variables: V) => Promise<R>;
  change: (variables: V) => (items: Item[]) => Item[];
  only?: (params: ListingParams) => boolean;
  also?: (client: QueryClient, variables: V) => Snapshot;
}): (variables: V) => Promise<R> {
  const client = useQueryClient();
  return useMutation<R, Error, V, Snapshot>({
    mutationFn: options.run,
    // A request fails on its own when offline (the toast says why): it is not held back until the browser
    // thinks it is online again.
    networkMode: 'always',
    onMutate: async (variables) => {
      const other = options.also?.(client, variables) ?? [];
      await client.cancelQueries({ queryKey: itemKeys.all });
      return [...patchListings(client, options.change(variables), options.only), ...other];
    },
    onError: (_error, _variables, snapshot) => {
      if (snapshot) restoreSnapshot(client, snapshot);
    },
    onSettled: () => {
      void settle(client);
    },
  }).mutateAsync;
}
