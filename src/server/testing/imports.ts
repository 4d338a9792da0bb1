import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { FileDescriptor } from '../../contract/index.ts';
import type { Config } from '../config.ts';
import { patterned, PDF_BYTES, PNG_1X1, waitFor } from './helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

/**
 * Helpers of the import-from-URL suites (src/server/http/imports*.test.ts): a local HTTP server playing the
 * remote site, and the server under test set up per test (`setup(overrides)`), both reached by the tests
 * through the live bindings below.
 */

// ---- the source: a local HTTP server playing the remote site ---------------------------------------------

export const BIG = patterned(300_000, 101);
export const MAX = 100_000;
export const hits = new Map<string, number>();
let openGate: () => void = () => {};
let gate = new Promise<void>((resolve) => (openGate = resolve));
let source: http.Server;
export let sourcePort = 0;
export let origin = '';

/** Makes `/gate` hold its answer until `releaseGate()`. */
export function resetGate(): void {
  gate = new Promise<void>((resolve) => (openGate = resolve));
}

export function releaseGate(): void {
  openGate();
}

function handle(request: http.IncomingMessage, response: http.ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://source');
  hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
  const hop = /^\/hops\/(\d+)$/.exec(url.pathname);
  if (hop) {
    const left = Number(hop[1]);
    if (left === 0) {
      response.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG_1X1);
    } else {
      response.writeHead(302, { Location: `/hops/${left - 1}` }).end();
    }
    return;
  }
  switch (url.pathname) {
    case '/photos/sunset%20beach.png':
      response.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': PNG_1X1.length }).end(PNG_1X1);
      return;
    case '/data': {
      // Chunked: no Content-Length, so only the stream tells the size.
      response.writeHead(200, { 'Content-Type': 'application/x-custom; charset=binary' });
      for (let i = 0; i < MAX - 10_000; i += 10_000) response.write(BIG.subarray(i, i + 10_000));
      response.end();
      return;
    }
    case '/missing':
      response.writeHead(404).end('not here');
      return;
    case '/error':
      response.writeHead(500).end('broken');
      return;
    case '/big':
      response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': BIG.length });
      response.end(BIG);
      return;
    case '/big-chunked':
      response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      for (let i = 0; i < BIG.length; i += 10_000) response.write(BIG.subarray(i, i + 10_000));
      response.end();
      return;
    case '/empty':
      response.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': 0 }).end();
      return;
    case '/empty-chunked':
      response.writeHead(200, { 'Content-Type': 'image/png' }).end();
      return;
    case '/stall':
      // Answers, then sends nothing: the silence timeout must end it.
      response.writeHead(200, { 'Content-Type': 'image/png' });
      response.flushHeaders();
      return;
    case '/cut':
      response.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': 1000 });
      response.flushHeaders();
      setTimeout(() => response.destroy(), 20);
      return;
    case '/slow':
      // Never answers: the import's timeout must end it.
      return;
    case '/gate':
      void gate.then(() => response.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG_1X1));
      return;
    case '/fake.png':
      response.writeHead(200, { 'Content-Type': 'image/png' }).end(PDF_BYTES);
      return;
    case '/redirect':
      response.writeHead(302, { Location: url.searchParams.get('to') ?? '/' }).end();
      return;
    case '/echo':
      response
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ query: url.search, header: request.headers['x-source-key'] ?? null }));
      return;
    default:
      response.writeHead(404).end();
  }
}

// ---- the server under test --------------------------------------------------------------------------------

export let t: TestApp;
let open: TestApp | undefined;

export async function setup(overrides: Partial<Config> = {}) {
  t = await createTestApp({
    importAllowHosts: [`127.0.0.1:${sourcePort}`],
    importTimeoutMs: 300,
    jobRetryBaseMs: 5,
    jobPollMs: 20,
    maxFileSizeBytes: MAX,
    ...overrides,
  });
  open = t;
}

/** The source server for the whole file, and the server under test closed after each test that set one up. */
export function useImportSource(): void {
  beforeAll(async () => {
    source = http.createServer(handle);
    await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
    sourcePort = (source.address() as AddressInfo).port;
    origin = `http://127.0.0.1:${sourcePort}`;
  });

  afterAll(async () => {
    source.closeAllConnections();
    await new Promise((resolve) => source.close(resolve));
  });

  afterEach(async () => {
    await open?.close();
    open = undefined;
  });
}

export async function importFile(body: Record<string, unknown>): Promise<FileDescriptor> {
  return (await t.ok<{ file: FileDescriptor }>('POST', '/files/import', body)).file;
}

export async function getFile(id: string): Promise<FileDescriptor> {
  return (
    await t.ok<{ file: FileDescriptor }>('GET', `/files/get-file-by-id?fileId=${encodeURIComponent(id)}`)
  ).file;
}

/** Waits until the import is no longer PENDING and answers the file. */
export async function settled(id: string): Promise<FileDescriptor> {
  let file = await getFile(id);
  await waitFor(async () => {
    file = await getFile(id);
    return file.operationStatus !== 'PENDING';
  }, `import ${id} to settle`);
  return file;
}

export async function served(file: FileDescriptor) {
  return t.app.inject({ method: 'GET', url: new URL(file.url).pathname });
}
