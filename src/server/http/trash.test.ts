import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storedBlobs } from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();

describe('trash', () => {
  it('trashes files, lists them as deleted, and restores them where they were', async () => {
    const folder = await t.createFolder('F');
    const file = await t.upload('abc', { parentFolderId: folder.id, fileName: 'x.txt' });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [file.id] });

    expect((await t.ok('GET', `/files?parentFolderId=${folder.id}`)).files).toHaveLength(0);
    const deleted = await t.ok('GET', '/trash-bin/files');
    expect(deleted.files.map((f: { id: string; state: string }) => [f.id, f.state])).toEqual([
      [file.id, 'DELETED'],
    ]);
    expect((await t.ok('POST', '/files/search', { search: 'x.txt' })).files).toHaveLength(0);
    expect(
      (await t.ok('POST', '/files/search', { search: 'x.txt', rootFolder: 'TRASH_ROOT' })).files,
    ).toHaveLength(1);
    // Deleting an item that is already in the trash is not an error.
    await t.ok('POST', '/bulk/files/delete', { fileIds: [file.id] });

    await t.ok('POST', '/bulk/trash-bin/files/restore', { fileIds: [file.id] });
    const back = await t.ok('GET', `/files?parentFolderId=${folder.id}`);
    expect(back.files.map((f: { id: string; state: string }) => [f.id, f.state])).toEqual([[file.id, 'OK']]);
    expect((await t.ok('GET', '/trash-bin/files')).files).toHaveLength(0);
  });

  it('trashes a folder with its whole subtree and restores it all', async () => {
    const a = await t.createFolder('A');
    const b = await t.createFolder('B', a.id);
    const c = await t.createFolder('C', b.id);
    const f1 = await t.upload('1', { parentFolderId: a.id, fileName: 'one.txt' });
    const f3 = await t.upload('3', { parentFolderId: c.id, fileName: 'three.txt' });

    await t.ok('POST', '/bulk/folders/delete', { folderIds: [a.id] });
    expect((await t.ok('GET', '/folders')).folders).toHaveLength(0);
    // The trash shows the deleted folder at its top level, and its contents inside it.
    expect(ids((await t.ok('GET', '/trash-bin/folders')).folders)).toEqual([a.id]);
    expect(ids((await t.ok('GET', `/trash-bin/folders?parentFolderId=${a.id}`)).folders)).toEqual([b.id]);
    expect(ids((await t.ok('GET', `/trash-bin/files?parentFolderId=${c.id}`)).files)).toEqual([f3.id]);
    expect((await t.ok('GET', '/trash-bin/files')).files).toHaveLength(0);
    const trashSearch = await t.ok('POST', '/files/search', { rootFolder: 'TRASH_ROOT' });
    expect(ids(trashSearch.files)).toEqual(ids([f1, f3]));
    expect((await t.ok('GET', `/files/get-file-by-id?fileId=${f3.id}`)).file.state).toBe('DELETED');

    await t.ok('POST', '/bulk/trash-bin/folders/restore', { folderIds: [a.id] });
    expect(ids((await t.ok('GET', '/folders')).folders)).toEqual([a.id]);
    expect(ids((await t.ok('GET', `/folders?parentFolderId=${b.id}`)).folders)).toEqual([c.id]);
    expect(ids((await t.ok('GET', `/files?parentFolderId=${c.id}`)).files)).toEqual([f3.id]);
    expect(ids((await t.ok('POST', '/files/search', {})).files)).toEqual(ids([f1, f3]));
    expect((await t.ok('POST', '/files/search', { rootFolder: 'TRASH_ROOT' })).files).toHaveLength(0);
  });

  it('restoring a folder brings back only what was trashed with it', async () => {
    const a = await t.createFolder('A');
    const early = await t.upload('e', { parentFolderId: a.id, fileName: 'early.txt' });
    const late = await t.upload('l', { parentFolderId: a.id, fileName: 'late.txt' });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [early.id] });
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [a.id] });
    await t.ok('POST', '/bulk/trash-bin/folders/restore', { folderIds: [a.id] });
    expect(ids((await t.ok('GET', `/files?parentFolderId=${a.id}`)).files)).toEqual([late.id]);
    expect(ids((await t.ok('GET', '/trash-bin/files')).files)).toEqual([early.id]);
  });

  it('restores to media-root when the old parent is trashed or gone', async () => {
    const a = await t.createFolder('A', 'visitor-uploads');
    const b = await t.createFolder('B', a.id);
    const file = await t.upload('x', { parentFolderId: a.id, fileName: 'orphan.txt' });
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [a.id] });

    // B was trashed with A; restoring B alone: its parent is still in the trash.
    await t.ok('POST', '/bulk/trash-bin/folders/restore', { folderIds: [b.id] });
    expect((await t.ok('GET', `/folders/${b.id}`)).folder).toMatchObject({
      parentFolderId: 'media-root',
      state: 'OK',
    });

    await t.ok('POST', '/bulk/folders/delete', { folderIds: [a.id], permanent: true });
    expect((await t.api('GET', `/folders/${a.id}`)).statusCode).toBe(404);
    // The file went with A for good.
    expect((await t.api('GET', `/files/get-file-by-id?fileId=${file.id}`)).statusCode).toBe(404);
  });

  it('deleting a folder for good leaves what was trashed on its own from it, restorable into media-root', async () => {
    const a = await t.createFolder('A');
    const b = await t.createFolder('B', a.id);
    const file = await t.upload('x', { parentFolderId: a.id, fileName: 'kept.txt' });
    const inB = await t.upload('y', { parentFolderId: b.id, fileName: 'in-b.txt' });
    const withA = await t.upload('z', { parentFolderId: a.id, fileName: 'with-a.txt' });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [file.id] });
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [b.id] });
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [a.id] });
    expect((await storedBlobs(t)).length).toBe(3);

    await t.ok('POST', '/bulk/folders/delete', { folderIds: [a.id], permanent: true });
    expect((await t.api('GET', `/folders/${a.id}`)).statusCode).toBe(404);
    expect((await t.api('GET', `/files/get-file-by-id?fileId=${withA.id}`)).statusCode).toBe(404);
    // The file and the sub-folder were each trashed on their own: they, their contents and bytes stay.
    expect(ids((await t.ok('GET', '/trash-bin/files')).files)).toEqual([file.id]);
    expect(ids((await t.ok('GET', '/trash-bin/folders')).folders)).toEqual([b.id]);
    expect(ids((await t.ok('GET', `/trash-bin/files?parentFolderId=${b.id}`)).files)).toEqual([inB.id]);
    expect((await storedBlobs(t)).length).toBe(2);

    await t.ok('POST', '/bulk/trash-bin/files/restore', { fileIds: [file.id] });
    expect((await t.ok('GET', `/files/get-file-by-id?fileId=${file.id}`)).file).toMatchObject({
      parentFolderId: 'media-root',
      state: 'OK',
    });
    await t.ok('POST', '/bulk/trash-bin/folders/restore', { folderIds: [b.id] });
    expect((await t.ok('GET', `/folders/${b.id}`)).folder.parentFolderId).toBe('media-root');
    expect(ids((await t.ok('GET', `/files?parentFolderId=${b.id}`)).files)).toEqual([inB.id]);
  });

  it('deleting a live folder for good leaves what was trashed from it earlier in the trash', async () => {
    const a = await t.createFolder('A');
    const early = await t.upload('e', { parentFolderId: a.id, fileName: 'early.txt' });
    const live = await t.upload('l', { parentFolderId: a.id, fileName: 'live.txt' });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [early.id] });
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [a.id], permanent: true });
    expect((await t.api('GET', `/files/get-file-by-id?fileId=${live.id}`)).statusCode).toBe(404);
    expect(ids((await t.ok('GET', '/trash-bin/files')).files)).toEqual([early.id]);
  });

  it('permanent delete removes files and their bytes', async () => {
    const file = await t.upload('bytes', { fileName: 'gone.txt' });
    expect((await storedBlobs(t)).length).toBe(1);
    await t.ok('POST', '/bulk/files/delete', { fileIds: [file.id], permanent: true });
    expect((await t.api('GET', `/files/get-file-by-id?fileId=${file.id}`)).statusCode).toBe(404);
    expect((await storedBlobs(t)).length).toBe(0);
  });

  it('permanently deleting a folder removes its whole subtree and all bytes', async () => {
    const a = await t.createFolder('A');
    const b = await t.createFolder('B', a.id);
    await t.upload('1', { parentFolderId: a.id });
    await t.upload('2', { parentFolderId: b.id });
    await t.upload('3');
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [a.id] });
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [a.id], permanent: true });
    expect((await t.api('GET', `/folders/${b.id}`)).statusCode).toBe(404);
    expect((await storedBlobs(t)).length).toBe(1);
    expect((await t.ok('POST', '/files/search', { rootFolder: 'TRASH_ROOT' })).files).toHaveLength(0);
  });

  it('a bulk call with an unknown id changes nothing', async () => {
    const file = await t.upload('x');
    const res = await t.api('POST', '/bulk/files/delete', { fileIds: [file.id, 'nope'] });
    expect(res.statusCode).toBe(404);
    expect(res.json().details.applicationError).toMatchObject({
      code: 'RESOURCE_NOT_FOUND',
      data: { ids: ['nope'] },
    });
    expect((await t.ok('GET', `/files/get-file-by-id?fileId=${file.id}`)).file.state).toBe('OK');
  });

  it('roots cannot be deleted or restored', async () => {
    for (const id of ['media-root', 'visitor-uploads', 'trash-root']) {
      const res = await t.api('POST', '/bulk/folders/delete', { folderIds: [id], permanent: true });
      expect(res.statusCode).toBe(403);
      expect(res.json().details.applicationError.code).toBe('PERMISSION_DENIED');
    }
  });

  it('trashed items cannot be renamed, moved into, or uploaded into', async () => {
    const a = await t.createFolder('A');
    const file = await t.upload('x');
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [a.id] });
    expect(
      (await t.api('PATCH', `/folders/${a.id}`, { folder: { id: a.id, displayName: 'B' } })).statusCode,
    ).toBe(409);
    const move = await t.api('PATCH', '/files/update-file-descriptor', {
      file: { id: file.id, parentFolderId: a.id },
    });
    expect(move.statusCode).toBe(409);
    expect((await t.api('POST', '/folders', { displayName: 'in', parentFolderId: a.id })).statusCode).toBe(
      409,
    );
  });
});
