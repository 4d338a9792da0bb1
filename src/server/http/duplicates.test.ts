import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DuplicateGroupsResponse, FileDescriptor } from '../../contract/index.ts';
import {
  expectViolation,
  listen,
  patterned,
  rebase,
  sha256Hex,
  storedBlobs,
  tempBlobs,
  tusFiles,
} from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
// A new app migrates a fresh schema: on PostgreSQL, on a busy machine, longer than the default hook timeout.
beforeEach(async () => {
  t = await createTestApp();
}, 60_000);
afterEach(async () => {
  await t?.close();
});

/** A call to the extension prefix `/site-media-ext/v1`. */
function ext(method: 'GET' | 'POST', path: string, body?: unknown): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url: `/site-media-ext/v1${path}`,
    headers: { authorization: t.apiKey },
    ...(body !== undefined && { payload: body as object }),
  });
}

async function extOk<T = Record<string, any>>(method: 'GET' | 'POST', path: string, body?: unknown) {
  const response = await ext(method, path, body);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<T>();
}

/** An upload through the extension's generate-upload-url, with `onDuplicate`. */
async function uploadWith(
  content: string,
  onDuplicate: string | undefined,
  options: { fileName?: string; parentFolderId?: string; filePath?: string } = {},
): Promise<FileDescriptor> {
  const { uploadUrl } = await extOk<{ uploadUrl: string }>('POST', '/files/generate-upload-url', {
    mimeType: 'text/plain',
    fileName: options.fileName ?? 'copy.txt',
    ...options,
    ...(onDuplicate && { onDuplicate }),
  });
  const response = await t.app.inject({
    method: 'PUT',
    url: new URL(uploadUrl).pathname,
    headers: { 'content-type': 'text/plain' },
    payload: content,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ file: FileDescriptor }>().file;
}

const liveFiles = async () =>
  (await t.ok<{ files: FileDescriptor[] }>('POST', '/files/search', { rootFolder: 'MEDIA_ROOT' })).files;

describe('find-by-hash', () => {
  it('answers the live files with these bytes, oldest first, not those in the trash', async () => {
    const first = await t.upload('same bytes', { fileName: 'a.txt' });
    const second = await t.upload('same bytes', { fileName: 'b.txt' });
    const trashed = await t.upload('same bytes', { fileName: 'c.txt' });
    await t.upload('other bytes', { fileName: 'd.txt' });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [trashed.id] });

    const { files } = await extOk<{ files: FileDescriptor[] }>('POST', '/files/find-by-hash', {
      hash: sha256Hex('same bytes').toUpperCase(),
    });
    expect(files.map((f) => f.id)).toEqual([first.id, second.id]);

    const none = await extOk('POST', '/files/find-by-hash', { hash: sha256Hex('never uploaded') });
    expect(none.files).toEqual([]);
    expectViolation(await ext('POST', '/files/find-by-hash', { hash: 'abc' }), 'hash');
  });
});

