import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BODY_CHUNK_BYTES, currentBody, RequestBody, TusRequest } from './request-body.ts';

/** What the server side read of one request's body through `RequestBody`. */
interface Read {
  chunks: number[];
  bytes: Buffer;
  overLimit: boolean;
}

let server: http.Server | undefined;

afterEach(async () => {
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

/** A server that reads each request's body through `RequestBody` (limited to `limit` when given). */
async function serve(
  limit?: number,
  gather = true,
): Promise<{ url: string; reads: Promise<Read>[]; received: () => number }> {
  const reads: Promise<Read>[] = [];
  let received = 0;
  server = http.createServer((req, res) => {
    const body = new RequestBody(req, gather);
    if (limit !== undefined) body.limitTo(limit);
    const read = (async () => {
      const chunks: Buffer[] = [];
      const reader = body.web.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        chunks.push(Buffer.from(next.value));
        received += next.value.length;
      }
      res.end('ok');
      return { chunks: chunks.map((c) => c.length), bytes: Buffer.concat(chunks), overLimit: body.overLimit };
    })();
    reads.push(read);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    reads,
    received: () => received,
  };
}

describe('RequestBody', () => {
  it('gathers a body sent at once into chunks of up to BODY_CHUNK_BYTES, byte for byte', async () => {
    const { url, reads } = await serve();
    const data = randomBytes(8 * BODY_CHUNK_BYTES + 1234);
    await fetch(url, { method: 'PATCH', body: data });
    const read = await reads[0]!;
    expect(read.bytes.equals(data)).toBe(true);
    expect(Math.max(...read.chunks)).toBeLessThanOrEqual(BODY_CHUNK_BYTES);
    // The socket's 64 KiB reads are gathered: far fewer chunks than it delivered.
    expect(read.chunks.length).toBeLessThan(data.length / (64 * 1024));
  });

  it.each([true, false])(
    'hands on what arrived when the client pauses mid-body (gathering: %s)',
    async (gather) => {
      const { url, reads, received } = await serve(undefined, gather);
      const first = randomBytes(100_000);
      const request = http.request(url, { method: 'PATCH', headers: { 'Content-Length': 200_000 } });
      request.write(first);
      // The first bytes reach the reader while the client still holds back the rest.
      await expect.poll(() => received(), { timeout: 5_000 }).toBe(100_000);
      request.end(randomBytes(100_000));
      const read = await reads[0]!;
      expect(read.bytes.subarray(0, 100_000).equals(first)).toBe(true);
      expect(read.bytes.length).toBe(200_000);
    },
  );

  it.each([true, false])('ends at the limit with the bytes that fit (gathering: %s)', async (gather) => {
    const { url, reads } = await serve(300_000, gather);
    const data = randomBytes(1_000_000);
    await fetch(url, { method: 'PATCH', body: data });
    const read = await reads[0]!;
    expect(read.overLimit).toBe(true);
    expect(read.bytes.equals(data.subarray(0, 300_000))).toBe(true);
  });

  it.each([true, false])(
    'keeps the bytes received when the connection is cut (gathering: %s)',
    async (gather) => {
      const { url, reads } = await serve(undefined, gather);
      const sent = randomBytes(300_000);
      const request = http.request(url, { method: 'PATCH', headers: { 'Content-Length': 1_000_000 } });
      request.on('error', () => {});
      request.write(sent);
      await new Promise((resolve) => setTimeout(resolve, 200));
      request.destroy();
      const read = await reads[0]!;
      expect(read.bytes.equals(sent)).toBe(true);
      expect(read.overLimit).toBe(false);
    },
  );

  it('is the body @tus/server reads, and in reach of the stores while the request is handled', async () => {
    let seen: { declared: number | undefined; same: boolean } | undefined;
    server = http.createServer((req, res) => {
      void TusRequest.handle(req, res, true, async (request) => {
        const text = await new Response(request.body).text();
        seen = { declared: currentBody()?.declaredLength, same: currentBody() === request.tusBody };
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const answer = await fetch(url, { method: 'PATCH', body: 'hello' });
    expect(await answer.text()).toBe('hello');
    expect(seen).toEqual({ declared: 5, same: true });
    expect(currentBody()).toBeUndefined();
  });
});
