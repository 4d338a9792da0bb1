import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ZIP_READ_AHEAD } from '../services/zip-stream.ts';
import type { TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';
import {
  PUBLIC_URL,
  unzip,
  expectAppError,
  expectViolation,
  folderZipUrl,
  fetchZip,
  downloadZip,
  cloneFile,
  trackBlobs,
} from '../testing/zips.ts';

// Zip downloads, a zip of a folder, its tree, and the 1000-file limit.
// Every zip is checked with Info-ZIP's own tools (src/server/testing/zips.ts).

describe('zip of a folder', () => {
  let t: TestApp;
  useTestApp((app) => (t = app), { publicUrl: PUBLIC_URL });

  it('keeps the tree of live items, relative to the folder; leaves out trash, private files and the rest', async () => {
    const album = await t.createFolder('Album');
    const summer = await t.createFolder('summer', album.id);
    const july = await t.createFolder('july', summer.id);
    await t.createFolder('empty', album.id);
    const gone = await t.createFolder('gone', album.id);
    const big = randomBytes(300_000);
    await t.upload('cover', { fileName: 'cover.txt', parentFolderId: album.id });
    await t.upload(big, { fileName: 'beach.png', mimeType: 'image/png', parentFolderId: summer.id });
    await t.upload('fireworks', { fileName: 'fireworks.txt', parentFolderId: july.id });
    await t.upload('private', { fileName: 'secret.txt', parentFolderId: summer.id, private: true });
    const trashed = await t.upload('trashed', { fileName: 'trashed.txt', parentFolderId: album.id });
    await t.upload('in trashed folder', { fileName: 'lost.txt', parentFolderId: gone.id });
    await t.upload('elsewhere', { fileName: 'outside.txt' });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [trashed.id] });
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [gone.id] });

    const url = await folderZipUrl(t, album.id);
    const response = await fetchZip(t, url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="Album.zip"');
    const zip = unzip(response.rawPayload);
    // Depth first, by name: a folder's files, then each sub-folder (a directory entry, then its contents).
    expect(zip.names).toEqual([
      'cover.txt',
      'empty/',
      'summer/',
      'summer/beach.png',
      'summer/july/',
      'summer/july/fireworks.txt',
    ]);
    expect(zip.dirs).toEqual(['empty', 'summer', 'summer/july']);
    expect([...zip.files.keys()].sort()).toEqual([
      'cover.txt',
      'summer/beach.png',
      'summer/july/fireworks.txt',
    ]);
    expect(zip.files.get('cover.txt')!.toString()).toBe('cover');
    expect(zip.files.get('summer/beach.png')!.equals(big)).toBe(true);
    expect(zip.files.get('summer/july/fireworks.txt')!.toString()).toBe('fireworks');
    expect(new Set(zip.methods)).toEqual(new Set(['none (stored)']));
  });

  it('de-duplicates names within each directory, files and folders alike', async () => {
    const root = await t.createFolder('root');
    const dupA = await t.createFolder('dup', root.id);
    const dupB = await t.createFolder('DUP', root.id);
    await t.createFolder('x', root.id);
    await t.upload('file x', { fileName: 'x', parentFolderId: root.id });
    await t.upload('in a', { fileName: 'same.txt', parentFolderId: dupA.id });
    await t.upload('in b', { fileName: 'same.txt', parentFolderId: dupB.id });
    await t.upload('second', { fileName: 'same.txt', parentFolderId: dupB.id });

    const zip = await downloadZip(t, await folderZipUrl(t, root.id));
    // Files take their names first; then the folders, by name: "dup" and "DUP" collide (which one comes first
    // is up to their ids), and the folder "x" meets the file "x".
    expect(zip.names.filter((n) => n.endsWith('/'))).toHaveLength(3);
    expect(zip.names).toContain('x');
    expect(zip.names).toContain('x (2)/');
    const dupDirs = zip.names.filter((n) => /^(dup|DUP)( \(2\))?\/$/i.test(n));
    expect(dupDirs).toHaveLength(2);
    expect(new Set(dupDirs.map((d) => d.toLowerCase())).size).toBe(2);
    // Each duplicate folder keeps its own contents; inside one folder the second same.txt is renamed.
    const contents = new Map([...zip.files].map(([name, bytes]) => [name, bytes.toString()]));
    expect([...contents.values()].sort()).toEqual(['file x', 'in a', 'in b', 'second']);
    // Two files of one name in one folder: the second (by id, as names tie) becomes "same (2).txt".
    const withTwo = dupDirs.find((d) => contents.has(`${d}same (2).txt`))!;
    expect([contents.get(`${withTwo}same.txt`), contents.get(`${withTwo}same (2).txt`)].sort()).toEqual([
      'in b',
      'second',
    ]);
  });

  it('gives an empty folder a valid empty zip, and keeps empty sub-folders as directories', async () => {
    const nothing = await t.createFolder('nothing');
    const response = await fetchZip(t, await folderZipUrl(t, nothing.id));
    expect(response.statusCode).toBe(200);
    // Just the end-of-central-directory record, zero entries: every unzip opens it as an empty archive.
    expect(response.rawPayload.length).toBe(22);
    expect(response.rawPayload.readUInt32LE(0)).toBe(0x06054b50);
    expect(response.rawPayload.readUInt16LE(10)).toBe(0);

    const parent = await t.createFolder('parent');
    await t.createFolder('child', parent.id);
    expect((await downloadZip(t, await folderZipUrl(t, parent.id))).dirs).toEqual(['child']);
  });

  it('zips the folder as it is at download time', async () => {
    const folder = await t.createFolder('live');
    await t.upload('before', { fileName: 'before.txt', parentFolderId: folder.id });
    const url = await folderZipUrl(t, folder.id);
    await t.upload('after', { fileName: 'after.txt', parentFolderId: folder.id });
    expect((await downloadZip(t, url)).names).toEqual(['after.txt', 'before.txt']);

    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id] });
    expectAppError(await fetchZip(t, url), 409, 'FAILED_PRECONDITION');
    await t.ok('POST', '/bulk/trash-bin/folders/restore', { folderIds: [folder.id] });
    expect((await fetchZip(t, url)).statusCode).toBe(200);
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id], permanent: true });
    expectAppError(await fetchZip(t, url), 404, 'RESOURCE_NOT_FOUND');
  });

  it('zips media-root as "Site Files.zip", and refuses the trash', async () => {
    await t.upload('top', { fileName: 'top.txt' });
    const folder = await t.createFolder('nested');
    await t.upload('deep', { fileName: 'deep.txt', parentFolderId: folder.id });
    const response = await fetchZip(t, await folderZipUrl(t, 'media-root'));
    expect(response.headers['content-disposition']).toBe('attachment; filename="Site Files.zip"');
    expect(unzip(response.rawPayload).names).toEqual(['top.txt', 'nested/', 'nested/deep.txt']);

    expectViolation(await t.api('POST', '/folders/trash-root/generate-download-url', {}), 'folderId');
  });

  it('answers 404 for an unknown folder and 409 for one in the trash', async () => {
    const unknown = await t.api('POST', '/folders/no-such-folder/generate-download-url', {});
    expectAppError(unknown, 404, 'RESOURCE_NOT_FOUND');
    const folder = await t.createFolder('bin me');
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id] });
    expectAppError(
      await t.api('POST', `/folders/${folder.id}/generate-download-url`, {}),
      409,
      'FAILED_PRECONDITION',
    );
  });

  it('accepts the folderId repeated in the body, and refuses a different one', async () => {
    const folder = await t.createFolder('f');
    const other = await t.createFolder('g');
    await folderZipUrl(t, folder.id, { folderId: folder.id });
    const response = await t.api('POST', `/folders/${folder.id}/generate-download-url`, {
      folderId: other.id,
    });
    expectViolation(response, 'folderId');
  });

  it('zips exactly 1000 files across sub-folders, and refuses 1001 with a 400 naming the limit', async () => {
    const template = (await t.store.files.getFile((await t.upload('same bytes', { fileName: 't.txt' })).id))!;
    const top = await t.createFolder('many');
    const sub = await t.createFolder('sub', top.id);
    for (let i = 0; i < 1000; i++) {
      const parent = i % 2 === 0 ? top.id : sub.id;
      await cloneFile(t, template, {
        parent_folder_id: parent,
        display_name: `file ${String(i).padStart(4, '0')}.txt`,
        sort_name: `file ${String(i).padStart(4, '0')}.txt`,
      });
    }
    // Private files do not count: they never go in.
    await cloneFile(t, template, { parent_folder_id: sub.id, private: 1 });
    const url = await folderZipUrl(t, top.id);
    const blobs = trackBlobs(t);
    const zip = await downloadZip(t, url);
    expect(zip.files.size).toBe(1000);
    expect(zip.names.filter((n) => n.startsWith('sub/') && !n.endsWith('/'))).toHaveLength(500);
    expect([...zip.files.values()].every((b) => b.toString() === 'same bytes')).toBe(true);
    expect(blobs.opened).toBe(1000);
    // The blob being read, and at most ZIP_READ_AHEAD more opened ahead (one chunk of each read).
    expect(blobs.maxOpen).toBeGreaterThan(1);
    expect(blobs.maxOpen).toBeLessThanOrEqual(ZIP_READ_AHEAD + 1);
    expect(blobs.open).toBe(0);

    await cloneFile(t, template, { parent_folder_id: sub.id });
    const response = await t.api('POST', `/folders/${top.id}/generate-download-url`, {});
    expect(expectViolation(response, 'folderId')).toContain('1000');
    // The URL handed out earlier now answers 409 with the same reason.
    const late = expectAppError(await fetchZip(t, url), 409, 'FAILED_PRECONDITION');
    expect(late.message).toContain('1000');
    // 1000 rows inserted one transaction at a time: over PostgreSQL on a busy machine that takes a few seconds.
  }, 20_000);
});
