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

  it('holds at most queueSize part buffers, the one being filled included, and loses no byte', async () => {
    // Chunks that straddle part boundaries, and a short last part.
    const bytes = randomBytes(5 * 5 * MiB + 12_345);
    const key = `${prefix}${randomBytes(4).toString('hex')}`;
    const created = await client.send(new CreateMultipartUploadCommand({ Bucket: testS3.bucket, Key: key }));
    const upload: TusUploadState = {
      id: 'u',
      fileId: 'f',
      blobKey: 'b',
      multipartId: created.UploadId!,
      size: bytes.length,
      partSize: 5 * MiB,
      metadata: {},
      createdAt: new Date().toISOString(),
      received: 0,
      parts: [],
      head: undefined,
    };
    const buffers = new CountingPartBuffers(5 * MiB, 2);
    let parts: TusUploadState['parts'] = [];
    const sink: PartSink = {
      client,
      bucket: testS3.bucket,
      objectKey: key,
      queueSize: 2,
      buffers,
      advance: async (_from, progress) => {
        parts = progress.parts;
        return true;
      },
      putPending: () => Promise.reject(new Error('no part is left pending')),
    };

    await expect(writeParts(sink, upload, bodyOf(bytes, 64 * 1024 + 7), undefined)).resolves.toBe(
      bytes.length,
    );

    expect(buffers.mostInUse).toBe(2);
    expect(buffers.inUse).toBe(0);
    expect(parts.map(([n]) => n)).toEqual([1, 2, 3, 4, 5, 6]);
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: testS3.bucket,
        Key: key,
        UploadId: upload.multipartId,
        MultipartUpload: { Parts: parts.map(([PartNumber, ETag]) => ({ PartNumber, ETag })) },
      }),
    );
    expect(sha256(await objectBytes(client, key))).toBe(sha256(bytes));
  });
});
