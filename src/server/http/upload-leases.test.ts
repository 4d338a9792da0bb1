import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FileDescriptor, ListFilesResponse } from '../../contract/index.ts';
import { isoIn, nowIso } from '../clock.ts';
import type { Config } from '../config.ts';
import { sha256 } from '../secrets.ts';
import {
  expectFetchError,
  listen,
  patterned,
  rebase,
  sha256Hex,
  storedBlobs,
  tusFiles,
  waitFor,
} from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const TUS = { 'Tus-Resumable': '1.0.0' };

/**
 * Claims on upload URLs are leases: a process that claimed a URL (a plain PUT, a tus finalize) and died
 * leaves a claim that runs out, after which the URL works again; a live claim is renewed and keeps refusing
 * other uses. A crash is simulated here by claiming through the store, as the dead process did, and never
 * finishing (`upload-crash.test.ts` kills real server processes).
 */
describe('upload URL claims (leases)', () => {
  let t: TestApp;
  let base: string;

  async function setup(overrides: Partial<Config> = {}) {
    t = await createTestApp(overrides);
    base = await listen(t);
  }

  beforeEach(async () => {
    await setup();
  });

  afterEach(async () => {
    vi.useRealTimers();
    await t.close();
  });

  async function allFiles(): Promise<FileDescriptor[]> {
    return (
      await t.ok<ListFilesResponse>('POST', '/files/search', {
        rootFolder: 'MEDIA_ROOT',
        paging: { limit: 100 },
      })
    ).files;
  }

  /** What a process that died holding the claim left behind. */
  async function deadClaim(token: string, kind: 'plain' | 'tus'): Promise<void> {
    const hash = sha256(token);
    const now = nowIso();
    const claim =
      kind === 'plain'
        ? await t.store.uploadTokens.claimUploadToken(hash, now, isoIn(60_000), 'dead-process')
        : await t.store.uploadTokens.claimBoundUploadToken(hash, now, isoIn(60_000), 'dead-process');
    expect(claim).toBeTruthy();
  }

  function later(ms: number): void {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + ms);
  }

  async function plainUrl(): Promise<{ url: string; token: string }> {
    const { uploadUrl } = await t.ok<{ uploadUrl: string }>('POST', '/files/generate-upload-url', {
      mimeType: 'application/octet-stream',
      fileName: 'lease.bin',
    });
    return { url: rebase(uploadUrl, base), token: uploadUrl.split('/').at(-1)! };
  }

  /** A complete tus upload; answers its finalize URL and token. */
  async function completeTusUpload(content: Buffer): Promise<{ finalizeUrl: string; token: string }> {
    const answer = await t.ok<{ uploadUrl: string; uploadToken: string }>(
      'POST',
      '/files/generate-resumable-upload-url',
      { mimeType: 'application/octet-stream', fileName: 'lease.bin' },
    );
    const endpoint = rebase(answer.uploadUrl, base);
    const created = await fetch(endpoint, {
      method: 'POST',
      headers: {
        ...TUS,
        'Upload-Length': String(content.length),
        'Upload-Metadata': `token ${Buffer.from(answer.uploadToken).toString('base64')}`,
      },
    });
    expect(created.status).toBe(201);
    const url = new URL(created.headers.get('location')!, endpoint).toString();
    const patched = await fetch(url, {
      method: 'PATCH',
      headers: { ...TUS, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      body: new Uint8Array(content),
    });
    expect(patched.status).toBe(204);
    return { finalizeUrl: `${endpoint}/${answer.uploadToken}`, token: answer.uploadToken };
  }

  async function fileOf(response: Response): Promise<FileDescriptor> {
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return (JSON.parse(text) as { file: FileDescriptor }).file;
  }

  describe('plain PUT', () => {
    it('a URL whose PUT died with its process works again once the claim runs out, not before', async () => {
      const { url, token } = await plainUrl();
      await deadClaim(token, 'plain');
      await expectFetchError(await fetch(url, { method: 'PUT', body: 'early' }), 403, 'PERMISSION_DENIED');

      later(2 * 60_000);
      const content = patterned(50_000);
      const file = await fileOf(await fetch(url, { method: 'PUT', body: new Uint8Array(content) }));
      expect(file.hash).toBe(sha256Hex(content));
      expect((await allFiles()).map((f) => f.id)).toEqual([file.id]);
      await expectFetchError(await fetch(url, { method: 'PUT', body: 'again' }), 403, 'PERMISSION_DENIED');
    });

    it('a live PUT keeps its claim while its bytes flow, past the lease: a second use is refused', async () => {
      await t.close();
      // Renewed every third of the lease: two seconds leave room for a busy machine's pauses.
      await setup({ uploadClaimLeaseSeconds: 2 });
      const { url, token } = await plainUrl();
      const target = new URL(url);
      const socket = net.connect(Number(target.port), target.hostname);
      socket.on('error', () => {});
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      const answer = new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('\r\n\r\n{') && text.trimEnd().endsWith('}')) resolve(text);
        });
      });
      const total = 40 * 1000;
      socket.write(
        `PUT ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\n` +
          `Content-Type: application/octet-stream\r\nContent-Length: ${total}\r\n\r\n`,
      );
      let sent = 0;
      const sendSome = () => {
        if (sent < total - 1000) {
          socket.write(Buffer.alloc(1000, 5));
          sent += 1000;
        }
      };
      sendSome();
      let first: { claimExpiresAt: string | null } | undefined;
      await waitFor(async () => {
        first = await t.store.uploadTokens.uploadClaimOf(sha256(token));
        return Boolean(first?.claimExpiresAt);
      }, 'the PUT to claim its URL');
      // Bytes keep coming, slowly, until the first lease is over.
      await waitFor(
        () => {
          sendSome();
          return Date.now() > Date.parse(first!.claimExpiresAt!) + 200;
        },
        'the first lease to pass',
        20_000,
      );
      await expectFetchError(await fetch(url, { method: 'PUT', body: 'intruder' }), 403, 'PERMISSION_DENIED');
      socket.write(Buffer.alloc(total - sent, 5));
      expect(await answer).toMatch(/^HTTP\/1.1 200/);
      socket.destroy();
      expect((await allFiles()).map((f) => f.sizeInBytes)).toEqual([String(total)]);
    });
    it('a PUT that stalls for a whole lease loses the URL to a retry, and then writes no file', async () => {
      await t.close();
      await setup({ uploadClaimLeaseSeconds: 1 });
      const { url, token } = await plainUrl();
      const target = new URL(url);
      const socket = net.connect(Number(target.port), target.hostname);
      socket.on('error', () => {});
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      const answer = new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('\r\n\r\n{') && text.trimEnd().endsWith('}')) resolve(text);
        });
        socket.on('close', () => resolve(text));
      });
      socket.write(
        `PUT ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\n` +
          'Content-Type: application/octet-stream\r\nContent-Length: 20000\r\n\r\n',
      );
      socket.write(Buffer.alloc(10_000, 1));
      let stalled: { claimExpiresAt: string | null } | undefined;
      await waitFor(async () => {
        stalled = await t.store.uploadTokens.uploadClaimOf(sha256(token));
        return Boolean(stalled?.claimExpiresAt);
      }, 'the PUT to claim its URL');
      // No byte comes for longer than the lease: the claim is not renewed, and a retry takes the URL.
      await waitFor(
        async () => {
          stalled = await t.store.uploadTokens.uploadClaimOf(sha256(token));
          return Date.now() > Date.parse(stalled!.claimExpiresAt!) + 200;
        },
        'the lease to run out',
        20_000,
      );
      const content = patterned(20_000, 17);
      const retry = await fileOf(await fetch(url, { method: 'PUT', body: new Uint8Array(content) }));
      expect(retry.hash).toBe(sha256Hex(content));
      // The stalled client resumes: its PUT fails, and the retry's file is the only one.
      socket.write(Buffer.alloc(10_000, 1));
      const late = await answer;
      socket.destroy();
      expect(late).not.toMatch(/^HTTP\/1.1 200/);
      expect((await allFiles()).map((f) => f.id)).toEqual([retry.id]);
      expect(await storedBlobs(t)).toHaveLength(1);
    });
  });

  describe('tus finalize', () => {
    it('a finalize that died with its process completes on retry once the claim runs out, once', async () => {
      const content = patterned(300_000, 3);
      const { finalizeUrl, token } = await completeTusUpload(content);
      await deadClaim(token, 'tus');
      await expectFetchError(await fetch(finalizeUrl, { method: 'PUT' }), 403, 'PERMISSION_DENIED');

      later(2 * 60_000);
      const file = await fileOf(await fetch(finalizeUrl, { method: 'PUT' }));
      expect(file.hash).toBe(sha256Hex(content));
      expect(file.sizeInBytes).toBe(String(content.length));
      expect((await allFiles()).map((f) => f.id)).toEqual([file.id]);
      expect(await storedBlobs(t)).toHaveLength(1);
      expect(await tusFiles(t)).toEqual([]);
    });

    it('is idempotent: a repeated finalize answers the same file, and concurrent ones make one file', async () => {
      const content = patterned(100_000, 9);
      const { finalizeUrl } = await completeTusUpload(content);
      const answers = await Promise.all([0, 1, 2].map(() => fetch(finalizeUrl, { method: 'PUT' })));
      const ids = new Set<string>();
      for (const answer of answers) {
        // A finalize under way refuses the others (403); once done, each answers its file.
        if (answer.status === 403) await expectFetchError(answer, 403, 'PERMISSION_DENIED');
        else ids.add((await fileOf(answer)).id);
      }
      const again = await fileOf(await fetch(finalizeUrl, { method: 'PUT' }));
      ids.add(again.id);
      expect([...ids]).toEqual([again.id]);
      expect(again.hash).toBe(sha256Hex(content));
      expect((await allFiles()).map((f) => f.id)).toEqual([again.id]);
      expect(await storedBlobs(t)).toHaveLength(1);
      expect(await tusFiles(t)).toEqual([]);
    });
  });
});
