import type { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

export interface BodyRateOptions {
  /** A body must bring at least `minBytes` in every window this long; 0 turns the check off. */
  windowMs: number;
  minBytes: number;
}

/** How often within a window the request is looked at. */
const CHECKS_PER_WINDOW = 4;

/** What Node itself answers to a request that took too long, before it hangs up. */
const TIMEOUT_ANSWER = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * Cuts off a request whose body arrives slower than `minBytes` per window: a client trickling a byte now and
 * then would otherwise hold its connection (and an upload's temp file) forever. Deliberately not a total
 * request timeout: a slow phone's single tus PATCH of a whole video at 50 KB/s must finish however long it
 * takes. Applies to every route with a body (JSON, plain PUT uploads, tus), since it watches the connection's
 * byte count rather than any route's stream, and it never reads the body itself.
 */
export function cutOffSlowBodies(app: FastifyInstance, options: BodyRateOptions): void {
  if (options.windowMs <= 0 || options.minBytes <= 0) return;
  app.addHook('onRequest', async (request, reply) => {
    watchBody(request.raw, reply.raw, options, request.log);
  });
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function watchBody(
  req: IncomingMessage,
  res: ServerResponse,
  { windowMs, minBytes }: BodyRateOptions,
  log: FastifyBaseLogger,
): void {
  const socket = req.socket;
  // `inject()`'s requests have no connection to hold.
  if (!(socket instanceof Socket) || !hasBody(req) || req.complete) return;
  const checkMs = Math.max(1, Math.floor(windowMs / CHECKS_PER_WINDOW));
  let windowStart = Date.now();
  let lastCheck = windowStart;
  // The connection's count, not the body's: reading the body here would take it from the route.
  let bytesAtStart = socket.bytesRead;
  const newWindow = (now: number) => {
    windowStart = now;
    bytesAtStart = socket.bytesRead;
  };

  const timer = setInterval(() => {
    if (req.complete || req.destroyed || socket.destroyed) {
      clearInterval(timer);
      return;
    }
    const now = Date.now();
    // A late check means this process was stalled, and a stalled server must not blame its clients.
    const late = now - lastCheck > 2 * checkMs;
    lastCheck = now;
    // Bytes waiting in the request's buffer, or a stream nobody reads (paused by a pipe's back-pressure, or not
    // read yet): the server is the slow side (a disk or an S3 part upload behind the route), not the client. A
    // reader of 'readable' events (tus bodies) counts as reading: its back-pressure shows as a full buffer.
    const reading = req.readableFlowing === true || req.listenerCount('readable') > 0;
    const serverBehind = req.readableLength > 0 || !reading;
    if (late || serverBehind || socket.bytesRead - bytesAtStart >= minBytes) {
      newWindow(now);
      return;
    }
    if (now - windowStart < windowMs) return;
    clearInterval(timer);
    log.info({ bytesInWindow: socket.bytesRead - bytesAtStart }, 'request body too slow: connection cut off');
    // Like Node's own request timeout: a bare 408 when nothing was answered yet, then hang up. The route
    // reading the body sees an aborted request and cleans up as for any client that went away.
    if (!res.headersSent && socket.writable) socket.write(TIMEOUT_ANSWER);
    socket.destroy();
  }, checkMs);
  timer.unref();
  req.once('close', () => clearInterval(timer));
}
