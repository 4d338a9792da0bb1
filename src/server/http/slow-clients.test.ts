import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileDescriptor, ListFilesResponse } from '../../contract/index.ts';
import type { Config } from '../config.ts';
import { listen, patterned, rebase, sha256Hex, tempBlobs, waitFor } from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

// Short windows so that nothing waits a minute: a body must bring 1 KiB per 400 ms, headers must be complete
// within 500 ms.
const LIMITS: Partial<Config> = { bodyRateWindowMs: 400, bodyMinBytesPerWindow: 1024, headersTimeoutMs: 500 };

let t: TestApp;
let base: string;

afterEach(async () => {
  await t.close();
});

async function setup(overrides: Partial<Config> = LIMITS) {
  t = await createTestApp(overrides);
  base = await listen(t);
}

/** A raw HTTP/1.1 connection: the test decides when each byte goes. */
class RawClient {
  readonly socket: net.Socket;
  answer = '';
  closed = false;
  sent = 0;

  constructor(url: string) {
    const { hostname, port } = new URL(url);
    this.socket = net.connect(Number(port), hostname);
    this.socket.setEncoding('latin1');
    this.socket.on('data', (chunk: string) => (this.answer += chunk));
    this.socket.on('error', () => {});
    this.socket.on('close', () => (this.closed = true));
  }

  /** Sends `content` `chunkBytes` at a time, one chunk every `everyMs`, until all is sent or the server hangs up. */
  async sendSlowly(content: Buffer | string, chunkBytes: number, everyMs: number): Promise<void> {
    const bytes = Buffer.from(content);
    for (let at = 0; at < bytes.length && !this.closed && this.socket.writable; at += chunkBytes) {
      this.socket.write(bytes.subarray(at, at + chunkBytes));
      this.sent += Math.min(chunkBytes, bytes.length - at);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }

  /** The status line's code of the server's answer. */
  status(): number {
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(this.answer)?.[1]);
  }

  close(): void {
    this.socket.destroy();
  }
}

