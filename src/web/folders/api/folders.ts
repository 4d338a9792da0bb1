import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { Folder, ListFoldersResponse } from '../../../contract';
import { apiClient } from '../../lib/api-client';
import { nextPageCursor } from '../../files/api/types';
import { isRootId } from '../paths';

export const FOLDERS_PATH = '/site-media/v1/folders';
export const FOLDER_PAGE_SIZE = 100;

/** Query keys of the folder resource: one folder, a folder's sub-folders (the tree), a folder's path. */
export const folderKeys = {
  all: ['folders'] as const,
  details: () => [...folderKeys.all, 'detail'] as const,
  detail: (folderId: string) => [...folderKeys.details(), folderId] as const,
  children: (parentFolderId: string) => [...folderKeys.all, 'children', parentFolderId] as const,
  path: (folderId: string) => [...folderKeys.all, 'path', folderId] as const,
};

/** GET /site-media/v1/folders/{id} */
export function folderQueryOptions(folderId: string) {
  return queryOptions({
    queryKey: folderKeys.detail(folderId),
    queryFn: async ({ signal }) =>
      (
        await apiClient.get<{ folder: Folder }>(`${FOLDERS_PATH}/${encodeURIComponent(folderId)}`, {
          signal,
          query: { folderId },
        })
      ).folder,
  });
}

/** The live sub-folders of a folder by name (the tree and the move dialog), a page at a time. */
export function folderChildrenQueryOptions(parentFolderId: string) {
  return infiniteQueryOptions({
    queryKey: folderKeys.children(parentFolderId),
    queryFn: ({ pageParam, signal }) =>
      apiClient.get<ListFoldersResponse>(FOLDERS_PATH, {
        signal,
        query:
          pageParam === null
            ? {
                parentFolderId,
                'sort.fieldName': 'displayName',
                'sort.order': 'ASC',
                'paging.limit': FOLDER_PAGE_SIZE,
              }
            : { 'paging.cursor': pageParam, 'paging.limit': FOLDER_PAGE_SIZE },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: nextPageCursor,
  });
}

/**
 * The folders from the top of an area down to `folderId` (roots excluded), for the breadcrumb and for
 * expanding the tree. Each step reuses the cached folder query.
 */
export function folderPathQueryOptions(folderId: string) {
  return queryOptions({
    queryKey: folderKeys.path(folderId),
    queryFn: async ({ client }) => {
      const chain: Folder[] = [];
      let id = folderId;
      // Folders nest, but never in a loop; the bound only guards against a server bug.
      for (let depth = 0; depth < 200 && !isRootId(id); depth++) {
        const folder = await client.fetchQuery(folderQueryOptions(id));
        chain.unshift(folder);
        id = folder.parentFolderId;
      }
      return { folders: chain, rootId: id };
    },
  });
}
