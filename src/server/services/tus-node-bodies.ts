import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Server, Upload } from '@tus/server';
import { ERRORS, StreamLimiter, type CancellationContext, type DataStore } from '@tus/utils';

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
 * offsets. `writeNodeBody` is `BaseHandler.writeToStore` of @tus/server 2.4 without the web-stream round trip
 * (and without the POST_RECEIVE event, which this server does not use).
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
  // The store reads a proxy, so an error in the store's pipeline never destroys the request (the client would
  // see a socket hang-up instead of the error answer).
  const proxy = new PassThrough();
  let sourceError: unknown;
  const onSourceError = (error: unknown) => {
    sourceError = error;
    request.unpipe(proxy);
    if (!context.signal.aborted) proxy.destroy(error as Error);
  };
  request.on('error', onSourceError);
  // A cut connection aborts the context: end the proxy so the bytes received so far are kept (the client
  // resumes from them).
  const onAbort = () => {
    request.unpipe(proxy);
    if (!proxy.destroyed) proxy.end();
  };
  context.signal.addEventListener('abort', onAbort, { once: true });
  try {
    // Node hands the last function the previous stream itself (typed as an AsyncIterable).
    return await pipeline(request.pipe(proxy), new StreamLimiter(maxFileSize), (limited) =>
      store.write(limited as Readable, upload.id, upload.offset),
    );
  } catch (error) {
    request.unpipe(proxy);
    const aborted =
      (sourceError !== undefined && error === sourceError) || (error as Error)?.name === 'AbortError';
    throw aborted ? ERRORS.ABORTED : error;
  } finally {
    request.off('error', onSourceError);
    context.signal.removeEventListener('abort', onAbort);
  }
}
