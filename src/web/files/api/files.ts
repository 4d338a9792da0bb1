import { infiniteQueryOptions } from '@tanstack/react-query';
import { apiClient } from '../../lib/api-client';
import { type ListFilesResponse, nextPageCursor } from './types';

export const FILES_PATH = '/site-media/v1/files';
export const FILE_PAGE_SIZE = 100;

export const fileKeys = {
  all: ['files'] as const,
  lists: () => [...fileKeys.all, 'list'] as const,
  list: (parentFolderId: string) => [...fileKeys.lists(), { parentFolderId }] as const,
};

/** GET /site-media/v1/files?parentFolderId= — the files directly in a folder, a page at a time (server's default
 * order: updatedDate DESC). */
export function fileListQueryOptions(parentFolderId: string) {
  return infiniteQueryOptions({
    queryKey: fileKeys.list(parentFolderId),
    queryFn: ({ pageParam, signal }) =>
      apiClient.get<ListFilesResponse>(FILES_PATH, {
        signal,
        query:
          pageParam === null
            ? { parentFolderId, 'paging.limit': FILE_PAGE_SIZE }
            : { 'paging.cursor': pageParam, 'paging.limit': FILE_PAGE_SIZE },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: nextPageCursor,
  });
}