describe('onDuplicate at upload', () => {
  it('KEEP_BOTH (and no flag, and Wix own endpoint) makes a new file as today', async () => {
    const original = await t.upload('dup', { fileName: 'a.txt' });
    const plain = await uploadWith('dup', undefined);
    const kept = await uploadWith('dup', 'KEEP_BOTH');
    // Wix's endpoint does not take the flag: an unknown field is ignored, a new file made as Wix would.
    const viaWix = await t.ok<{ uploadUrl: string }>('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'w.txt',
      onDuplicate: 'USE_EXISTING',
    });
    const put = await t.app.inject({
      method: 'PUT',
      url: new URL(viaWix.uploadUrl).pathname,
      payload: 'dup',
    });
    const wix = put.json<{ file: FileDescriptor }>().file;
    const ids = new Set([original.id, plain.id, kept.id, wix.id]);
    expect(ids.size).toBe(4);
    expect(await storedBlobs(t)).toHaveLength(4);
  });

  it('USE_EXISTING answers the oldest live file and leaves no new file or bytes behind', async () => {
    const oldest = await t.upload('dup', { fileName: 'a.txt' });
    await t.upload('dup', { fileName: 'b.txt' });
    const folder = await t.createFolder('Elsewhere');

    const answered = await uploadWith('dup', 'USE_EXISTING', {
      parentFolderId: folder.id,
      fileName: 'new.txt',
    });
    expect(answered.id).toBe(oldest.id);
    expect(answered.displayName).toBe('a.txt');
    expect(answered.parentFolderId).toBe('media-root');
    expect(await liveFiles()).toHaveLength(2);
    expect(await storedBlobs(t)).toHaveLength(2);
    expect(await tempBlobs(t)).toEqual([]);

    // Bytes not in the library yet: a new file, as with KEEP_BOTH.
    const fresh = await uploadWith('fresh', 'USE_EXISTING');
    expect(fresh.id).not.toBe(oldest.id);
    expect(fresh.hash).toBe(sha256Hex('fresh'));
  });

  it('USE_EXISTING ignores copies in the trash', async () => {
    const trashed = await t.upload('dup', { fileName: 'a.txt' });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [trashed.id] });
    const made = await uploadWith('dup', 'USE_EXISTING');
    expect(made.id).not.toBe(trashed.id);
    expect(made.displayName).toBe('copy.txt');
  });

  it('REPLACE keeps the existing file (same id and URL), moved and renamed to where the upload was going', async () => {
    const existing = await t.upload('dup', { fileName: 'old-name.txt' });
    const folder = await t.createFolder('Target');

    const answered = await uploadWith('dup', 'REPLACE', {
      parentFolderId: folder.id,
      filePath: '/sub',
      fileName: 'new-name.txt',
    });
    expect(answered.id).toBe(existing.id);
    expect(answered.url).toBe(existing.url);
    expect(answered.displayName).toBe('new-name.txt');
    const sub = (await t.ok('POST', '/folders/search', { search: 'sub' })).folders[0];
    expect(sub.parentFolderId).toBe(folder.id);
    expect(answered.parentFolderId).toBe(sub.id);
    expect(await liveFiles()).toHaveLength(1);
    expect(await storedBlobs(t)).toHaveLength(1);
  });

  it('applies to resumable (tus) uploads at finalize', async () => {
    const base = await listen(t);
    const content = patterned(50_000);
    const first = await fetch(`${base}/site-media/v1/files/generate-upload-url`, {
      method: 'POST',
      headers: { authorization: t.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ mimeType: 'application/octet-stream', fileName: 'one.bin' }),
    });
    const { uploadUrl } = (await first.json()) as { uploadUrl: string };
    const put = await fetch(rebase(uploadUrl, base), { method: 'PUT', body: new Uint8Array(content) });
    const existing = ((await put.json()) as { file: FileDescriptor }).file;

    const generated = await extOk<{ uploadUrl: string; uploadToken: string }>(
      'POST',
      '/files/generate-resumable-upload-url',
      { mimeType: 'application/octet-stream', fileName: 'two.bin', onDuplicate: 'USE_EXISTING' },
    );
    const endpoint = rebase(generated.uploadUrl, base);
    const created = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Length': String(content.length),
        'Upload-Metadata': `token ${Buffer.from(generated.uploadToken).toString('base64')}`,
        'Content-Type': 'application/offset+octet-stream',
      },
      body: new Uint8Array(content),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const finalized = await fetch(`${endpoint}/${generated.uploadToken}`, { method: 'PUT' });
    const text = await finalized.text();
    expect(finalized.status, text).toBe(200);
    expect((JSON.parse(text) as { file: FileDescriptor }).file.id).toBe(existing.id);
    expect(await liveFiles()).toHaveLength(1);
    expect(await storedBlobs(t)).toHaveLength(1);
    expect(await tusFiles(t)).toEqual([]);
  });

  it('refuses an unknown mode', async () => {
    const response = await ext('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'a.txt',
      onDuplicate: 'OVERWRITE',
    });
    expectViolation(response, 'onDuplicate');
  });
});

