import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import type { Server, Upload } from '@tus/server';
import { ERRORS, type CancellationContext, type DataStore } from '@tus/utils';

/** A request body handed to the store as the Node request itself (see `streamBodiesFromNode`). */
class NodeBody {
  constructor(readonly request: IncomingMessage) {}
}

/** The parts of `@tus/server` 2.4's handlers this module replaces (not in its public types). */
interface BodyHandler {
  store: DataStore;
  send(req: Request, context: CancellationContext, headers?: Headers): Promise<Response>;
  writeToStore(
    body: ReadableStream | NodeBody | null,
    upload: Upload,
    maxFileSize: number,
    context: CancellationContext,
  ): Promise<number>;
}

/** The Node request behind a `@tus/server` (srvx) request, when it runs on Node. */
function nodeRequestOf(req: Request): IncomingMessage | undefined {
  return (req as Request & { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
}

/**
 * `@tus/server` 2 turns every upload body from a Node stream into a web stream (srvx's `Readable.toWeb`) and
 * back (`Readable.fromWeb`) before the store sees it: on a 1 GiB PATCH that halved throughput (garbage
 * collection of the per-chunk promises took a third of the CPU time). This hands the Node request to the
 * store as it is, for PATCH and creation-with-upload POST, keeping the library's own validation, locking and
 * offsets. `writeNodeBody` is `BaseHandler.writeToStore` of @tus/server 2.4 without the web-stream round trip,
 * with one stream where it has two and no `stream.pipeline` (and without the POST_RECEIVE event, which this
 * server does not use).
 */
export function streamBodiesFromNode(server: Server): void {
  for (const method of ['PATCH', 'POST'] as const) {
    const handler = server.handlers[method] as unknown as BodyHandler;
    const send = handler.send.bind(handler);
    handler.send = (req, context, headers) => {
      const node = nodeRequestOf(req);
      if (!node) return send(req, context, headers);
      const view = new Proxy(req, {
        get(target, key) {
          if (key === 'body') return new NodeBody(node);
          // srvx's request keeps private fields: its methods and getters must run on the request itself.
          const value: unknown = Reflect.get(target, key, target);
          return typeof value === 'function'
            ? (value as (...args: unknown[]) => unknown).bind(target)
            : value;
        },
      });
      return send(view, context, headers);
    };
    const writeToStore = handler.writeToStore.bind(handler);
    handler.writeToStore = (body, upload, maxFileSize, context) =>
      body instanceof NodeBody
        ? writeNodeBody(handler.store, body.request, upload, maxFileSize, context)
        : writeToStore(body, upload, maxFileSize, context);
  }
}

/** A body past its limit: @tus/server answers its `status_code` and `body` (413). */
class BodyOverLimit extends Error {
  readonly status_code = ERRORS.ERR_MAX_SIZE_EXCEEDED.status_code;
  readonly body = ERRORS.ERR_MAX_SIZE_EXCEEDED.body;
}

/**
 * A PATCH's bytes on their way to the store, at most `limit` of them (what the upload still lacks): one stream
 * where @tus/server 2.4 has two (a `PassThrough` proxy and a `StreamLimiter`). A body that runs past the limit
 * (one sent without Content-Length) ends at it, with the bytes that fit, and `overLimit` is set: the PATCH then
 * answers 413 as `StreamLimiter`'s would, but the store has kept every byte the upload could take. Failing the
 * stream instead, as `StreamLimiter` does, loses bytes: the file store drops its unwritten batch, and the S3
 * store the upload's pending part, which it deletes once it has read it (`S3Store.write`).
 */
class LimitedBody extends Transform {
  private received = 0;
  overLimit = false;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.overLimit) return done();
    const room = this.limit - this.received;
    this.received += chunk.length;
    if (chunk.length <= room) return done(null, chunk);
    this.overLimit = true;
    if (room > 0) this.push(chunk.subarray(0, room));
    this.push(null);
    done();
  }
}

async function writeNodeBody(
  store: DataStore,
  request: IncomingMessage,
  upload: Upload,
  maxFileSize: number,
  context: CancellationContext,
): Promise<number> {
  // @tus/server's errors are plain `{status_code, body}` objects: its handler answers with them.
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  if (context.signal.aborted) throw ERRORS.ABORTED;
  // The store reads the body through `.pipe`, never `stream.pipeline` from the request, so an error in the store
  // never destroys the request (the client would see a socket hang-up instead of the error answer). And no
  // `stream.pipeline` here at all: it makes and aborts an `AbortController` per call, a `DOMException` with its
  // stack trace (about 65 µs of CPU per PATCH, `--cpu-prof`).
  const body = new LimitedBody(maxFileSize);
  let sourceError: unknown;
  const onSourceError = (error: unknown) => {
    sourceError = error;
    request.unpipe(body);
    if (!context.signal.aborted) body.destroy(error as Error);
  };
  request.on('error', onSourceError);
  // A cut connection aborts the context: end the body so the bytes received so far are kept (the client
  // resumes from them).
  const onAbort = () => {
    request.unpipe(body);
    if (!body.destroyed) body.end();
  };
  context.signal.addEventListener('abort', onAbort, { once: true });
  request.pipe(body);
  try {
    const offset = await store.write(body, upload.id, upload.offset);
    if (body.overLimit) throw new BodyOverLimit(ERRORS.ERR_MAX_SIZE_EXCEEDED.body);
    return offset;
  } catch (error) {
    request.unpipe(body);
    // @tus/server's errors are plain `{status_code, body}` objects: its handler answers with them.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (sourceError !== undefined || (error as Error)?.name === 'AbortError') throw ERRORS.ABORTED;
    throw error;
  } finally {
    request.off('error', onSourceError);
    context.signal.removeEventListener('abort', onAbort);
  }
}
