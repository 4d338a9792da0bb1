import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { bodyOf, CountingPartBuffers, objectBytes, sha256, testS3, testS3Client } from '../testing/s3.ts';
import { putStream } from './s3-multipart.ts';

const MiB = 1024 * 1024;
const prefix = `test-multipart-${randomBytes(6).toString('hex')}/`;

describe.skipIf(!testS3.endpoint)('putStream on S3', () => {
  const client = testS3Client();
  afterAll(() => client.destroy());

  it('holds at most queueSize part buffers, the one being filled included, and loses no byte', async () => {
    const bytes = randomBytes(4 * 5 * MiB + 12_345);
    const key = `${prefix}${randomBytes(4).toString('hex')}`;
    const buffers = new CountingPartBuffers(5 * MiB, 2);
    const target = { client, bucket: testS3.bucket, key, partSize: 5 * MiB, queueSize: 2, buffers };

    await expect(putStream(target, bodyOf(bytes, 64 * 1024 + 7))).resolves.toBe(bytes.length);

    expect(buffers.mostInUse).toBe(2);
    expect(buffers.inUse).toBe(0);
    expect(sha256(await objectBytes(client, key))).toBe(sha256(bytes));
  });

  it('stores a body shorter than a part, and an empty one, in one request', async () => {
    for (const bytes of [randomBytes(1000), Buffer.alloc(0)]) {
      const key = `${prefix}${randomBytes(4).toString('hex')}`;
      const buffers = new CountingPartBuffers(5 * MiB, 2);
      const target = { client, bucket: testS3.bucket, key, partSize: 5 * MiB, queueSize: 2, buffers };
      await expect(putStream(target, bodyOf(bytes))).resolves.toBe(bytes.length);
      expect(buffers.inUse).toBe(0);
      expect((await objectBytes(client, key)).equals(bytes)).toBe(true);
    }
  });
});
