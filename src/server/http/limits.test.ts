import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../config.ts';
import { loadConfig } from '../config.ts';
import {
  expectAppError,
  PDF_BYTES,
  PNG_1X1,
  sha256Hex,
  storedBlobs,
  tempBlobs,
  writesUnderWay,
  waitFor,
} from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;

afterEach(async () => {
  await t.close();
});

async function setup(overrides: Partial<Config> = {}) {
  t = await createTestApp(overrides);
}

function generate(body: Record<string, unknown>) {
  return t.api('POST', '/files/generate-upload-url', body);
}

async function uploadUrlOf(body: Record<string, unknown>): Promise<string> {
  const response = await generate(body);
  expect(response.statusCode, response.body).toBe(200);
  return new URL(response.json<{ uploadUrl: string }>().uploadUrl).pathname;
}

function put(url: string, payload: Buffer | string | Readable, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'PUT',
    url,
    headers: { 'content-type': 'application/octet-stream', ...headers },
    payload,
  });
}

/** A body without Content-Length (chunked), so only the stream itself tells its size. */
function chunked(total: number, chunk = 256): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return this.push(null);
      const size = Math.min(chunk, total - sent);
      sent += size;
      this.push(Buffer.alloc(size, 'z'));
    },
  });
}

async function usage(): Promise<number> {
  return t.store.usage.usageBytes();
}