describe('duplicate groups', () => {
  it('pages groups of identical live files, largest first, with the bytes they waste', async () => {
    const big = 'B'.repeat(300);
    const mid = 'M'.repeat(200);
    const small = 'S'.repeat(100);
    const bigs = [];
    for (let i = 0; i < 3; i++) bigs.push(await t.upload(big, { fileName: `big-${i}.txt` }));
    for (let i = 0; i < 2; i++) await t.upload(mid, { fileName: `mid-${i}.txt` });
    const smalls = [];
    for (let i = 0; i < 2; i++) smalls.push(await t.upload(small, { fileName: `small-${i}.txt` }));
    await t.upload('unique', { fileName: 'unique.txt' });
    // A group whose copies are in the trash but one is no group.
    await t.ok('POST', '/bulk/files/delete', { fileIds: [smalls[1]!.id] });

    const seen: DuplicateGroupsResponse['groups'] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: DuplicateGroupsResponse = await extOk<DuplicateGroupsResponse>(
        'GET',
        `/duplicates?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.groups.length).toBeLessThanOrEqual(1);
      seen.push(...page.groups);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);

    expect(seen.map((g) => [g.sizeInBytes, g.fileCount, g.wastedBytes])).toEqual([
      ['300', 3, '600'],
      ['200', 2, '200'],
    ]);
    expect(seen[0]!.hash).toBe(sha256Hex(big));
    expect(seen[0]!.files.map((f) => f.id)).toEqual(bigs.map((f) => f.id));
    expectViolation(await ext('GET', '/duplicates?cursor=nonsense'), 'cursor');
  });
});

describe('merge', () => {
  it('keeps the chosen file and moves the others to the trash, restorable', async () => {
    const a = await t.upload('dup', { fileName: 'a.txt' });
    const b = await t.upload('dup', { fileName: 'b.txt' });
    const c = await t.upload('dup', { fileName: 'c.txt' });

    const merged = await extOk('POST', '/duplicates/merge', { keepFileId: b.id });
    expect(merged.file.id).toBe(b.id);
    expect([...merged.trashedFileIds].sort()).toEqual([a.id, c.id].sort());
    expect((await liveFiles()).map((f) => f.id)).toEqual([b.id]);
    const groups = await extOk<DuplicateGroupsResponse>('GET', '/duplicates');
    expect(groups.groups).toEqual([]);

    await t.ok('POST', '/bulk/trash-bin/files/restore', { fileIds: [a.id] });
    expect((await liveFiles()).map((f) => f.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('removes only the files named, which must have the same bytes', async () => {
    const a = await t.upload('dup', { fileName: 'a.txt' });
    const b = await t.upload('dup', { fileName: 'b.txt' });
    const c = await t.upload('dup', { fileName: 'c.txt' });
    const other = await t.upload('other', { fileName: 'o.txt' });

    expectViolation(
      await ext('POST', '/duplicates/merge', { keepFileId: a.id, fileIds: [b.id, other.id] }),
      'fileIds',
    );
    expect(await liveFiles()).toHaveLength(4);

    const merged = await extOk('POST', '/duplicates/merge', { keepFileId: a.id, fileIds: [c.id] });
    expect(merged.trashedFileIds).toEqual([c.id]);
    expect((await liveFiles()).map((f) => f.id).sort()).toEqual([a.id, b.id, other.id].sort());

    await t.ok('POST', '/bulk/files/delete', { fileIds: [a.id] });
    const refused = await ext('POST', '/duplicates/merge', { keepFileId: a.id });
    expect(refused.statusCode).toBe(409);
  });
});
