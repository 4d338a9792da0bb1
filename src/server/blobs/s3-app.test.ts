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

    const key = (await t.store.getFile(file.id))!.blob_key;
    expect(await t.blobs.size(key)).toBe(content.length);
    await t.ok('POST', '/bulk/files/delete', { fileIds: [file.id], permanent: true });
    expect(await t.blobs.size(key)).toBeUndefined();
  });
});
