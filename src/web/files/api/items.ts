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
  /** The same listing read from its far end (use-far-end.ts): its pages hold the items last to first. */
  tail: (params: ListingParams) => [...itemKeys.all, params, 'tail'] as const,
};

/** A cached listing, from the top or from the far end (both hold `ItemPage`s); not a count. */
export const isListKey = (key: readonly unknown[]) =>
  typeof key[1] === 'object' && (key.length === 2 || (key.length === 3 && key[2] === 'tail'));

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

/**
 * The sort each list request asks for. `reversed` reads the listing from its far end: every key sorts the other
 * way, and the server breaks ties by id in the sort's direction, so a reversed listing is exactly the listing
 * backwards, keyset cursors included.
 */
function sortFor(params: ListingParams, kind: 'folder' | 'file', reversed = false) {
  // Folders have no size: a size-sorted view shows them by name.
  const key = kind === 'folder' && params.sort === 'size' ? 'name' : params.sort;
  const order = kind === 'folder' && params.sort === 'size' ? 'asc' : params.order;
  const ascending = (order === 'asc') !== reversed;
  return { fieldName: SORT_FIELDS[key], order: ascending ? 'ASC' : 'DESC' };
}

async function fetchFolders(
  params: ListingParams,
  cursor: string | null,
  signal: AbortSignal,
  reversed = false,
) {
  const { area, folderId, search } = params;
  const paging = { limit: ITEM_PAGE_SIZE, ...(cursor ? { cursor } : {}) };
  if (search) {
    const body = cursor
      ? { paging }
      : { rootFolder: AREAS[area].scope, search, sort: sortFor(params, 'folder', reversed), paging };
    return apiClient.post<ListFoldersResponse>('/site-media/v1/folders/search', body, { signal });
  }
  const path = area === 'trash' ? '/site-media/v1/trash-bin/folders' : '/site-media/v1/folders';
  const sort = sortFor(params, 'folder', reversed);
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

async function fetchFiles(
  params: ListingParams,
  cursor: string | null,
  signal: AbortSignal,
  reversed = false,
) {
  const { area, folderId, search, type } = params;
  const paging = { limit: ITEM_PAGE_SIZE, ...(cursor ? { cursor } : {}) };
  if (search) {
    const body = cursor
      ? { paging }
      : {
          rootFolder: AREAS[area].scope,
          search,
          sort: sortFor(params, 'file', reversed),
          paging,
          ...(type ? { mediaTypes: [type] } : {}),
        };
    return apiClient.post<ListFilesResponse>('/site-media/v1/files/search', body, { signal });
  }
  const path = area === 'trash' ? '/site-media/v1/trash-bin/files' : '/site-media/v1/files';
  const sort = sortFor(params, 'file', reversed);
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

const folderItem = (folder: Folder): Item => ({ key: folderItemKey(folder.id), kind: 'folder', folder });
const fileItem = (file: FileDescriptor): Item => ({ key: fileItemKey(file.id), kind: 'file', file });

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
          items: page.folders.map(folderItem),
          next: next ? { phase: 'folders', cursor: next } : { phase: 'files', cursor: null },
        };
      }
      const page = await fetchFiles(params, pageParam.cursor, signal);
      const next = page.nextCursor?.cursors.next ?? null;
      return { items: page.files.map(fileItem), next: next ? { phase: 'files', cursor: next } : undefined };
    },
    getNextPageParam: (last) => last.next,
  });
}

const TAIL_START: PageParam = { phase: 'files', cursor: null };

/**
 * The same listing read from its far end, for a jump to the end of a big folder (use-far-end.ts): files last to
 * first, then folders last to first. Each page holds its items in that backwards order.
 */
export function itemTailQueryOptions(params: ListingParams) {
  return infiniteQueryOptions({
    queryKey: itemKeys.tail(params),
    initialPageParam: TAIL_START,
    queryFn: async ({ pageParam, signal }): Promise<ItemPage> => {
      if (pageParam.phase === 'files') {
        const page = await fetchFiles(params, pageParam.cursor, signal, true);
        const next = page.nextCursor?.cursors.next ?? null;
        return {
          items: page.files.map(fileItem),
          next: next
            ? { phase: 'files', cursor: next }
            : params.type
              ? undefined
              : { phase: 'folders', cursor: null },
        };
      }
      const page = await fetchFolders(params, pageParam.cursor, signal, true);
      const next = page.nextCursor?.cursors.next ?? null;
      return {
        items: page.folders.map(folderItem),
        next: next ? { phase: 'folders', cursor: next } : undefined,
      };
    },
    getNextPageParam: (last) => last.next,
  });
}
