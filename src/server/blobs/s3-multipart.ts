import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { PartBuffers } from './part-buffers.ts';

export interface MultipartTarget {
  client: S3Client;
  bucket: string;
  /** The object key, prefix included. */
  key: string;
  partSize: number;
  /** Parts uploaded at once. */
  queueSize: number;
  buffers: PartBuffers;
}

/**
 * A stream of unknown length into one object, as lib-storage's `Upload` does it (one PutObject when it fits in a
 * part, else a multipart upload with `queueSize` parts in flight and the stream paused meanwhile; on any failure
 * the multipart upload is aborted, so neither an object nor parts stay), but with part buffers reused from
 * `buffers` instead of a fresh one per part (`Buffer.concat` in lib-storage): see `part-buffers.ts` for why
 * that matters. Memory: `queueSize` parts, the one being filled included. Answers the number of bytes stored.
 */
export async function putStream(target: MultipartTarget, body: Readable): Promise<number> {
  const { client, bucket, key, partSize, buffers } = target;
  // The part being filled; taken only while fewer than `queueSize` parts are in flight, so an upload holds at most
  // `queueSize` part buffers, the one being filled included.
  let buffer: Buffer | undefined;
  let filled = 0;
  let size = 0;
  let uploadId: string | undefined;
  let nextPart = 1;
  const parts: Array<{ PartNumber: number; ETag: string }> = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;

  const send = async (bytes: Buffer) => {
    uploadId ??= (await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }))).UploadId;
    if (!uploadId) throw new Error('S3 gave no UploadId');
    const PartNumber = nextPart++;
    const sent = client
      .send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber,
          Body: bytes,
          ContentLength: bytes.length,
        }),
      )
      .then(
        (answer) => {
          if (!answer.ETag) throw new Error(`S3 gave no ETag for part ${PartNumber}`);
          parts.push({ PartNumber, ETag: answer.ETag });
          buffers.give(bytes);
        },
        (error: unknown) => {
          failure ??= error;
        },
      )
      .finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  };

  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      for (let at = 0; at < chunk.length;) {
        if (!buffer) {
          while (inFlight.size >= target.queueSize) await Promise.race(inFlight);
          // A part failed meanwhile: stop reading, the upload is aborted below.
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          if (failure !== undefined) throw failure;
          buffer = buffers.take(partSize);
        }
        const copied = chunk.copy(buffer, filled, at);
        filled += copied;
        at += copied;
        if (filled === buffer.length) {
          await send(buffer);
          buffer = undefined;
          filled = 0;
        }
      }
    }
    if (uploadId === undefined) {
      // Fits in one part: one request, as lib-storage does.
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: buffer?.subarray(0, filled) ?? Buffer.alloc(0),
          ContentLength: filled,
        }),
      );
      if (buffer) buffers.give(buffer);
      return size;
    }
    if (buffer) {
      if (filled > 0) await send(buffer.subarray(0, filled));
      else buffers.give(buffer);
    }
    while (inFlight.size > 0) await Promise.all(inFlight);
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (failure !== undefined) throw failure;
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts.sort((a, b) => a.PartNumber - b.PartNumber) },
      }),
    );
    return size;
  } catch (error) {
    while (inFlight.size > 0) await Promise.all(inFlight);
    if (uploadId !== undefined) {
      await client
        .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
        .catch(() => {});
    }
    throw error;
  }
}
