import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { S3BlobStore } from './s3-blob-store.ts';

// The whole server on S3 (the store of `scripts/services/swift.sh` or any other), when S3_ENDPOINT is set.
describe.skipIf(!process.env.S3_ENDPOINT)('the server with S3_ENDPOINT set', () => {
  let t: TestApp;
  const content = randomBytes(200_000);

  beforeAll(async () => {
    t = await createTestApp({ s3: loadConfig(process.env).s3 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps blobs in S3, serves them (with ranges) and removes them on purge', async () => {
    expect(t.blobs).toBeInstanceOf(S3BlobStore);
    const file = await t.upload(content, { fileName: 'bytes.bin', mimeType: 'application/octet-stream' });
    // Nothing on disk.
    const disk = path.join(t.dataDir, 'blobs');
    expect(fs.existsSync(disk) ? fs.readdirSync(disk) : []).toEqual([]);

    const whole = await t.app.inject({ method: 'GET', url: `/media/${file.id}` });
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.equals(content)).toBe(true);
    const part = await t.app.inject({
      method: 'GET',
      url: `/media/${file.id}`,
      headers: { range: 'bytes=10-19' },
    });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload.equals(content.subarray(10, 20))).toBe(true);

    const key = (await t.store.files.getFile(file.id))!.blob_key;
    expect(await t.blobs.size(key)).toBe(content.length);
    await t.ok('POST', '/bulk/files/delete', { fileIds: [file.id], permanent: true });
    expect(await t.blobs.size(key)).toBeUndefined();
  });
});

describe.skipIf(!process.env.S3_ENDPOINT)('S3_DOWNLOADS=redirect', () => {
  let t: TestApp;
  const content = randomBytes(50_000);

  beforeAll(async () => {
    const s3 = loadConfig(process.env).s3!;
    t = await createTestApp({
      s3: { ...s3, downloads: 'redirect', keyPrefix: `test-${randomBytes(4).toString('hex')}/` },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function signedPath(body: Record<string, unknown>): Promise<string> {
    const { downloadUrls } = await t.ok<{ downloadUrls: Array<{ url: string }> }>(
      'POST',
      '/files/generate-file-download-url',
      body,
    );
    const url = new URL(downloadUrls[0]!.url);
    return `${url.pathname}${url.search}`;
  }

  it('checks the signed URL, then sends the client to a presigned URL of the store', async () => {
    const file = await t.upload(content, { fileName: 'Résumé.bin', mimeType: 'application/octet-stream' });
    const signed = await signedPath({ fileId: file.id, expirationInMinutes: 10 });
    const response = await t.app.inject({ method: 'GET', url: signed });
    expect(response.statusCode).toBe(302);
    expect(response.headers['cache-control']).toBe('private, no-store');
    const location = new URL(response.headers.location as string);
    expect(location.origin).toBe(new URL(process.env.S3_ENDPOINT!).origin);
    // No longer than the signed URL had left.
    expect(Number(location.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(600);

    const fetched = await fetch(location);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('application/octet-stream');
    expect(fetched.headers.get('content-disposition')).toMatch(
      /^attachment; .*filename\*=UTF-8''R%C3%A9sum%C3%A9\.bin/,
    );
    expect(Buffer.from(await fetched.arrayBuffer()).equals(content)).toBe(true);

    // A tampered URL is refused before any redirect.
    const tampered = signed.replace(/sig=[^&]+/, 'sig=AAAA');
    expect((await t.app.inject({ method: 'GET', url: tampered })).statusCode).toBe(403);
  });

  it('an inline download keeps its disposition and the file type', async () => {
    const file = await t.upload('hello', { fileName: 'note.txt', mimeType: 'text/plain' });
    const signed = await signedPath({ fileId: file.id, contentDisposition: 'INLINE' });
    const response = await t.app.inject({ method: 'GET', url: signed });
    expect(response.statusCode).toBe(302);
    const fetched = await fetch(response.headers.location as string);
    expect(fetched.headers.get('content-disposition')).toMatch(/^inline/);
    expect(fetched.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await fetched.text()).toBe('hello');
  });
});
