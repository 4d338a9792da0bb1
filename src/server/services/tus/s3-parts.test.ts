import { randomBytes } from 'node:crypto';
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import type { TusUploadState } from '../../stores/tus-upload-store.ts';
import { bodyOf, CountingPartBuffers, objectBytes, sha256, testS3, testS3Client } from '../../testing/s3.ts';
import { writeParts, type PartSink } from './s3-parts.ts';

const MiB = 1024 * 1024;
const prefix = `test-parts-${randomBytes(6).toString('hex')}/`;

describe.skipIf(!testS3.endpoint)('writeParts on S3', () => {
  const client = testS3Client();
  afterAll(() => client.destroy());

  async function begin(size: number, queueSize: number) {
    const key = `${prefix}${randomBytes(4).toString('hex')}`;
    const created = await client.send(new CreateMultipartUploadCommand({ Bucket: testS3.bucket, Key: key }));
    const upload: TusUploadState = {
      id: 'u',
      fileId: 'f',
      blobKey: 'b',
      multipartId: created.UploadId!,
      size,
      partSize: 5 * MiB,
      metadata: {},
      createdAt: new Date().toISOString(),
      received: 0,
      parts: [],
      head: undefined,
    };
    const buffers = new CountingPartBuffers(5 * MiB, queueSize);
    const written = { parts: [] as TusUploadState['parts'] };
    const sink: PartSink = {
      client,
      bucket: testS3.bucket,
      objectKey: key,
      queueSize,
      buffers,
      advance: async (_from, progress) => {
        written.parts = progress.parts;
        return true;
      },
      putPending: () => Promise.reject(new Error('no part is left pending')),
    };
    /** The stored object, once the multipart upload is completed with the parts recorded. */
    const stored = async () => {
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: testS3.bucket,
          Key: key,
          UploadId: upload.multipartId,
          MultipartUpload: { Parts: written.parts.map(([PartNumber, ETag]) => ({ PartNumber, ETag })) },
        }),
      );
      return objectBytes(client, key);
    };
    return { sink, upload, buffers, written, stored };
  }

  it('holds at most queueSize part buffers, the one being filled included, and loses no byte', async () => {
    // Chunks that straddle part boundaries, and a short last part.
    const bytes = randomBytes(5 * 5 * MiB + 12_345);
    const { sink, upload, buffers, written, stored } = await begin(bytes.length, 2);

    await expect(writeParts(sink, upload, bodyOf(bytes, 64 * 1024 + 7), undefined)).resolves.toBe(
      bytes.length,
    );

    expect(buffers.mostInUse).toBe(2);
    expect(buffers.inUse).toBe(0);
    expect(written.parts.map(([n]) => n)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sha256(await stored())).toBe(sha256(bytes));
  });

  it('writes the rest of a chunk that waited for a buffer when the body ends meanwhile', async () => {
    // One chunk for the whole body: its first part fills the only buffer, the rest waits, and the body ends.
    const bytes = randomBytes(2 * 5 * MiB + 10);
    const { sink, upload, written, stored } = await begin(bytes.length, 1);

    await expect(writeParts(sink, upload, bodyOf(bytes, bytes.length), undefined)).resolves.toBe(
      bytes.length,
    );

    expect(written.parts.map(([n]) => n)).toEqual([1, 2, 3]);
    expect(sha256(await stored())).toBe(sha256(bytes));
  });
});