describe('MAX_FILE_SIZE_BYTES', () => {
  it('refuses a declared size over the limit at generate time (413 FILE_SIZE_OVER_LIMIT)', async () => {
    await setup({ maxFileSizeBytes: 1000 });
    const response = await generate({ mimeType: 'text/plain', sizeInBytes: 1001 });
    expectAppError(response, 413, 'FILE_SIZE_OVER_LIMIT');
    expect(response.json().details.applicationError.data.maxFileSizeBytes).toBe('1000');
    await uploadUrlOf({ mimeType: 'text/plain', sizeInBytes: 1000 });
  });

  it('refuses a Content-Length over the limit before reading the body', async () => {
    await setup({ maxFileSizeBytes: 1000 });
    const url = await uploadUrlOf({ mimeType: 'text/plain', fileName: 'big.txt' });
    expectAppError(await put(url, Buffer.alloc(1001)), 413, 'FILE_SIZE_OVER_LIMIT');
    expect(await storedBlobs(t)).toEqual([]);
  });

  it('stops a body without Content-Length at the limit while it streams, storing nothing', async () => {
    await setup({ maxFileSizeBytes: 1000 });
    const url = await uploadUrlOf({ mimeType: 'text/plain', fileName: 'big.txt' });
    expectAppError(await put(url, chunked(5000)), 413, 'FILE_SIZE_OVER_LIMIT');
    expect(await storedBlobs(t)).toEqual([]);
    expect(await tempBlobs(t)).toEqual([]);
    // The token was given back: the same URL takes a file within the limit.
    const ok = await put(url, chunked(1000));
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('ZERO_FILE_SIZE', () => {
  it('refuses sizeInBytes 0 at generate time and an empty body', async () => {
    await setup();
    expectAppError(await generate({ mimeType: 'text/plain', sizeInBytes: 0 }), 400, 'ZERO_FILE_SIZE');
    const url = await uploadUrlOf({ mimeType: 'text/plain', fileName: 'empty.txt' });
    expectAppError(await put(url, Buffer.alloc(0)), 400, 'ZERO_FILE_SIZE');
    expectAppError(await put(url, chunked(0)), 400, 'ZERO_FILE_SIZE');
    expect(await storedBlobs(t)).toEqual([]);
  });
});

describe('ALLOWED_MIME_TYPES', () => {
  it('refuses other types at generate time (UNSUPPORTED_FILE_FORMAT), wildcards included', async () => {
    await setup({ allowedMimeTypes: ['image/*', 'application/pdf'] });
    await uploadUrlOf({ mimeType: 'image/webp' });
    await uploadUrlOf({ mimeType: 'IMAGE/PNG' });
    await uploadUrlOf({ mimeType: 'application/pdf' });
    const refused = await generate({ mimeType: 'text/plain' });
    expectAppError(refused, 400, 'UNSUPPORTED_FILE_FORMAT');
    expect(refused.json().details.applicationError.data).toEqual({
      mimeType: 'text/plain',
      allowedMimeTypes: ['image/*', 'application/pdf'],
    });
    expectAppError(await generate({ mimeType: 'application/octet-stream' }), 400, 'UNSUPPORTED_FILE_FORMAT');
    expectAppError(
      await t.api('POST', '/files/generate-resumable-upload-url', { mimeType: 'video/mp4' }),
      400,
      'UNSUPPORTED_FILE_FORMAT',
    );
  });

  it('allows every type by default', async () => {
    await setup();
    for (const mimeType of ['application/x-msdownload', 'text/html', 'application/octet-stream']) {
      await uploadUrlOf({ mimeType });
    }
  });
});

describe('SITE_QUOTA_BYTES', () => {
  it('keeps a running total of live and trashed files, lowered by purges', async () => {
    await setup();
    expect(await usage()).toBe(0);
    const a = await t.upload(Buffer.alloc(100, 'a'), { fileName: 'a.txt' });
    const b = await t.upload(Buffer.alloc(250, 'b'), { fileName: 'b.txt' });
    const folder = await t.createFolder('F');
    await t.upload(Buffer.alloc(50, 'c'), { fileName: 'c.txt', parentFolderId: folder.id });
    expect(await usage()).toBe(400);
    // The trash still takes space.
    await t.ok('POST', '/bulk/files/delete', { fileIds: [a.id] });
    expect(await usage()).toBe(400);
    await t.ok('POST', '/bulk/files/delete', { fileIds: [a.id], permanent: true });
    expect(await usage()).toBe(300);
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id], permanent: true });
    expect(await usage()).toBe(250);
    await t.ok('POST', '/bulk/files/delete', { fileIds: [b.id], permanent: true });
    expect(await usage()).toBe(0);
  });

  it('refuses at generate time what would not fit, and anything once the quota is used up', async () => {
    await setup({ siteQuotaBytes: 1000 });
    await t.upload(Buffer.alloc(700, 'a'), { fileName: 'a.txt' });
    const refused = await generate({ mimeType: 'text/plain', sizeInBytes: 301 });
    expectAppError(refused, 409, 'SITE_QUOTA_EXCEEDED');
    expect(refused.json().details.applicationError.data).toEqual({ quotaBytes: '1000', usedBytes: '700' });
    await uploadUrlOf({ mimeType: 'text/plain', sizeInBytes: 300 });
    await t.upload(Buffer.alloc(300, 'b'), { fileName: 'b.txt' });
    expectAppError(await generate({ mimeType: 'text/plain' }), 409, 'SITE_QUOTA_EXCEEDED');
  });

  it('checks again in the insert transaction: of two transfers that each fit, the second one to end is refused', async () => {
    await setup({ siteQuotaBytes: 1000 });
    const first = await uploadUrlOf({ mimeType: 'text/plain', fileName: 'one.txt' });
    const second = await uploadUrlOf({ mimeType: 'text/plain', fileName: 'two.txt' });
    const bodyA = new PassThrough();
    const bodyB = new PassThrough();
    const a = put(first, bodyA);
    const b = put(second, bodyB);
    bodyA.write(Buffer.alloc(600, 'a'));
    bodyB.write(Buffer.alloc(600, 'b'));
    // Both are streaming (each gate saw 1000 bytes free when it started).
    await waitFor(() => writesUnderWay(t, 2), 'both transfers to be under way');
    bodyA.end();
    expect((await a).statusCode).toBe(200);
    bodyB.end();
    expectAppError(await b, 409, 'SITE_QUOTA_EXCEEDED');
    expect(await storedBlobs(t)).toHaveLength(1);
    expect(await tempBlobs(t)).toEqual([]);
    expect(await usage()).toBe(600);
  });

  it('stops a transfer while it streams once the quota is reached', async () => {
    await setup({ siteQuotaBytes: 1000 });
    const url = await uploadUrlOf({ mimeType: 'text/plain', fileName: 'big.txt' });
    expectAppError(await put(url, chunked(1500)), 409, 'SITE_QUOTA_EXCEEDED');
    expect(await storedBlobs(t)).toEqual([]);
    expect(await tempBlobs(t)).toEqual([]);

    // Two URLs made while there was room; the bytes of the second arrive after the first took it.
    const first = await uploadUrlOf({ mimeType: 'text/plain', fileName: 'one.txt' });
    const second = await uploadUrlOf({ mimeType: 'text/plain', fileName: 'two.txt' });
    expect((await put(first, Buffer.alloc(600))).statusCode).toBe(200);
    expectAppError(await put(second, Buffer.alloc(600)), 409, 'SITE_QUOTA_EXCEEDED');
    expect(await storedBlobs(t)).toHaveLength(1);
    expect(await usage()).toBe(600);
  });
});

describe('MISMATCH_MIME_TYPE', () => {
  it('refuses bytes whose signature contradicts the declared type, storing nothing', async () => {
    await setup();
    const url = await uploadUrlOf({ mimeType: 'image/png', fileName: 'fake.png' });
    const response = await put(url, PDF_BYTES, { 'content-type': 'image/png' });
    expectAppError(response, 400, 'MISMATCH_MIME_TYPE');
    expect(response.json().details.applicationError.data).toEqual({
      declaredMimeType: 'image/png',
      detectedMimeType: 'application/pdf',
    });
    expect(await storedBlobs(t)).toEqual([]);
    expect(await tempBlobs(t)).toEqual([]);
    expect(await usage()).toBe(0);
  });

  it('checks streamed bodies too, and accepts what agrees or is unknown', async () => {
    await setup();
    const fake = await uploadUrlOf({ mimeType: 'text/plain', fileName: 'fake.txt' });
    expectAppError(
      await put(fake, Readable.from([PDF_BYTES.subarray(0, 2), PDF_BYTES.subarray(2)])),
      400,
      'MISMATCH_MIME_TYPE',
    );

    const png = await t.upload(PNG_1X1, { mimeType: 'image/png', fileName: 'dot.png' });
    expect(png.hash).toBe(sha256Hex(PNG_1X1));
    // A PNG named .jpg (the browser says image/jpeg): same category, accepted as declared.
    const jpg = await t.upload(PNG_1X1, { mimeType: 'image/jpeg', fileName: 'dot.jpg' });
    expect(jpg.mimeType).toBe('image/jpeg');
    // Generic declared type: anything goes.
    await t.upload(PDF_BYTES, { mimeType: 'application/octet-stream', fileName: 'doc.bin' });
    // Unknown content under a specific type: accepted.
    await t.upload(Buffer.from('not really media'), { mimeType: 'image/png', fileName: 'odd.png' });
  });
});

describe('configuration', () => {
  it('reads the limits from the environment', () => {
    const config = loadConfig({
      ALLOWED_MIME_TYPES: 'image/*, Application/PDF ,,',
      SITE_QUOTA_BYTES: '1000000',
      MAX_FILE_SIZE_BYTES: '5000',
      RESUMABLE_UPLOAD_TTL_MINUTES: '30',
      WORKER_CONCURRENCY: '3',
      IMPORT_ALLOW_HOSTS: '127.0.0.1:8081,Media.Internal',
      IMPORT_TIMEOUT_SECONDS: '5',
      VISITOR_UPLOADS: 'off',
      VISITOR_UPLOAD_KEY: 'k',
      VISITOR_MAX_FILE_SIZE_BYTES: '100',
      VISITOR_ALLOWED_MIME_TYPES: 'image/*',
      VISITOR_UPLOADS_PER_MINUTE: '2',
      TRUST_PROXY: 'true',
    });
    expect(config.allowedMimeTypes).toEqual(['image/*', 'application/pdf']);
    expect(config.siteQuotaBytes).toBe(1_000_000);
    expect(config.maxFileSizeBytes).toBe(5000);
    expect(config.resumableUploadTtlMinutes).toBe(30);
    expect(config.workerConcurrency).toBe(3);
    expect(config.importAllowHosts).toEqual(['127.0.0.1:8081', 'media.internal']);
    expect(config.importTimeoutMs).toBe(5000);
    expect(config.visitorUploads).toBe(false);
    expect(config.visitorUploadKey).toBe('k');
    expect(config.visitorMaxFileSizeBytes).toBe(100);
    expect(config.visitorAllowedMimeTypes).toEqual(['image/*']);
    expect(config.visitorUploadsPerMinute).toBe(2);
    expect(config.trustProxy).toBe(1);
  });

  it('defaults: every type, no quota, a day for resumable uploads, open visitor uploads', () => {
    const config = loadConfig({});
    expect(config.allowedMimeTypes).toEqual([]);
    expect(config.siteQuotaBytes).toBeNull();
    expect(config.resumableUploadTtlMinutes).toBe(1440);
    expect(config.workerConcurrency).toBeGreaterThanOrEqual(1);
    expect(config.importAllowHosts).toEqual([]);
    expect(config.visitorUploads).toBe(true);
    expect(config.visitorUploadKey).toBeUndefined();
    expect(() => loadConfig({ VISITOR_UPLOADS: 'maybe' })).toThrow(/VISITOR_UPLOADS/);
  });
});
