import sharp from 'sharp';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { BlobSweeper } from '../services/blob-sweeper.ts';
import { IntegrityStore } from '../stores/integrity-store.ts';
import { expectAppError, sha256Hex, storedBlobs, waitFor } from '../testing/helpers.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
afterEach(async () => {
  await t.close();
});

function png(width: number, height: number, background: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();
}

/** `POST /site-media-ext/v1<path>` with the API key. */
function ext(path: string, body: unknown) {
  return t.app.inject({
    method: 'POST',
    url: `/site-media-ext/v1${path}`,
    headers: { authorization: TEST_API_KEY },
    payload: body as Record<string, unknown>,
  });
}

async function replace(fileId: string, bytes: Buffer, mimeType: string) {
  const generated = await ext(`/files/${encodeURIComponent(fileId)}/replace-upload-url`, {
    mimeType,
    sizeInBytes: bytes.length,
  });
  expect(generated.statusCode, generated.body).toBe(200);
  const { uploadUrl } = generated.json<{ uploadUrl: string }>();
  return t.app.inject({
    method: 'PUT',
    url: new URL(uploadUrl).pathname,
    headers: { 'content-type': mimeType },
    payload: bytes,
  });
}

async function getFile(id: string) {
  return (
    await t.ok<{ file: Record<string, any> }>('GET', `/files/get-file-by-id?fileId=${encodeURIComponent(id)}`)
  ).file;
}

async function ready(id: string) {
  await waitFor(async () => (await getFile(id)).operationStatus === 'READY', `${id} processed`, 30_000);
  return getFile(id);
}

async function trashed() {
  const listed = await t.ok<{ files: Record<string, any>[] }>('GET', '/trash-bin/files');
  return listed.files;
}

function served(url: string) {
  const parsed = new URL(url);
  return t.app.inject({ method: 'GET', url: `${parsed.pathname}${parsed.search}` });
}

