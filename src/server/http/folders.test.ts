import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('folders', () => {
  it('creates a folder under media-root by default and gets it back', async () => {
    const { folder } = await t.ok('POST', '/folders', { displayName: 'Photos' });
    expect(folder).toMatchObject({ displayName: 'Photos', parentFolderId: 'media-root', state: 'OK' });
    expect(folder.id).toMatch(/^[0-9a-f]{32}$/);
    expect(Date.parse(folder.createdDate)).not.toBeNaN();
    const got = await t.ok('GET', `/folders/${folder.id}`);
    expect(got.folder).toEqual(folder);
  });

  it('tolerates the SDK adding ?folderId= and prefers it', async () => {
    const folder = await t.createFolder('A');
    const got = await t.ok('GET', `/folders/garbage?folderId=${folder.id}`);
    expect(got.folder.id).toBe(folder.id);
  });

  it('answers the roots by id', async () => {
    for (const id of ['media-root', 'visitor-uploads', 'trash-root']) {
      const { folder } = await t.ok('GET', `/folders/${id}`);
      expect(folder.id).toBe(id);
    }
  });

  it('creates folders in visitor-uploads but never in the trash', async () => {
    const v = await t.createFolder('From visitors', 'visitor-uploads');
    expect(v.parentFolderId).toBe('visitor-uploads');
    const res = await t.api('POST', '/folders', { displayName: 'x', parentFolderId: 'trash-root' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.validationError.fieldViolations[0].field).toBe('parentFolderId');
  });

  it('lists sub-folders with sort and paging', async () => {
    const parent = await t.createFolder('Parent');
    for (const name of ['b', 'A', 'c', 'D']) await t.createFolder(name, parent.id);
    const byName = await t.ok(
      'GET',
      `/folders?parentFolderId=${parent.id}&sort.fieldName=displayName&sort.order=ASC&paging.limit=3`,
    );
    expect(byName.folders.map((f: { displayName: string }) => f.displayName)).toEqual(['A', 'b', 'c']);
    expect(byName.nextCursor.hasNext).toBe(true);
    const next = await t.ok(
      'GET',
      `/folders?paging.cursor=${encodeURIComponent(byName.nextCursor.cursors.next)}`,
    );
    expect(next.folders.map((f: { displayName: string }) => f.displayName)).toEqual(['D']);
    expect(next.nextCursor).toEqual({ cursors: { next: null }, hasNext: false });
    const root = await t.ok('GET', '/folders');
    expect(root.folders.map((f: { displayName: string }) => f.displayName)).toEqual(['Parent']);
  });

  it('renames and moves a folder with its whole subtree', async () => {
    const a = await t.createFolder('A');
    const b = await t.createFolder('B');
    const child = await t.createFolder('Child', a.id);
    const file = await t.upload('x', { parentFolderId: child.id, fileName: 'deep.txt' });

    const renamed = await t.ok('PATCH', `/folders/${a.id}`, { folder: { id: a.id, displayName: 'A2' } });
    expect(renamed.folder.displayName).toBe('A2');
    const moved = await t.ok('PATCH', `/folders/${a.id}`, { folder: { id: a.id, parentFolderId: b.id } });
    expect(moved.folder.parentFolderId).toBe(b.id);

    const inB = await t.ok('GET', `/folders?parentFolderId=${b.id}`);
    expect(inB.folders.map((f: { id: string }) => f.id)).toEqual([a.id]);
    const inA = await t.ok('GET', `/folders?parentFolderId=${a.id}`);
    expect(inA.folders.map((f: { id: string }) => f.id)).toEqual([child.id]);
    const files = await t.ok('GET', `/files?parentFolderId=${child.id}`);
    expect(files.files.map((f: { id: string }) => f.id)).toEqual([file.id]);
  });

  it('never moves a folder into itself or its subtree', async () => {
    const a = await t.createFolder('A');
    const child = await t.createFolder('Child', a.id);
    const grandchild = await t.createFolder('Grandchild', child.id);
    for (const target of [a.id, child.id, grandchild.id]) {
      const res = await t.api('PATCH', `/folders/${a.id}`, { folder: { id: a.id, parentFolderId: target } });
      expect(res.statusCode).toBe(400);
      expect(res.json().details.validationError.fieldViolations[0].field).toBe('folder.parentFolderId');
    }
    expect((await t.ok('GET', `/folders/${a.id}`)).folder.parentFolderId).toBe('media-root');
  });

  it('ignores read-only fields sent back in an update', async () => {
    const a = await t.createFolder('A');
    const { folder } = await t.ok('PATCH', `/folders/${a.id}`, {
      folder: {
        ...a,
        _id: a.id,
        displayName: 'B',
        state: 'DELETED',
        siteId: 'other',
        createdDate: '2000-01-01T00:00:00Z',
      },
    });
    expect(folder).toMatchObject({ id: a.id, displayName: 'B', state: 'OK', createdDate: a.createdDate });
  });

  it('moving a folder between Site Files and Visitor Uploads moves its files between search scopes', async () => {
    const a = await t.createFolder('Moving');
    await t.upload('x', { parentFolderId: a.id, fileName: 'travelling.txt' });
    await t.ok('PATCH', `/folders/${a.id}`, { folder: { id: a.id, parentFolderId: 'visitor-uploads' } });
    const media = await t.ok('POST', '/files/search', { search: 'travelling', rootFolder: 'MEDIA_ROOT' });
    expect(media.files).toHaveLength(0);
    const visitor = await t.ok('POST', '/files/search', {
      search: 'travelling',
      rootFolder: 'VISITOR_UPLOADS_ROOT',
    });
    expect(visitor.files).toHaveLength(1);
    const folders = await t.ok('POST', '/folders/search', {
      search: 'moving',
      rootFolder: 'VISITOR_UPLOADS_ROOT',
    });
    expect(folders.folders.map((f: { id: string }) => f.id)).toEqual([a.id]);
  });

  it('searches folder names case-insensitively by substring, per root', async () => {
    const a = await t.createFolder('Summer Holiday');
    await t.createFolder('Winter', a.id);
    await t.createFolder('summertime', 'visitor-uploads');
    const res = await t.ok('POST', '/folders/search', { search: 'SUMMER' });
    expect(res.folders.map((f: { displayName: string }) => f.displayName)).toEqual(['Summer Holiday']);
    const all = await t.ok('POST', '/folders/search', {});
    expect(all.folders).toHaveLength(2);
    const pct = await t.ok('POST', '/folders/search', { search: '%' });
    expect(pct.folders).toHaveLength(0);
  });

  it('queries folders by state and parent with a cursor that carries the query', async () => {
    const parent = await t.createFolder('P');
    for (const name of ['x1', 'x2', 'x3']) await t.createFolder(name, parent.id);
    const first = await t.ok('POST', '/folders/query', {
      query: {
        filter: { $and: [{ state: 'OK' }, { parentFolderId: parent.id }] },
        sort: [{ fieldName: 'displayName', order: 'DESC' }],
        cursorPaging: { limit: 2 },
      },
    });
    expect(first.folders.map((f: { displayName: string }) => f.displayName)).toEqual(['x3', 'x2']);
    expect(first.pagingMetadata).toMatchObject({ count: 2, hasNext: true });
    const second = await t.ok('POST', '/folders/query', {
      query: { cursorPaging: { cursor: first.pagingMetadata.cursors.next, limit: 2 } },
    });
    expect(second.folders.map((f: { displayName: string }) => f.displayName)).toEqual(['x1']);
    expect(second.pagingMetadata.cursors.next).toBeNull();
  });

  it('refuses unknown query filter fields and operators', async () => {
    for (const filter of [{ color: 'red' }, { state: { $ne: 'OK' } }, { $or: [{ state: 'OK' }] }]) {
      const res = await t.api('POST', '/folders/query', { query: { filter } });
      expect(res.statusCode).toBe(400);
      expect(res.json().details.validationError.fieldViolations[0].field).toMatch(/^query\.filter/);
    }
  });
});
