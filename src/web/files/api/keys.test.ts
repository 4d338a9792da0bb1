import { describe, expect, it } from 'vitest';
import { folderKeys } from '../../folders/api/folders';
import { fileKeys } from './files';
import { itemKeys, itemListQueryOptions, type ListingParams } from './items';

const params: ListingParams = {
  area: 'files',
  folderId: 'media-root',
  search: '',
  sort: 'name',
  order: 'asc',
  type: null,
};

describe('query-key factories', () => {
  it('nest every key under its resource, so one invalidation reaches all of it', () => {
    expect(itemKeys.list(params).slice(0, 1)).toEqual(itemKeys.all);
    expect(folderKeys.detail('f1').slice(0, 1)).toEqual(folderKeys.all);
    expect(folderKeys.children('f1').slice(0, 1)).toEqual(folderKeys.all);
    expect(folderKeys.path('f1').slice(0, 1)).toEqual(folderKeys.all);
    expect(fileKeys.detail('x').slice(0, 1)).toEqual(fileKeys.all);
  });

  it('gives each listing (folder, search, sort, filter) its own key', () => {
    const keys = [
      itemKeys.list(params),
      itemKeys.list({ ...params, folderId: 'f1' }),
      itemKeys.list({ ...params, search: 'cat' }),
      itemKeys.list({ ...params, order: 'desc' }),
      itemKeys.list({ ...params, type: 'IMAGE' }),
      itemKeys.list({ ...params, area: 'trash', folderId: 'trash-root' }),
    ].map((key) => JSON.stringify(key));
    expect(new Set(keys).size).toBe(keys.length);
    expect(JSON.stringify(itemKeys.list({ ...params }))).toBe(keys[0]);
  });

  it('queryOptions use the factory key', () => {
    expect(itemListQueryOptions(params).queryKey).toEqual(itemKeys.list(params));
  });

  it('a type filter skips the folders phase (folders have no type)', () => {
    expect(itemListQueryOptions(params).initialPageParam).toEqual({ phase: 'folders', cursor: null });
    expect(itemListQueryOptions({ ...params, type: 'VIDEO' }).initialPageParam).toEqual({
      phase: 'files',
      cursor: null,
    });
  });
});
