// The admin extensions for whole folders (`/site-media-ext/v1`, docs/api.md): item counts and "everything in this folder"
// bulk actions, which Wix's API lacks.
import { queryOptions } from '@tanstack/react-query';
import { apiClient } from '../../lib/api-client';
import { itemKeys, type ListingParams } from './items';

export const EXTENSIONS_PATH = '/site-media-ext/v1';

export interface ItemCount {
  folders: number;
  files: number;
  estimated: boolean;
}

const folderPath = (folderId: string) => `${EXTENSIONS_PATH}/folders/${encodeURIComponent(folderId)}`;

/** How many items a folder's listing holds. Searches have no count (they span every folder). */
export function itemCountQueryOptions(params: ListingParams) {
  return queryOptions({
    queryKey: itemKeys.count(params),
    enabled: !params.search,
    queryFn: ({ signal }) =>
      apiClient.get<ItemCount>(`${folderPath(params.folderId)}/item-count`, {
        signal,
        query: {
          ...(params.area === 'trash' ? { deleted: true } : {}),
          ...(params.type ? { mediaTypes: params.type } : {}),
        },
      }),
  });
}

export const totalOf = (count: ItemCount) => count.folders + count.files;