describe('Replace (POST /site-media-ext/v1/files/<id>/replace-upload-url)', () => {
  it('gives the file new bytes under the same id and URL, with the old version restorable from the trash', async () => {
    t = await createTestApp();
    const folder = await t.createFolder('Campaign');
    const before = await png(40, 30, '#f00');
    const original = await t.upload(before, {
      fileName: 'hero.png',
      mimeType: 'image/png',
      parentFolderId: folder.id,
      labels: ['spring'],
    });
    const first = await ready(original.id);
    expect(first.url).toBe(`http://media.test/media/${original.id}`);
    // A transformation of the first bytes, cached.
    const variant = `/media/${original.id}/v1/fit/w_20,h_20/x.png`;
    expect((await t.app.inject({ method: 'GET', url: variant })).statusCode).toBe(200);
    const variantsBefore = await t.store.db.selectFrom('image_variants').select('key').execute();
    expect(variantsBefore).toHaveLength(1);

    const after = await png(80, 20, '#00f');
    const put = await replace(original.id, after, 'image/png');
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().file).toMatchObject({ id: original.id, hash: sha256Hex(after) });

    const file = await ready(original.id);
    expect(file).toMatchObject({
      id: original.id,
      displayName: 'hero.png',
      parentFolderId: folder.id,
      labels: ['spring'],
      hash: sha256Hex(after),
      sizeInBytes: String(after.length),
      mimeType: 'image/png',
    });
    expect(file.media.image.image).toMatchObject({ width: 80, height: 20 });
    // Same URL but for its version: caches holding the first bytes ask again.
    expect(file.url).toBe(`http://media.test/media/${original.id}?v=1`);
    expect(file.thumbnailUrl).toMatch(/\/thumbnail\?v=1$/);
    expect(file.media.image.previewImage?.url ?? '').toMatch(/\?v=1$|^$/);
    expect((await served(file.url)).rawPayload.equals(after)).toBe(true);
    expect(
      (await t.app.inject({ method: 'GET', url: `/media/${original.id}` })).rawPayload.equals(after),
    ).toBe(true);
    const thumb = await sharp((await served(file.thumbnailUrl)).rawPayload).metadata();
    expect(thumb.width / thumb.height).toBeCloseTo(4, 0);
    // The transformation is rendered from the new bytes; the first bytes' variant is gone.
    const fresh = await t.app.inject({ method: 'GET', url: variant });
    expect(await sharp(fresh.rawPayload).metadata()).toMatchObject({ width: 20, height: 5 });
    const keys = (await t.store.db.selectFrom('image_variants').select('key').execute()).map((r) => r.key);
    expect(keys).not.toContain(variantsBefore[0]!.key);

    // The earlier bytes are a file of their own in the trash, restorable where the file was.
    const [old] = await trashed();
    expect(old).toMatchObject({
      hash: sha256Hex(before),
      sizeInBytes: String(before.length),
      parentFolderId: folder.id,
      state: 'DELETED',
      labels: ['spring'],
    });
    expect(old!.displayName).toMatch(/^hero \(version of \d{4}-\d\d-\d\d \d\d\.\d\d UTC\)\.png$/);
    expect(old!.id).not.toBe(original.id);
    await t.ok('POST', '/bulk/trash-bin/files/restore', { fileIds: [old!.id] });
    const restored = await ready(old!.id);
    expect(restored).toMatchObject({ parentFolderId: folder.id, state: 'OK' });
    expect(restored.media.image.image).toMatchObject({ width: 40, height: 30 });
    expect((await served(restored.url)).rawPayload.equals(before)).toBe(true);
    expect((await served(restored.thumbnailUrl)).statusCode).toBe(200);

    // A second replace moves the version on again.
    expect((await replace(original.id, before, 'image/png')).statusCode).toBe(200);
    expect((await ready(original.id)).url).toBe(`http://media.test/media/${original.id}?v=2`);
    // The renditions of replaced versions are deleted by their cleanup job; those in use stay.
    await waitFor(
      async () =>
        (await t.store.db.selectFrom('jobs').select('state').where('state', '!=', 'done').execute())
          .length === 0,
      'jobs done',
      30_000,
    );
    const live = await storedBlobs(t);
    for (const f of [await getFile(original.id), restored]) {
      expect((await served(f.thumbnailUrl)).statusCode).toBe(200);
    }
    expect(
      live.filter((key) => key.startsWith(`renditions/${original.id.slice(0, 2)}/${original.id}/r1/`)),
    ).toEqual([]);
  });

  it('counts both versions in the usage, and a sweep or a purge of one never takes the bytes of the other', async () => {
    t = await createTestApp();
    const file = await t.upload('first version', { fileName: 'notes.txt' });
    const usage0 = await t.store.usage.usageBytes();
    const put = await replace(file.id, Buffer.from('second, longer version'), 'text/plain');
    expect(put.statusCode, put.body).toBe(200);
    expect(await t.store.usage.usageBytes()).toBe(usage0 + 'second, longer version'.length);
    const [old] = await trashed();
    const sweeper = new BlobSweeper(new IntegrityStore(t.store), t.blobs, { graceMs: 0 });
    const download = async (id: string) => {
      const { downloadUrls } = await t.ok<{ downloadUrls: { url: string }[] }>(
        'POST',
        '/files/generate-file-download-url',
        { fileId: id },
      );
      return (await served(downloadUrls[0]!.url)).body;
    };
    expect((await sweeper.sweep(Date.now() + 60_000)).deleted).toBe(0);
    expect(await download(file.id)).toBe('second, longer version');

    // The live file deleted for good: the old version keeps its bytes, even through a sweep.
    await t.ok('POST', '/bulk/files/delete', { fileIds: [file.id], permanent: true });
    expect((await sweeper.sweep(Date.now() + 60_000)).deleted).toBe(0);
    await t.ok('POST', '/bulk/trash-bin/files/restore', { fileIds: [old!.id] });
    expect(await download(old!.id)).toBe('first version');
  });

  it('a replace cut off before its commit (a crash) leaves the file as it was; the sweep removes the stray bytes', async () => {
    t = await createTestApp();
    const file = await t.upload('keep me', { fileName: 'a.txt' });
    const generated = await ext(`/files/${file.id}/replace-upload-url`, { mimeType: 'text/plain' });
    const { uploadUrl } = generated.json<{ uploadUrl: string }>();
    // The bytes arrive, then the connection dies: the transfer never completes.
    const body = new Readable({ read() {} });
    body.push('partial new bytes');
    const response = t.app.inject({
      method: 'PUT',
      url: new URL(uploadUrl).pathname,
      headers: { 'content-type': 'text/plain', 'content-length': '1000' },
      payload: body,
    });
    setTimeout(() => body.destroy(new Error('cut off')), 50);
    await response.catch(() => undefined);
    expect(await getFile(file.id)).toMatchObject({
      hash: sha256Hex('keep me'),
      url: `http://media.test/media/${file.id}`,
    });
    expect(await trashed()).toEqual([]);
    // What a kill -9 after the bytes were stored but before the commit leaves: a blob no row names.
    const stray = t.uploads.replacements!.replacementKey(file.id);
    await t.blobs.put(stray, Readable.from([Buffer.from('stray')]));
    const sweeper = new BlobSweeper(new IntegrityStore(t.store), t.blobs, { graceMs: 0 });
    await sweeper.sweep(Date.now() + 60_000);
    expect(await storedBlobs(t)).not.toContain(stray);
    expect(await t.blobs.size(`originals/${file.id.slice(0, 2)}/${file.id}`)).toBe('keep me'.length);
  });

  it('refuses a trashed file, another media type, and an unknown file, in the contract error shape', async () => {
    t = await createTestApp();
    const image = await t.upload(await png(4, 4, '#0f0'), { fileName: 'i.png', mimeType: 'image/png' });
    const video = await ext(`/files/${image.id}/replace-upload-url`, { mimeType: 'video/mp4' });
    expectAppError(video, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(video.json().details.applicationError.data).toMatchObject({
      mediaType: 'IMAGE',
      replacementMediaType: 'VIDEO',
    });
    expectAppError(
      await ext('/files/nope.png/replace-upload-url', { mimeType: 'image/png' }),
      404,
      'RESOURCE_NOT_FOUND',
    );

    // Trashed before the URL is asked for, or while its bytes are on their way: refused, nothing changed.
    const doc = await t.upload('v1', { fileName: 'd.txt' });
    const generated = await ext(`/files/${doc.id}/replace-upload-url`, { mimeType: 'text/plain' });
    const { uploadUrl } = generated.json<{ uploadUrl: string }>();
    await t.ok('POST', '/bulk/files/delete', { fileIds: [doc.id] });
    await ready(image.id);
    expectAppError(
      await ext(`/files/${doc.id}/replace-upload-url`, { mimeType: 'text/plain' }),
      409,
      'FAILED_PRECONDITION',
    );
    const blobsBefore = await storedBlobs(t);
    const put = await t.app.inject({
      method: 'PUT',
      url: new URL(uploadUrl).pathname,
      headers: { 'content-type': 'text/plain' },
      payload: 'v2',
    });
    expectAppError(put, 409, 'FAILED_PRECONDITION');
    expect(await storedBlobs(t)).toEqual(blobsBefore);
    expect(await getFile(doc.id)).toMatchObject({
      hash: sha256Hex('v1'),
      state: 'DELETED',
    });
    expect(await trashed()).toHaveLength(1);

    // The replace URL is a plain upload: the tus endpoint does not take its token.
    const again = await t.upload('x', { fileName: 'x.txt' });
    const tusToken = new URL(
      (await ext(`/files/${again.id}/replace-upload-url`, { mimeType: 'text/plain' })).json<{
        uploadUrl: string;
      }>().uploadUrl,
    ).pathname
      .split('/')
      .pop()!;
    const tus = await t.app.inject({
      method: 'POST',
      url: '/upload/v1/tus',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-length': '1',
        'upload-metadata': `token ${Buffer.from(tusToken).toString('base64')}`,
      },
    });
    expect(tus.statusCode).toBeGreaterThanOrEqual(400);
  });
});
