import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
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

/** The Node request behind a `@tus/server` (srvx) request. */
function nodeRequestOf(req: Request): IncomingMessage | undefined {
  return (req as Request & { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
}

/**
 * The versions this adapter was written against (pinned `~` in package.json). `tus-node-bodies.test.ts` fails on
 * any other version, and `streamBodiesFromNode` refuses to start on one: whoever upgrades checks
 * `BaseHandler.writeToStore` and the handlers' `send` of @tus/server, and srvx's `runtime.node.req`, then moves
 * these.
 */
export const PINNED = { tusServer: '2.4.', srvx: '0.11.' } as const;

function installedVersion(name: string): string {
  const entry = createRequire(import.meta.url).resolve(name);
  // Their `exports` hide their package.json: find it above the entry point.
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === name) return pkg.version ?? '';
  }
  return '';
}

/** The installed versions of what this adapter reaches into. */
export function adaptedVersions(): { tusServer: string; srvx: string } {
  return { tusServer: installedVersion('@tus/server'), srvx: installedVersion('srvx') };
}

/** Fails loudly (the server does not start) when the upstream shape is not the one this adapter replaces. */
function checkShape(server: Server): void {
  const versions = adaptedVersions();
  const handlers = ['PATCH', 'POST'].map((method) => server.handlers[method as 'PATCH'] as unknown);
  const shaped = handlers.every(
    (handler) =>
      typeof (handler as Partial<BodyHandler>)?.send === 'function' &&
      typeof (handler as Partial<BodyHandler>)?.writeToStore === 'function' &&
      (handler as Partial<BodyHandler>)?.store !== undefined,
  );
  if (!versions.tusServer.startsWith(PINNED.tusServer) || !versions.srvx.startsWith(PINNED.srvx) || !shaped) {
    throw new Error(
      `tus-node-bodies was written for @tus/server ${PINNED.tusServer}x and srvx ${PINNED.srvx}x ` +
        `(found ${versions.tusServer} and ${versions.srvx}; handlers ${shaped ? 'as expected' : 'changed'}): ` +
        'check the handlers it replaces, then update PINNED (src/server/services/tus/node-bodies.ts)',
    );
  }
}

/**
 * `@tus/server` 2 turns every upload body from a Node stream into a web stream (srvx's `Readable.toWeb`) and
 * back (`Readable.fromWeb`) before the store sees it: on a 1 GiB PATCH that halved throughput (garbage
 * collection of the per-chunk promises took a third of the CPU time). This hands the Node request to the
 * store as it is, for PATCH and creation-with-upload POST, keeping the library's own validation, locking and
 * offsets. `writeNodeBody` is `BaseHandler.writeToStore` of @tus/server 2.4 without the web-stream round trip,
 * with one stream where it has two and no `stream.pipeline` (and without the POST_RECEIVE event, which this
 * server does not use).
 *
 * It replaces two methods of @tus/server's handlers that are not public (no public hook sees the body before the
 * round trip: a custom `DataStore` gets the stream after it). Kept because the pooled A/B bench shows it pays
 * (docs/benchmarks.md: tus uploads without it at about 0.6x); contained here, checked at start-up, pinned by
 * `tus-node-bodies.test.ts`, and it fails (the server does not start, or the request answers 500) instead of
 * quietly taking the slow path when the library's shape changes.
 */
export function streamBodiesFromNode(server: Server): void {
  checkShape(server);
  for (const method of ['PATCH', 'POST'] as const) {
    const handler = server.handlers[method] as unknown as BodyHandler;
    const send = handler.send.bind(handler);
    handler.send = (req, context, headers) => {
      const node = nodeRequestOf(req);
      // No silent slow path: a request without its Node request means srvx changed.
      if (!node) throw new Error('tus-node-bodies: the request has no `runtime.node.req` (srvx changed?)');
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
    handler.writeToStore = (body, upload, maxFileSize, context) => {
      // The handler no longer passes on `req.body`: @tus/server changed (and would have read the web stream).
      if (!(body instanceof NodeBody)) throw new Error('tus-node-bodies: the body is not the Node request');
      return writeNodeBody(handler.store, body.request, upload, maxFileSize, context);
    };
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

  constructor(
    private readonly limit: number,
    /** The request's Content-Length, when it has one. */
    readonly declaredLength: number | undefined,
  ) {
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

/** The length a PATCH's body declared (its Content-Length), for a body from `streamBodiesFromNode`. */
export function declaredLengthOf(body: Readable): number | undefined {
  return body instanceof LimitedBody ? body.declaredLength : undefined;
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
  const contentLength = request.headers['content-length'];
  const body = new LimitedBody(maxFileSize, contentLength === undefined ? undefined : Number(contentLength));
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
