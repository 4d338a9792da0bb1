import { describe, expect, it } from 'vitest';
import type { FileDescriptor, ValidationErrorBody } from '../../contract/index.ts';
import { expectAppError, storedBlobs } from '../testing/helpers.ts';
import type { TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';
import {
  expectViolation,
  expect4xx,
  generate,
  put,
  fileOf,
  listFiles,
  listFolders,
  allFiles,
} from '../testing/plain-uploads.ts';

// Plain uploads: file names, filePath folders, labels, and the folder a file lands in.

describe('plain uploads (generate-upload-url + PUT)', () => {
  let t: TestApp;
  useTestApp((app) => (t = app));

  it('filePath creates the missing folders, and a second upload reuses them', async () => {
    const first = (await t.upload('one', {
      fileName: 'one.mp4',
      mimeType: 'video/mp4',
      filePath: '/videos/2024',
    })) as FileDescriptor;

    const top = await listFolders(t);
    expect(top.map((f) => f.displayName)).toEqual(['videos']);
    const videos = top[0]!;
    const below = await listFolders(t, videos.id);
    expect(below.map((f) => f.displayName)).toEqual(['2024']);
    const year = below[0]!;
    expect(year.parentFolderId).toBe(videos.id);
    expect(first.parentFolderId).toBe(year.id);

    const second = (await t.upload('two', {
      fileName: 'two.mp4',
      mimeType: 'video/mp4',
      filePath: '/videos/2024',
    })) as FileDescriptor;
    expect(second.parentFolderId).toBe(year.id);
    expect((await listFolders(t)).map((f) => f.id)).toEqual([videos.id]);
    expect((await listFolders(t, videos.id)).map((f) => f.id)).toEqual([year.id]);

    // A path that shares only the first segment adds just the missing folder.
    const third = (await t.upload('three', {
      fileName: 'three.mp4',
      filePath: 'videos/2025/',
    })) as FileDescriptor;
    const years = await listFolders(t, videos.id);
    expect(years.map((f) => f.displayName).sort()).toEqual(['2024', '2025']);
    expect(third.parentFolderId).toBe(years.find((f) => f.displayName === '2025')!.id);
    expect((await listFolders(t)).length).toBe(1);

    expect((await listFiles(t, `?parentFolderId=${year.id}`)).map((f) => f.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
  });

  it('filePath is relative to parentFolderId', async () => {
    const base = await t.createFolder('base');
    const file = (await t.upload('x', { parentFolderId: base.id, filePath: 'a/b' })) as FileDescriptor;
    const a = await listFolders(t, base.id);
    expect(a.map((f) => f.displayName)).toEqual(['a']);
    const b = await listFolders(t, a[0]!.id);
    expect(b.map((f) => f.displayName)).toEqual(['b']);
    expect(file.parentFolderId).toBe(b[0]!.id);
    expect((await listFolders(t)).map((f) => f.id)).toEqual([base.id]);
  });

  it('concurrent uploads with the same filePath create each folder once', async () => {
    const urls = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        generate(t, { mimeType: 'text/plain', fileName: `f${i}.txt`, filePath: '/shared/deep' }),
      ),
    );
    const files = (await Promise.all(urls.map((url, i) => put(t, url, `content ${i}`)))).map(fileOf);
    const shared = await listFolders(t);
    expect(shared.map((f) => f.displayName)).toEqual(['shared']);
    const deep = await listFolders(t, shared[0]!.id);
    expect(deep.map((f) => f.displayName)).toEqual(['deep']);
    expect(new Set(files.map((f) => f.parentFolderId))).toEqual(new Set([deep[0]!.id]));
  });

  it('refuses a filePath with a bad segment', async () => {
    for (const filePath of ['/videos/../etc', '/a/./b', '/a/ b', '/a/\u0000b']) {
      const response = await t.api('POST', '/files/generate-upload-url', {
        mimeType: 'text/plain',
        fileName: 'x.txt',
        filePath,
      });
      expectViolation(response, 'filePath');
    }
    expect(await listFolders(t)).toEqual([]);
  });

  it('takes the name from ?filename= on the PUT when fileName was not given', async () => {
    const uploadUrl = await generate(t, { mimeType: 'application/octet-stream' });
    const file = fileOf(await put(t, uploadUrl, 'png-ish', { query: '?filename=sunset.png' }));
    expect(file.displayName).toBe('sunset.png');
    expect(file.mediaType).toBe('IMAGE');
  });

  it('decodes a percent-encoded ?filename=', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain' });
    const file = fileOf(
      await put(t, uploadUrl, 'x', { query: `?filename=${encodeURIComponent('résumé final.txt')}` }),
    );
    expect(file.displayName).toBe('résumé final.txt');
  });

  it('answers 400 when neither fileName nor ?filename= is given, and the URL stays usable', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain' });
    const response = await put(t, uploadUrl, 'no name', { contentType: 'text/plain' });
    expect(response.statusCode).toBe(400);
    expect4xx(response);
    expect(await allFiles(t)).toEqual([]);
    expect(await storedBlobs(t)).toEqual([]);

    const file = fileOf(
      await put(t, uploadUrl, 'no name', { contentType: 'text/plain', query: '?filename=named.txt' }),
    );
    expect(file.displayName).toBe('named.txt');
  });

  it('refuses a bad ?filename= (path separators, dots, control characters)', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain' });
    for (const name of [
      '../evil.txt',
      'a/b.txt',
      'a\\b.txt',
      '..',
      '.',
      ' padded.txt',
      'nul\u0000.txt',
      'x'.repeat(256),
    ]) {
      const response = await put(t, uploadUrl, 'x', { query: `?filename=${encodeURIComponent(name)}` });
      expect4xx(response);
      expect(response.statusCode, name).toBe(400);
    }
    expect(await allFiles(t)).toEqual([]);
    // None of them used the token up.
    fileOf(await put(t, uploadUrl, 'x', { query: '?filename=fine.txt' }));
  });

  it('refuses bad fileNames at generate time', async () => {
    for (const fileName of [
      'a/b.txt',
      'a\\b',
      '..',
      '.',
      ' x.txt',
      'x.txt ',
      'x\u0007.txt',
      '',
      'y'.repeat(256),
    ]) {
      const response = await t.api('POST', '/files/generate-upload-url', {
        mimeType: 'text/plain',
        fileName,
      });
      expectViolation(response, 'fileName');
    }
    // 255 characters is fine.
    await generate(t, { mimeType: 'text/plain', fileName: `${'y'.repeat(251)}.txt` });
  });

  it('refuses a missing or malformed mimeType', async () => {
    expectViolation(await t.api('POST', '/files/generate-upload-url', { fileName: 'a.txt' }), 'mimeType');
    for (const mimeType of ['', 'text', 'not a mime', 'text/plain; <script>', 42]) {
      expectViolation(
        await t.api('POST', '/files/generate-upload-url', { mimeType, fileName: 'a.txt' }),
        'mimeType',
      );
    }
  });

  it('refuses more than 50 labels at upload, and bad labels', async () => {
    const labels = Array.from({ length: 51 }, (_, i) => `l${i}`);
    const response = await t.api('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'a.txt',
      labels,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<ValidationErrorBody>().details.validationError.fieldViolations[0]!.field).toMatch(
      /^labels/,
    );
    const long = await t.api('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'a.txt',
      labels: ['z'.repeat(201)],
    });
    expect(long.statusCode).toBe(400);
    expect(long.json<ValidationErrorBody>().details.validationError.fieldViolations[0]!.field).toMatch(
      /^labels/,
    );
  });

  it('refuses an unknown parentFolderId at generate time with 404', async () => {
    const response = await t.api('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'a.txt',
      parentFolderId: 'no-such-folder',
    });
    expectAppError(response, 404, 'RESOURCE_NOT_FOUND');
  });

  it('refuses uploads into a trashed folder, or into the trash itself', async () => {
    const folder = await t.createFolder('Doomed');
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id] });
    const response = await t.api('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'a.txt',
      parentFolderId: folder.id,
    });
    expect4xx(response);
    expect(response.statusCode).not.toBe(401);

    const intoTrash = await t.api('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'a.txt',
      parentFolderId: 'trash-root',
    });
    expect4xx(intoTrash);
    expect(await allFiles(t)).toEqual([]);
  });

  it('never lets a file land inside a folder that was trashed after the URL was made', async () => {
    const folder = await t.createFolder('Going away');
    const uploadUrl = await generate(t, {
      mimeType: 'text/plain',
      fileName: 'late.txt',
      parentFolderId: folder.id,
    });
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id] });
    const response = await put(t, uploadUrl, 'bytes');
    if (response.statusCode === 200) {
      const file = fileOf(response);
      // Kept, but not as a live file inside a trashed folder.
      expect(file.state === 'DELETED' || file.parentFolderId !== folder.id).toBe(true);
    } else {
      expect4xx(response);
      expect(await allFiles(t)).toEqual([]);
    }
  });
});
