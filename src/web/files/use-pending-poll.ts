import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { GET_FILES_MAX, type FileDescriptor } from '../../contract';
import { apiClient } from '../lib/api-client';
import { FILES_PATH } from './api/files';
import { isListKey, itemKeys, type Item, type ItemPage, type ListingParams } from './api/items';

export const PENDING_POLL_MS = 3000;

/**
 * Files still being processed or imported turn READY (or FAILED) by themselves. Refetching the listing for that
 * refetched every loaded page (30 pages in a folder of 3,000) every few seconds and reshuffled the tiles; this
 * asks the contract's `get-files` for the PENDING files only, puts each answer in place in the cached pages
 * (same position), and stops once none is left.
 */
export function usePendingPoll(params: ListingParams, items: readonly Item[]): void {
  const client = useQueryClient();
  // The items shown, whether read from the top of the listing or from its far end (use-far-end.ts).
  const pendingIds = useMemo(
    () =>
      items.flatMap((i) => (i.kind === 'file' && i.file.operationStatus === 'PENDING' ? [i.file.id] : [])),
    [items],
  );
  const key = pendingIds.join(',');
  const listKey = JSON.stringify(params);
  // One round per tick: the effect schedules the next round after the previous one answered.
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!key) return;
    const ids = key.split(',');
    const controller = new AbortController();
    const timer = setTimeout(() => {
      void (async () => {
        const fresh = new Map<string, FileDescriptor>();
        try {
          for (let i = 0; i < ids.length; i += GET_FILES_MAX) {
            const { files } = await apiClient.post<{ files: FileDescriptor[] }>(
              `${FILES_PATH}/get-files`,
              { fileIds: ids.slice(i, i + GET_FILES_MAX) },
              { signal: controller.signal },
            );
            for (const file of files) fresh.set(file.id, file);
          }
        } catch {
          if (controller.signal.aborted) return;
          // A file went away meanwhile (get-files answers 404 for the whole call): the listing is stale anyway.
          void client.invalidateQueries({ queryKey: itemKeys.list(JSON.parse(listKey) as ListingParams) });
          return;
        }
        setTick((t) => t + 1);
        const changed = [...fresh.values()].some((f) => f.operationStatus !== 'PENDING');
        if (!changed) return;
        // The listing's key is a prefix of its far end's: both are patched.
        client.setQueriesData<InfiniteData<ItemPage>>(
          {
            queryKey: itemKeys.list(JSON.parse(listKey) as ListingParams),
            predicate: (query) => isListKey(query.queryKey),
          },
          (old) =>
            old && {
              ...old,
              pages: old.pages.map((page) => ({
                ...page,
                items: page.items.map((item) => {
                  const file = item.kind === 'file' ? fresh.get(item.file.id) : undefined;
                  return file ? { ...item, file } : item;
                }),
              })),
            },
        );
      })();
    }, PENDING_POLL_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [client, key, listKey, tick]);
}
