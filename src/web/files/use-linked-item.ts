import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { folderQueryOptions } from '../folders/api/folders';
import { fileQueryOptions } from './api/files';
import { fileItemKey, folderItemKey, type Item, type ListingParams } from './api/items';

/** Whether the URL's item can be found by paging the listing: `unknown` pages on, within a bound. */
export type Membership = 'pending' | 'yes' | 'no' | 'unknown';

/**
 * The item the URL names (`?item=file:<id>` or `folder:<id>`) when it is not among the loaded items: fetched by
 * id, so a link to a file past the first page of a big folder opens its details at once, and so the browser
 * knows whether paging the listing can ever reach it (a file moved elsewhere or deleted must not make it page
 * through the whole folder).
 */
export function useLinkedItem(
  itemKey: string | null,
  loaded: ReadonlyMap<string, Item>,
  params: ListingParams,
): { item: Item | undefined; membership: Membership } {
  const [kind, id = ''] = itemKey?.split(/:(.*)/s) ?? [];
  // An item that was loaded and left the listing (trashed, moved) is not fetched back into the details panel.
  const seen = useRef<string | null>(null);
  if (itemKey && loaded.has(itemKey)) seen.current = itemKey;
  const left = !!itemKey && seen.current === itemKey && !loaded.has(itemKey);
  const wanted = !!itemKey && !loaded.has(itemKey) && !left;
  const file = useQuery({ ...fileQueryOptions(id), enabled: wanted && kind === 'file' });
  const folder = useQuery({ ...folderQueryOptions(id), enabled: wanted && kind === 'folder' });
  const loadedItem = itemKey ? loaded.get(itemKey) : undefined;
  if (loadedItem) return { item: loadedItem, membership: 'yes' };
  if (left) return { item: undefined, membership: 'no' };
  if (!wanted || (kind !== 'file' && kind !== 'folder')) return { item: undefined, membership: 'no' };

  const query = kind === 'file' ? file : folder;
  if (query.isError) return { item: undefined, membership: 'no' };
  if (!query.data) return { item: undefined, membership: 'pending' };
  const item: Item = file.data
    ? { key: fileItemKey(file.data.id), kind: 'file', file: file.data }
    : { key: folderItemKey(folder.data?.id ?? id), kind: 'folder', folder: folder.data! };
  // Searches and the trash list items from many folders: only the bounded paging can tell.
  if (params.search || params.area === 'trash') return { item, membership: 'unknown' };
  const parent = item.kind === 'file' ? item.file.parentFolderId : item.folder.parentFolderId;
  const state = item.kind === 'file' ? item.file.state : item.folder.state;
  const typeMatches = !params.type || (item.kind === 'file' && item.file.mediaType === params.type);
  return {
    item,
    membership: parent === params.folderId && state !== 'DELETED' && typeMatches ? 'yes' : 'no',
  };
}
