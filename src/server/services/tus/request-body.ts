import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeRequest } from 'srvx/node';

/**
 * Bytes gathered from the connection into one chunk of the body that @tus/server reads, when gathering: it reads
 * a body as a web stream and turns it back into a Node stream for the store, at a few promises per chunk, and
 * half a MiB per chunk makes an eighth as many as the socket's 64 KiB reads. The bytes are copied once, into the
 * chunk. On disk that pays (+12-20%, docs/benchmarks.md); on S3, where Swift sets the pace, it only raised the
 * server's RSS (190 -> 205 MB at 1 GiB), so the S3 store takes the socket's chunks as they come.
 */
export const BODY_CHUNK_BYTES = 512 * 1024;

/** A chunk of the body (what a web `Request`'s body holds). */
type Bytes = Uint8Array<ArrayBuffer>;

/**
 * The body of one tus request (PATCH, or POST with creation-with-upload): the web stream @tus/server reads, and
 * what the stores learn about it while they write it (through `currentBody()`), since a store sees only the
 * bytes.
 *
 * A connection cut mid-body ends the stream with the bytes received, so the store keeps them and the client
 * resumes from there. A body that runs past `limitTo` (one without Content-Length; with one, @tus/server refuses
 * it before any byte) ends at the limit with the bytes that fit, and sets `overLimit`: the store keeps those bytes
 * and the request answers 413 (`checks.ts`). @tus/server's own limiter would fail the stream there instead, and
 * the stores drop the bytes they had not written yet.
 */
export class RequestBody {
  /** The request's Content-Length, when it has one. */
  readonly declaredLength: number | undefined;
  /** More bytes came than the upload could take. */
  overLimit = false;
  private limit = Number.POSITIVE_INFINITY;
  private received = 0;
  private wake: (() => void) | undefined;
  private stream: ReadableStream<Bytes> | undefined;

  constructor(
    private readonly request: IncomingMessage,
    /** Whether to gather the socket's reads into chunks of `BODY_CHUNK_BYTES`. */
    private readonly gather: boolean,
  ) {
    const length = request.headers['content-length'];
    this.declaredLength = length === undefined ? undefined : Number(length);
  }

  /** The most bytes the upload can still take. */
  limitTo(bytes: number): void {
    this.limit = bytes;
  }

  /** The web stream of the body, made on first use (a request without a body never reads the connection). */
  get web(): ReadableStream<Bytes> {
    this.stream ??= this.open();
    return this.stream;
  }

  private open(): ReadableStream<Bytes> {
    const request = this.request;
    const poke = () => {
      const wake = this.wake;
      this.wake = undefined;
      wake?.();
    };
    for (const event of ['readable', 'end', 'error', 'close']) request.on(event, poke);
    const stop = () => {
      for (const event of ['readable', 'end', 'error', 'close']) request.off(event, poke);
    };
    return new ReadableStream<Bytes>(
      {
        pull: async (controller) => {
          let settled = false;
          for (;;) {
            // A whole chunk, or the rest of an ended body; or, once a turn of the event loop has passed without
            // more, what arrived (the bytes of a client that pauses mid-body, or whose connection was cut).
            let chunk = request.read(
              this.gather ? BODY_CHUNK_BYTES : undefined,
            ) as Buffer<ArrayBuffer> | null;
            if (!chunk && settled) chunk = request.read() as Buffer<ArrayBuffer> | null;
            settled = false;
            if (chunk) {
              const room = this.limit - this.received;
              this.received += chunk.length;
              if (chunk.length <= room) return controller.enqueue(chunk);
              this.overLimit = true;
              if (room > 0) controller.enqueue(chunk.subarray(0, room));
              stop();
              request.resume();
              return controller.close();
            }
            if (request.readableEnded || (request.destroyed && request.readableLength === 0)) {
              stop();
              return controller.close();
            }
            const waiting = request.readableLength > 0;
            await new Promise<void>((resolve) => {
              this.wake = resolve;
              if (!waiting) return;
              setImmediate(() => {
                if (this.wake !== resolve) return;
                settled = true;
                poke();
              });
            });
          }
        },
        cancel: () => {
          stop();
          request.resume();
        },
      },
      { highWaterMark: 0 },
    );
  }
}

const bodies = new AsyncLocalStorage<RequestBody>();

/** The body of the tus request being handled, for a store writing it. */
export function currentBody(): RequestBody | undefined {
  return bodies.getStore();
}

/**
 * The request @tus/server is given: srvx's, with its body read through `RequestBody`. `handle` runs the request
 * with its body in reach of `currentBody()`.
 */
export class TusRequest extends NodeRequest {
  constructor(
    context: { req: IncomingMessage; res: ServerResponse },
    readonly tusBody: RequestBody,
  ) {
    super(context);
  }

  override get body(): ReadableStream<Bytes> | null {
    return this.method === 'GET' || this.method === 'HEAD' ? null : this.tusBody.web;
  }

  static handle<T>(
    req: IncomingMessage,
    res: ServerResponse,
    gather: boolean,
    handler: (request: TusRequest) => Promise<T>,
  ): Promise<T> {
    const body = new RequestBody(req, gather);
    return bodies.run(body, () => handler(new TusRequest({ req, res }, body)));
  }
}
