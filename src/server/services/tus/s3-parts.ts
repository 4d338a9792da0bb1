import type { Readable } from 'node:stream';
import { UploadPartCommand, type S3Client, type UploadPartCommandOutput } from '@aws-sdk/client-s3';
import type { PartBuffers } from '../../blobs/part-buffers.ts';
import type { TusUploadState } from '../../stores/tus-upload-store.ts';
import { SNIFF_BYTES } from '../sniff.ts';

/** What a PATCH's writer needs of the store around it. */
export interface PartSink {
  client: S3Client;
  bucket: string;
  /** The multipart upload's object key, prefix included. */
  objectKey: string;
  /** Parts uploaded at once. */
  queueSize: number;
  /** Where part buffers come from and go back to. */
  buffers: PartBuffers;
  /** Records progress (conditional on `from`); false when another writer moved the upload meanwhile. */
  advance(from: number, progress: Pick<TusUploadState, 'received' | 'parts' | 'head'>): Promise<boolean>;
  /** Stores the bytes of an unfinished part (from its start), to be continued by a later PATCH. */
  putPending(partNumber: number, bytes: Buffer): Promise<void>;
}

/** The upload's first bytes with what `chunk` adds to them: the content check of a later PATCH needs them. */
export function keepHead(head: Buffer | undefined, chunk: Buffer): Buffer | undefined {
  const headLength = head?.length ?? 0;
  if (headLength >= SNIFF_BYTES) return head;
  return Buffer.concat([head ?? Buffer.alloc(0), chunk.subarray(0, SNIFF_BYTES - headLength)]);
}

/** Sends one part of the upload's multipart upload (`body` of `length` bytes). */
export function uploadPart(
  sink: PartSink,
  state: TusUploadState,
  partNumber: number,
  body: Buffer | Readable,
  length: number,
  signal?: AbortSignal,
): Promise<UploadPartCommandOutput> {
  return sink.client.send(
    new UploadPartCommand({
      Bucket: sink.bucket,
      Key: sink.objectKey,
      UploadId: state.multipartId,
      PartNumber: partNumber,
      Body: body,
      ContentLength: length,
    }),
    { abortSignal: signal },
  );
}

/** Another writer moved the upload while this one wrote (two instances PATCHing it at once). */
export class UploadMovedError extends Error {}

/**
 * One PATCH's bytes into the upload's multipart upload: the parts have fixed places (part n holds bytes
 * [(n-1) × partSize, n × partSize)), are filled in memory and go up `queueSize` at a time while the body is
 * paused (back-pressure), so memory stays at queueSize × partSize whatever the PATCH's length. Progress is
 * recorded as parts complete, in order, so a PATCH cut anywhere (or a killed process) keeps every whole part it
 * sent. A part the PATCH does not fill (the body ended in it) is kept as a pending object and completed by the
 * next PATCH; the pending object the PATCH started from (`pending`) stays until progress past it is recorded,
 * so a PATCH that fails after reading it loses nothing.
 */
