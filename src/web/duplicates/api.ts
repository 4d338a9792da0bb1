import { infiniteQueryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { DuplicateGroupsResponse, MergeDuplicatesResponse } from '../../contract';
import { itemKeys } from '../files/api/items';
import { folderKeys } from '../folders/api/folders';
import { apiClient } from '../lib/api-client';

/** Groups per page of the Duplicates view. */
const PAGE = 20;

export const duplicateKeys = { all: ['duplicates'] as const };

/** Groups of identical live files, largest first, a page at a time (`GET /site-media-ext/v1/duplicates`). */
export function duplicateGroupsQueryOptions() {
  return infiniteQueryOptions({
    queryKey: duplicateKeys.all,
    queryFn: ({ pageParam, signal }) =>
      apiClient.get<DuplicateGroupsResponse>(
        `/site-media-ext/v1/duplicates?limit=${PAGE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Keeps one file of a group and moves the others to the trash. */
export function useMergeDuplicates() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (args: { keepFileId: string; fileIds: string[] }) =>
      apiClient.post<MergeDuplicatesResponse>('/site-media-ext/v1/duplicates/merge', args),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: duplicateKeys.all });
      void client.invalidateQueries({ queryKey: itemKeys.all });
      void client.invalidateQueries({ queryKey: folderKeys.all });
    },
  });
}