function head(method: string, url: string, headers: Record<string, string>): string {
  const { pathname, host } = new URL(url);
  const lines = Object.entries({ Host: host, ...headers }).map(([name, value]) => `${name}: ${value}`);
  return `${method} ${pathname} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

async function plainUploadUrl(fileName: string): Promise<string> {
  const { uploadUrl } = await t.ok<{ uploadUrl: string }>('POST', '/files/generate-upload-url', {
    mimeType: 'application/octet-stream',
    fileName,
  });
  return rebase(uploadUrl, base);
}

const TUS = { 'Tus-Resumable': '1.0.0' };

/** A tus upload of `length` bytes created on the listening server: its upload URL and finalize URL. */
async function tusUpload(length: number): Promise<{ url: string; finalizeUrl: string }> {
  const { uploadUrl, uploadToken } = await t.ok<{ uploadUrl: string; uploadToken: string }>(
    'POST',
    '/files/generate-resumable-upload-url',
    { mimeType: 'application/octet-stream', fileName: 'slow.bin', uploadProtocol: 'TUS' },
  );
  const endpoint = rebase(uploadUrl, base);
  const created = await fetch(endpoint, {
    method: 'POST',
    headers: {
      ...TUS,
      'Upload-Length': String(length),
      'Upload-Metadata': `token ${Buffer.from(uploadToken).toString('base64')}`,
    },
  });
  expect(created.status, await created.text()).toBe(201);
  return {
    url: new URL(created.headers.get('location')!, endpoint).toString(),
    finalizeUrl: `${endpoint}/${uploadToken}`,
  };
}

function tusPatchHead(url: string, offset: number, length: number): string {
  return head('PATCH', url, {
    ...TUS,
    'Upload-Offset': String(offset),
    'Content-Type': 'application/offset+octet-stream',
    'Content-Length': String(length),
  });
}

async function files(): Promise<FileDescriptor[]> {
  return (await t.ok<ListFilesResponse>('GET', '/files')).files;
}

describe('slow clients', { timeout: 60_000 }, () => {
  it('a plain PUT whose body trickles in below the minimum rate is cut off (408), and leaves nothing behind', async () => {
    await setup();
    const url = await plainUploadUrl('trickled.bin');
    const content = patterned(100_000);
    const client = new RawClient(url);
    client.socket.write(head('PUT', url, { 'Content-Length': String(content.length) }));
    // 16 bytes every 40 ms: far below 1 KiB per 400 ms, and 250 s for the whole body.
    await client.sendSlowly(content, 16, 40);
    await waitFor(() => client.closed, 'the server to close the connection', 30_000);
    expect(client.status()).toBe(408);
    expect(client.sent).toBeLessThan(content.length);
    await waitFor(async () => (await tempBlobs(t)).length === 0, 'the partial blob to go');
    expect(await files()).toEqual([]);
  });

  it('a tus PATCH trickling below the minimum is cut off; the upload resumes from what arrived', async () => {
    await setup();
    const content = patterned(60_000);
    const { url, finalizeUrl } = await tusUpload(content.length);
    const client = new RawClient(url);
    client.socket.write(tusPatchHead(url, 0, content.length));
    await client.sendSlowly(content, 16, 40);
    await waitFor(() => client.closed, 'the server to close the connection', 30_000);
    expect(client.status()).toBe(408);

    const probe = await fetch(url, { method: 'HEAD', headers: TUS });
    const offset = Number(probe.headers.get('upload-offset'));
    expect(offset).toBeLessThan(content.length);
    const rest = await fetch(url, {
      method: 'PATCH',
      headers: { ...TUS, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
      body: new Uint8Array(content.subarray(offset)),
    });
    expect(rest.status, await rest.text()).toBe(204);
    const finalized = await fetch(finalizeUrl, { method: 'PUT' });
    expect(finalized.status, await finalized.clone().text()).toBe(200);
    expect((await finalized.json()).file.hash).toBe(sha256Hex(content));
  });

  // Not a total timeout: a slow line that keeps above the minimum finishes, however many windows it takes
  // (about four windows here).
  it('a slow plain PUT above the minimum rate completes', async () => {
    await setup();
    const url = await plainUploadUrl('slow.bin');
    const content = patterned(160 * 1024);
    const client = new RawClient(url);
    client.socket.write(head('PUT', url, { 'Content-Length': String(content.length) }));
    await client.sendSlowly(content, 4096, 40);
    await waitFor(() => client.answer.includes('\r\n\r\n'), 'the answer');
    expect(client.status(), client.answer).toBe(200);
    client.close();
    const [file] = await files();
    expect(file?.hash).toBe(sha256Hex(content));
  });

  it('a slow single tus PATCH of the whole file above the minimum rate completes (as Uppy sends it)', async () => {
    await setup();
    const content = patterned(160 * 1024);
    const { url, finalizeUrl } = await tusUpload(content.length);
    const client = new RawClient(url);
    client.socket.write(tusPatchHead(url, 0, content.length));
    await client.sendSlowly(content, 4096, 40);
    await waitFor(() => client.answer.includes('\r\n\r\n'), 'the answer');
    expect(client.status(), client.answer).toBe(204);
    client.close();
    const finalized = await fetch(finalizeUrl, { method: 'PUT' });
    expect(finalized.status, await finalized.clone().text()).toBe(200);
    expect((await finalized.json()).file.hash).toBe(sha256Hex(content));
  });

  it('headers trickling in are cut off after the headers timeout (408)', async () => {
    await setup();
    const client = new RawClient(base);
    client.socket.write(`GET /healthz HTTP/1.1\r\nHost: ${new URL(base).host}\r\n`);
    const lines = Array.from({ length: 2000 }, (_, i) => `X-Slow-${i}: 1\r\n`).join('');
    await client.sendSlowly(lines, 10, 40);
    await waitFor(() => client.closed, 'the server to close the connection', 30_000);
    expect(client.status()).toBe(408);
    // The server itself is fine.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('the defaults: headers within 30 s, bodies at least 1 KiB a minute', async () => {
    await setup({});
    expect(t.config.headersTimeoutMs).toBe(30_000);
    expect(t.config.bodyRateWindowMs).toBe(60_000);
    expect(t.config.bodyMinBytesPerWindow).toBe(1024);
    expect(t.app.server.headersTimeout).toBe(30_000);
    expect(t.app.server.requestTimeout).toBe(0);
  });
});