export async function writeParts(
  sink: PartSink,
  state: TusUploadState,
  body: Readable,
  pending: Buffer | undefined,
): Promise<number> {
  const { partSize, size } = state;
  const start = state.received;
  let partStart = start - (start % partSize);
  // The part being filled; taken only while fewer than `queueSize` parts are in flight, so a PATCH holds at most
  // `queueSize` part buffers, the one being filled included.
  let buffer: Buffer | undefined = sink.buffers.take(Math.min(partSize, size - partStart));
  let filled = 0;
  if (pending) filled = pending.copy(buffer, 0, 0, start - partStart);
  let head = state.head;

  // Progress: `committed` is what the database has; parts finished out of order wait in `finished`.
  let committed = start;
  const parts = [...state.parts];
  const finished = new Map<number, string>();
  let nextPart = Math.floor(start / partSize) + 1;
  let commits = Promise.resolve();
  let failure: unknown;
  let commitFailed = false;
  // Progress is recorded even after a failure elsewhere (a part, the body): every whole part counts.
  const commit = (received: number) => {
    commits = commits
      .then(async () => {
        if (commitFailed || received <= committed) return;
        const progress = { received, parts: [...parts], head };
        if (!(await sink.advance(committed, progress))) {
          throw new UploadMovedError('The upload was moved on by another request meanwhile');
        }
        committed = received;
      })
      .catch((error: unknown) => {
        commitFailed = true;
        failure ??= error;
      });
  };

  const inFlight = new Set<Promise<void>>();
  const send = (partNumber: number, bytes: Buffer) => {
    const sent = uploadPart(sink, state, partNumber, bytes, bytes.length)
      .then(
        (answer) => {
          if (!answer.ETag) throw new Error(`S3 gave no ETag for part ${partNumber}`);
          sink.buffers.give(bytes);
          finished.set(partNumber, answer.ETag);
          let received = committed;
          while (finished.has(nextPart)) {
            parts.push([nextPart, finished.get(nextPart)!]);
            finished.delete(nextPart);
            received = Math.min(nextPart * partSize, size);
            nextPart++;
          }
          commit(received);
        },
        (error: unknown) => {
          failure ??= error;
        },
      )
      .finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  };

  await new Promise<void>((resolve, reject) => {
    // Set while the rest of a chunk waits for a part buffer (every one is in flight): the body is paused.
    let waiting = false;
    let ended = false;
    const fill = (chunk: Buffer, from: number): void => {
      for (let at = from; at < chunk.length;) {
        if (!buffer) {
          if (inFlight.size >= sink.queueSize) return wait(() => fill(chunk, at));
          buffer = sink.buffers.take(Math.max(0, Math.min(partSize, size - partStart)));
        }
        // More bytes than the upload's length: the caller's limit stops them first; never write past it.
        if (buffer.length === 0) return done(new Error('More bytes than the upload length'));
        const copied = chunk.copy(buffer, filled, at);
        filled += copied;
        at += copied;
        if (filled === buffer.length) {
          send(partStart / partSize + 1, buffer);
          partStart += buffer.length;
          buffer = undefined;
          filled = 0;
        }
      }
      if (failure !== undefined) return inFlight.size === 0 ? done(failure) : wait(() => done(failure));
      if (ended) done();
    };
    const wait = (then: () => void) => {
      waiting = true;
      body.pause();
      void Promise.race(inFlight).then(() => {
        waiting = false;
        if (failure !== undefined) return done(failure);
        body.resume();
        then();
      });
    };
    const onData = (chunk: Buffer) => {
      head = keepHead(head, chunk);
      fill(chunk, 0);
    };
    const done = (error?: unknown) => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      if (error === undefined) resolve();
      // As thrown (our tus errors, @tus/server's `{status_code, body}` objects): the handler answers with them.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      else reject(error);
    };
    // A paused stream still ends once it holds nothing more: the rest of a waiting chunk is written first.
    const onEnd = () => {
      if (waiting) ended = true;
      else done();
    };
    const onError = (error: Error) => done(error);
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
  }).catch((error: unknown) => {
    failure ??= error;
  });

  // The body is read (or failed): the parts sent are awaited, and their progress recorded, in every case.
  while (inFlight.size > 0) await Promise.all(inFlight);
  await commits;
  if (failure === undefined && buffer && filled > 0) {
    if (partStart + filled === size) {
      send(partStart / partSize + 1, buffer);
      while (inFlight.size > 0) await Promise.all(inFlight);
    } else {
      try {
        await sink.putPending(partStart / partSize + 1, buffer.subarray(0, filled));
        sink.buffers.give(buffer);
        commit(partStart + filled);
      } catch (error) {
        failure = error;
      }
    }
    await commits;
  } else if (buffer) {
    // Never sent: nothing else holds it.
    sink.buffers.give(buffer);
  }
  // What failed, as it was thrown (see `done`).
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  if (failure !== undefined && committed === start) throw failure;
  // Progress was made: the PATCH answers its new offset; the client resumes from it after any failure.
  return committed;
}
