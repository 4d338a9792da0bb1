import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { apiClient } from '../../lib/api-client';
import { type GetFolderResponse, type ListFoldersResponse, nextPageCursor } from './types';

export const FOLDERS_PATH = '/site-media/v1/folders';
export const FOLDER_PAGE_SIZE = 100;

export const folderKeys = {
  all: ['folders'] as const,
  lists: () => [...folderKeys.all, 'list'] as const,
  list: (parentFolderId: string) => [...folderKeys.lists(), { parentFolderId }] as const,
  details: () => [...folderKeys.all, 'detail'] as const,
  detail: (folderId: string) => [...folderKeys.details(), folderId] as const,
};

/** GET /site-media/v1/folders/{id} */
export function folderQueryOptions(folderId: string) {
  return queryOptions({
    queryKey: folderKeys.detail(folderId),
    queryFn: async ({ signal }) => {
      const response = await apiClient.get<GetFolderResponse>(
        `${FOLDERS_PATH}/${encodeURIComponent(folderId)}`,
        {
          signal,
        },
      );
      return response.folder;
    },
  });
}

/** GET /site-media/v1/folders?parentFolderId= — the sub-folders of a folder, a page at a time. A cursor alone
 * continues the same listing. */
export function folderListQueryOptions(parentFolderId: string) {
  return infiniteQueryOptions({
    queryKey: folderKeys.list(parentFolderId),
    queryFn: ({ pageParam, signal }) =>
      apiClient.get<ListFoldersResponse>(FOLDERS_PATH, {
        signal,
        query:
          pageParam === null
            ? { parentFolderId, 'paging.limit': FOLDER_PAGE_SIZE }
            : { 'paging.cursor': pageParam, 'paging.limit': FOLDER_PAGE_SIZE },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: nextPageCursor,
  });
}
