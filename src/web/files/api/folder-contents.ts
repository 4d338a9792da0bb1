// The admin extensions for whole folders (`/site-media-ext/v1`, docs/api.md): item counts and "everything in this folder"
// bulk actions, which Wix's API lacks.
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { apiClient } from '../../lib/api-client';
import { AREAS } from '../../folders/paths';
import { folderKeys } from '../../folders/api/folders';
import { fileKeys } from './files';
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

/** Moves everything in the listing's folder to the trash but the excepted items: one request, one transaction. */
export async function trashFolderContents(
  client: QueryClient,
  params: ListingParams,
  except: { folderIds: string[]; fileIds: string[] },
): Promise<{ trashedFolders: number; trashedFiles: number }> {
  if (params.area === 'trash' || params.folderId === AREAS.trash.root)
    throw new Error('Already in the trash');
  try {
    return await apiClient.post(`${folderPath(params.folderId)}/trash-contents`, {
      exceptFolderIds: except.folderIds,
      exceptFileIds: except.fileIds,
      ...(params.type ? { mediaTypes: [params.type] } : {}),
    });
  } finally {
    await Promise.all([
      client.invalidateQueries({ queryKey: itemKeys.all }),
      client.invalidateQueries({ queryKey: folderKeys.all }),
      client.invalidateQueries({ queryKey: fileKeys.all }),
    ]);
  }
}
