import { describe, expect, it } from 'vitest';
import { extCall } from '../testing/ext-api.ts';
import type { TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';

let t: TestApp;
useTestApp((app) => (t = app));

const ext = (method: 'GET' | 'POST', path: string, body?: object) => extCall(t, method, path, body);

describe('admin extensions: whole-folder count and trash', () => {
  it('counts a folder, then trashes all of it but the excepted items in one call', async () => {
    const folder = await t.createFolder('Big');
    const sub = await t.createFolder('Sub', folder.id);
    const kept = await t.createFolder('Kept', folder.id);
    const inSub = await t.upload('s', { parentFolderId: sub.id, fileName: 'in-sub.txt' });
    const files = [];
    for (let i = 0; i < 5; i++) {
      files.push(await t.upload(`f${i}`, { parentFolderId: folder.id, fileName: `f${i}.txt` }));
    }
    expect(await ext('GET', `/folders/${folder.id}/item-count`)).toEqual({
      status: 200,
      json: { folders: 2, files: 5, estimated: false },
    });
    expect((await ext('GET', `/folders/${folder.id}/item-count?mediaTypes=IMAGE`)).json).toEqual({
      folders: 0,
      files: 0,
      estimated: false,
    });

    const result = await ext('POST', `/folders/${folder.id}/trash-contents`, {
      exceptFolderIds: [kept.id],
      exceptFileIds: [files[0]!.id],
    });
    expect(result).toEqual({ status: 200, json: { trashedFolders: 1, trashedFiles: 4 } });
    expect((await ext('GET', `/folders/${folder.id}/item-count`)).json).toMatchObject({
      folders: 1,
      files: 1,
    });
    // Each trashed file is its own trash entry, restorable on its own; the folder took its subtree along.
    const trashed = await t.ok('GET', '/trash-bin/files');
    expect(trashed.files).toHaveLength(4);
    expect((await t.ok('GET', `/files/get-file-by-id?fileId=${inSub.id}`)).file.state).toBe('DELETED');
    await t.ok('POST', '/bulk/trash-bin/files/restore', { fileIds: [files[1]!.id] });
    expect((await ext('GET', `/folders/${folder.id}/item-count`)).json).toMatchObject({ files: 2 });
    // Wix's own list answers are untouched: no count field.
    expect(Object.keys(await t.ok('GET', `/files?parentFolderId=${folder.id}`)).sort()).toEqual([
      'files',
      'nextCursor',
    ]);
  });

  it('answers 404 for an unknown folder and 401 without the key', async () => {
    expect((await ext('GET', '/folders/nope/item-count')).status).toBe(404);
    const anonymous = await t.app.inject({
      method: 'GET',
      url: '/site-media-ext/v1/folders/media-root/item-count',
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
