import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { PartBuffers } from '../../blobs/part-buffers.ts';
import type { TusUploadState } from '../../stores/tus-upload-store.ts';
import { bodyOf, objectBytes, sha256 as sha, testS3, testS3Client } from '../../testing/s3.ts';
import { isOneWholePart, writeOnePart } from './s3-one-part.ts';
import type { PartSink } from './s3-parts.ts';

// Against a real S3 API when one is configured (`npm run test:scaled` sets it), as the blob store suites.
const MiB = 1024 * 1024;
const bucket = testS3.bucket;
const prefix = `test-one-part-${randomBytes(6).toString('hex')}/`;

function state(size: number, received = 0): TusUploadState {
  return {
    id: 'u',
    fileId: 'f',
    blobKey: 'b',
    multipartId: '',
    size,
    partSize: 5 * MiB,
    metadata: {},
    createdAt: new Date().toISOString(),
    received,
    parts: [],
    head: undefined,
  };
}

describe('isOneWholePart', () => {
  it('is a PATCH from a part start declaring exactly that part (the last one may be shorter)', () => {
    expect(isOneWholePart(state(12 * MiB), 5 * MiB)).toBe(true);
    expect(isOneWholePart(state(12 * MiB, 10 * MiB), 2 * MiB)).toBe(true);
    expect(isOneWholePart(state(12 * MiB), 4 * MiB)).toBe(false);
    expect(isOneWholePart(state(12 * MiB), 10 * MiB)).toBe(false);
    expect(isOneWholePart(state(12 * MiB, 1), 5 * MiB)).toBe(false);
    expect(isOneWholePart(state(12 * MiB), undefined)).toBe(false);
    expect(isOneWholePart(state(0), 0)).toBe(false);
  });
});

describe.skipIf(!testS3.endpoint)('writeOnePart on S3', () => {
  const newClient = testS3Client;
  const client = newClient();
  afterAll(() => client.destroy());

  interface Written {
    sink: PartSink;
    upload: TusUploadState;
    key: string;
    advanced: Array<Parameters<PartSink['advance']>[1]>;
    pending: Map<number, Buffer>;
  }

  async function begin(size: number, sinkClient: S3Client = client): Promise<Written> {
    const key = `${prefix}${randomBytes(4).toString('hex')}`;
    const created = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    const upload = { ...state(size), multipartId: created.UploadId! };
    const advanced: Written['advanced'] = [];
    const pending = new Map<number, Buffer>();
    const sink: PartSink = {
      client: sinkClient,
      bucket,
      objectKey: key,
      queueSize: 4,
      buffers: new PartBuffers(5 * MiB, 2),
      advance: async (from, progress) => {
        expect(from).toBe(upload.received);
        advanced.push(progress);
        return true;
      },
      putPending: async (partNumber, bytes) => void pending.set(partNumber, Buffer.from(bytes)),
    };
    return { sink, upload, key, advanced, pending };
  }

  async function completed(written: Written): Promise<Buffer> {
    const parts = written.advanced.at(-1)!.parts.map(([PartNumber, ETag]) => ({ PartNumber, ETag }));
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: written.key,
        UploadId: written.upload.multipartId,
        MultipartUpload: { Parts: parts },
      }),
    );
    return objectBytes(client, written.key);
  }

  it('stores the part and records it, with the first bytes', async () => {
    const bytes = randomBytes(3 * MiB + 5);
    const written = await begin(bytes.length);
    await expect(writeOnePart(written.sink, written.upload, bodyOf(bytes))).resolves.toBe(bytes.length);
    expect(written.advanced).toHaveLength(1);
    expect(written.advanced[0]!.received).toBe(bytes.length);
    expect(written.advanced[0]!.parts.map(([n]) => n)).toEqual([1]);
    expect(written.advanced[0]!.head?.equals(bytes.subarray(0, written.advanced[0]!.head.length))).toBe(true);
    expect(sha(await completed(written))).toBe(sha(bytes));
  });

  it('keeps the bytes of a body that ends short as the pending part, and sends no part', async () => {
    const bytes = randomBytes(3 * MiB);
    const written = await begin(4 * MiB);
    await expect(writeOnePart(written.sink, written.upload, bodyOf(bytes))).resolves.toBe(bytes.length);
    expect(written.pending.get(1)?.equals(bytes)).toBe(true);
    expect(written.advanced).toEqual([expect.objectContaining({ received: bytes.length, parts: [] })]);
    const listed = await client.send(
      new ListPartsCommand({ Bucket: bucket, Key: written.key, UploadId: written.upload.multipartId }),
    );
    expect(listed.Parts ?? []).toEqual([]);
    await client.send(
      new AbortMultipartUploadCommand({
        Bucket: bucket,
        Key: written.key,
        UploadId: written.upload.multipartId,
      }),
    );
  });

  it('sends the part again from its copy when the streamed request fails while the body still comes', async () => {
    // S3 drops the streamed request after reading a little of it (as it does a stalled client's): the body must
    // neither stall nor lose a byte.
    const failing = newClient();
    let dropped = 0;
    failing.middlewareStack.add(
      (next, context) => async (args) => {
        const body = (args.request as { body?: unknown }).body;
        if (context.commandName === 'UploadPartCommand' && body instanceof Readable && dropped === 0) {
          dropped++;
          for await (const chunk of body) if ((chunk as Buffer).length > 0) break;
          throw new Error('connection reset by S3');
        }
        return next(args);
      },
      { step: 'finalizeRequest', name: 'dropStreamedPart' },
    );
    const bytes = randomBytes(4 * MiB);
    const written = await begin(bytes.length, failing);
    await expect(writeOnePart(written.sink, written.upload, bodyOf(bytes))).resolves.toBe(bytes.length);
    expect(dropped).toBe(1);
    expect(sha(await completed(written))).toBe(sha(bytes));
    failing.destroy();
  });
});
