import { PassThrough, type Readable } from 'node:stream';
import type { TusUploadState } from '../../stores/tus-upload-store.ts';
import { keepHead, UploadMovedError, uploadPart, type PartSink } from './s3-parts.ts';

/**
 * Whether a PATCH is exactly the next whole part (it starts where a part starts and declares that part's length):
 * then `writeOnePart` can stream it.
 */
export function isOneWholePart(state: TusUploadState, declaredLength: number | undefined): boolean {
  const partLength = Math.min(state.partSize, state.size - state.received);
  return state.received % state.partSize === 0 && partLength > 0 && declaredLength === partLength;
}

/**
 * One PATCH that is exactly one whole part (`isOneWholePart`), streamed into its `UploadPart` as it arrives:
 * `writeParts` receives a part and then sends it, so a client that PATCHes part by part waits for both in turn;
 * here they overlap, at the pace of the slower (the body is paused while S3 is behind). A stream body is also
 * sent with `UNSIGNED-PAYLOAD`, as the SDK does for every stream, where a buffer is first hashed for SigV4.
 *
 * A copy is kept in a part buffer as the bytes pass, so nothing is lost whatever fails: a body that ends short
 * (a cut connection) cancels the streamed part and keeps its bytes as the pending part, like `writeParts`; an
 * `UploadPart` that fails while the body still comes (S3 times out a slow client's stalled stream) is sent again
 * from the copy once the body is whole.
 */
export async function writeOnePart(sink: PartSink, state: TusUploadState, body: Readable): Promise<number> {
  const start = state.received;
  const partNumber = start / state.partSize + 1;
  const partLength = Math.min(state.partSize, state.size - start);
  const copy = sink.buffers.take(partLength);
  let filled = 0;
  let head = state.head;

  const upload = (bytes: Buffer | Readable, signal?: AbortSignal) =>
    uploadPart(sink, state, partNumber, bytes, partLength, signal);
  // Room for a few of the body's chunks, so the body is not paused at every chunk.
  const stream = new PassThrough({ highWaterMark: 1024 * 1024 });
  const cancel = new AbortController();
  let streamFailed = false;
  let paused = false;
  const resume = () => {
    if (!paused) return;
    paused = false;
    body.resume();
  };
  stream.on('drain', resume);
  const streamed = upload(stream, cancel.signal).then(
    (answer) => answer.ETag,
    () => {
      // The body goes on into the copy.
      streamFailed = true;
      stream.destroy();
      resume();
      return undefined;
    },
  );
  const abandonStream = async () => {
    cancel.abort();
    stream.destroy();
    await streamed;
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        head = keepHead(head, chunk);
        if (chunk.length > partLength - filled) return done(new Error('More bytes than the PATCH declared'));
        filled += chunk.copy(copy, filled);
        if (streamFailed || stream.write(chunk)) return;
        paused = true;
        body.pause();
      };
      const done = (error?: unknown) => {
        body.off('data', onData);
        body.off('end', onEnd);
        body.off('error', onError);
        // As thrown (our tus errors, @tus/server's `{status_code, body}` objects): the handler answers with them.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        if (error !== undefined) reject(error);
        else resolve();
      };
      const onEnd = () => done();
      const onError = (error: Error) => done(error);
      body.on('data', onData);
      body.once('end', onEnd);
      body.once('error', onError);
    });
  } catch (error) {
    await abandonStream();
    sink.buffers.give(copy);
    throw error;
  }

  if (filled < partLength) {
    // Ended short: the part is not whole, its bytes are kept as the pending part.
    await abandonStream();
    if (filled > 0) {
      await sink.putPending(partNumber, copy.subarray(0, filled));
      await advance(sink, state, start + filled, state.parts, head);
    }
    sink.buffers.give(copy);
    return start + filled;
  }
  stream.end();
  const etag = (await streamed) ?? (await upload(copy)).ETag;
  if (!etag) throw new Error(`S3 gave no ETag for part ${partNumber}`);
  sink.buffers.give(copy);
  await advance(sink, state, start + partLength, [...state.parts, [partNumber, etag]], head);
  return start + partLength;
}

async function advance(
  sink: PartSink,
  state: TusUploadState,
  received: number,
  parts: TusUploadState['parts'],
  head: Buffer | undefined,
): Promise<void> {
  if (!(await sink.advance(state.received, { received, parts, head }))) {
    throw new UploadMovedError('The upload was moved on by another request meanwhile');
  }
}
