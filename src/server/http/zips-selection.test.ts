import { describe, expect, it } from 'vitest';
import { TEST_API_KEY, type TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';
import { PUBLIC_URL, unzip, expectAppError, expectViolation, fetchZip, cloneFile } from '../testing/zips.ts';

// Zip downloads, a zip of a selection of files and folders (the /site-media-ext/v1 extension).
// Every zip is checked with Info-ZIP's own tools (src/server/testing/zips.ts).

describe('zip of a selection (files and folders, /site-media-ext/v1 extension)', () => {
  let t: TestApp;
  useTestApp((app) => (t = app), { publicUrl: PUBLIC_URL });

  const generate = (body: unknown, authorization: string | null = TEST_API_KEY) =>
    t.app.inject({
      method: 'POST',
      url: '/site-media-ext/v1/zips/generate-download-url',
      headers: authorization ? { authorization } : {},
      payload: body as object,
    });

  it('zips named files at the top and named folders with their trees, as files.zip', async () => {
    const album = await t.createFolder('Album');
    const inner = await t.createFolder('Inner', album.id);
    await t.upload('a', { parentFolderId: album.id, fileName: 'a.txt' });
    await t.upload('b', { parentFolderId: inner.id, fileName: 'b.txt' });
    const x = await t.upload('x', { fileName: 'x.txt' });
    const y = await t.upload('y', { fileName: 'album' });
    const trashed = await t.createFolder('Old', album.id);
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [trashed.id] });

    const response = await generate({ fileIds: [x.id, y.id], folderIds: [album.id] });
    expect(response.statusCode, response.body).toBe(200);
    const url = response.json<{ downloadUrl: string }>().downloadUrl;
    const fetched = await fetchZip(t, url);
    expect(fetched.headers['content-disposition']).toContain('files.zip');
    const zip = unzip(fetched.rawPayload);
    // Files take their names first; the folder named like a file becomes "Album (2)".
    expect(zip.names).toEqual([
      'x.txt',
      'album',
      'Album (2)/',
      'Album (2)/a.txt',
      'Album (2)/Inner/',
      'Album (2)/Inner/b.txt',
    ]);
    expect(zip.files.get('Album (2)/Inner/b.txt')?.toString()).toBe('b');
  });

  it('refuses more than 1000 files in all with a sentence naming the limit, before any download', async () => {
    const template = (await t.store.files.getFile((await t.upload('same', { fileName: 't.txt' })).id))!;
    const top = await t.createFolder('many');
    for (let i = 0; i < 1000; i++) {
      await cloneFile(t, template, {
        parent_folder_id: top.id,
        display_name: `f${i}.txt`,
        sort_name: `f${i}.txt`,
      });
    }
    const response = await generate({ fileIds: [template.id], folderIds: [top.id] });
    expect(expectViolation(response, 'folderIds')).toMatch(/^the selection holds more than 1000 files/);
  }, 20_000);

  it('answers 404 for unknown ids, 409 for a folder in the trash, 400 for nothing named or a root of trash', async () => {
    const folder = await t.createFolder('F');
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id] });
    expectAppError(await generate({ folderIds: ['nope'] }), 404, 'RESOURCE_NOT_FOUND');
    expectAppError(await generate({ fileIds: ['nope'] }), 404, 'RESOURCE_NOT_FOUND');
    expectAppError(await generate({ folderIds: [folder.id] }), 409, 'FAILED_PRECONDITION');
    expect((await generate({})).statusCode).toBe(400);
    expect((await generate({ folderIds: ['trash-root'] })).statusCode).toBe(400);
  });

  it('needs the admin key', async () => {
    const file = await t.upload('x', { fileName: 'x.txt' });
    expect((await generate({ fileIds: [file.id] }, null)).statusCode).toBe(401);
  });
});
