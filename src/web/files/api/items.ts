import { infiniteQueryOptions } from '@tanstack/react-query';
import type {
  FileDescriptor,
  Folder,
  ListFilesResponse,
  ListFoldersResponse,
  MediaType,
} from '../../../contract';
import { apiClient } from '../../lib/api-client';
import { AREAS, type Area } from '../../folders/paths';

export const ITEM_PAGE_SIZE = 100;

export type SortKey = 'name' | 'updated' | 'size';
export type SortOrder = 'asc' | 'desc';

/** One listing of the browser: an area, a folder in it, and the view's search, sort and type filter. */
export interface ListingParams {
  area: Area;
  folderId: string;
  search: string;
  sort: SortKey;
  order: SortOrder;
  type: MediaType | null;
}

export type Item =
  { key: string; kind: 'folder'; folder: Folder } | { key: string; kind: 'file'; file: FileDescriptor };

export const folderItemKey = (id: string) => `folder:${id}`;
export const fileItemKey = (id: string) => `file:${id}`;

export function itemName(item: Item): string {
  return item.kind === 'folder' ? item.folder.displayName : item.file.displayName;
}

export function itemId(item: Item): string {
  return item.kind === 'folder' ? item.folder.id : item.file.id;
}

/**
 * Query keys of the browser listings (and their item counts). Every mutation invalidates `itemKeys.all`. Only
 * `list` entries are infinite listings: code that patches cached pages must skip the counts (`isListKey`).
 */
export const itemKeys = {
  all: ['items'] as const,
  list: (params: ListingParams) => [...itemKeys.all, params] as const,
  count: (params: ListingParams) => [...itemKeys.all, 'count', params] as const,
};

export const isListKey = (key: readonly unknown[]) => key.length === 2 && typeof key[1] === 'object';

export interface ItemPage {
  items: Item[];
  next: PageParam | undefined;
}

/** Folders come first, then files: a listing pages through the folders, then through the files. */
type PageParam = { phase: 'folders' | 'files'; cursor: string | null };

const SORT_FIELDS: Record<SortKey, string> = {
  name: 'displayName',
  updated: 'updatedDate',
  size: 'sizeInBytes',
};

function sortFor(params: ListingParams, kind: 'folder' | 'file') {
  // Folders have no size: a size-sorted view shows them by name.
  const key = kind === 'folder' && params.sort === 'size' ? 'name' : params.sort;
  const order = kind === 'folder' && params.sort === 'size' ? 'asc' : params.order;
  return { fieldName: SORT_FIELDS[key], order: order === 'asc' ? 'ASC' : 'DESC' };
}

async function fetchFolders(params: ListingParams, cursor: string | null, signal: AbortSignal) {
  const { area, folderId, search } = params;
  const paging = { limit: ITEM_PAGE_SIZE, ...(cursor ? { cursor } : {}) };
  if (search) {
    const body = cursor
      ? { paging }
      : { rootFolder: AREAS[area].scope, search, sort: sortFor(params, 'folder'), paging };
    return apiClient.post<ListFoldersResponse>('/site-media/v1/folders/search', body, { signal });
  }
  const path = area === 'trash' ? '/site-media/v1/trash-bin/folders' : '/site-media/v1/folders';
  const sort = sortFor(params, 'folder');
  const query = cursor
    ? { 'paging.cursor': cursor, 'paging.limit': ITEM_PAGE_SIZE }
    : {
        ...(area === 'trash' && folderId === AREAS.trash.root ? {} : { parentFolderId: folderId }),
        'sort.fieldName': sort.fieldName,
        'sort.order': sort.order,
        'paging.limit': ITEM_PAGE_SIZE,
      };
  return apiClient.get<ListFoldersResponse>(path, { signal, query });
}

async function fetchFiles(params: ListingParams, cursor: string | null, signal: AbortSignal) {
  const { area, folderId, search, type } = params;
  const paging = { limit: ITEM_PAGE_SIZE, ...(cursor ? { cursor } : {}) };
  if (search) {
    const body = cursor
      ? { paging }
      : {
          rootFolder: AREAS[area].scope,
          search,
          sort: sortFor(params, 'file'),
          paging,
          ...(type ? { mediaTypes: [type] } : {}),
        };
    return apiClient.post<ListFilesResponse>('/site-media/v1/files/search', body, { signal });
  }
  const path = area === 'trash' ? '/site-media/v1/trash-bin/files' : '/site-media/v1/files';
  const sort = sortFor(params, 'file');
  const query = cursor
    ? { 'paging.cursor': cursor, 'paging.limit': ITEM_PAGE_SIZE }
    : {
        ...(area === 'trash' && folderId === AREAS.trash.root ? {} : { parentFolderId: folderId }),
        'sort.fieldName': sort.fieldName,
        'sort.order': sort.order,
        'paging.limit': ITEM_PAGE_SIZE,
        ...(type ? { mediaTypes: type } : {}),
      };
  return apiClient.get<ListFilesResponse>(path, { signal, query });
}

function initialPage(params: ListingParams): PageParam {
  // A type filter shows files only: folders have no type.
  return { phase: params.type ? 'files' : 'folders', cursor: null };
}

/** The browser's listing: folders then files, cursor-paged, for infinite scrolling. */
export function itemListQueryOptions(params: ListingParams) {
  return infiniteQueryOptions({
    queryKey: itemKeys.list(params),
    initialPageParam: initialPage(params),
    queryFn: async ({ pageParam, signal }): Promise<ItemPage> => {
      if (pageParam.phase === 'folders') {
        const page = await fetchFolders(params, pageParam.cursor, signal);
        const next = page.nextCursor?.cursors.next ?? null;
        return {
          items: page.folders.map((folder) => ({ key: folderItemKey(folder.id), kind: 'folder', folder })),
          next: next ? { phase: 'folders', cursor: next } : { phase: 'files', cursor: null },
        };
      }
      const page = await fetchFiles(params, pageParam.cursor, signal);
      const next = page.nextCursor?.cursors.next ?? null;
      return {
        items: page.files.map((file) => ({ key: fileItemKey(file.id), kind: 'file', file })),
        next: next ? { phase: 'files', cursor: next } : undefined,
      };
    },
    getNextPageParam: (last) => last.next,
  });
}
