import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { VisitorUploadUrlResponse } from '../../contract/index.ts';
import type { Config } from '../config.ts';
import { expectAppError, listen, rebase } from '../testing/helpers.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';
import { TEST_DATABASE_URL } from '../testing/test-databases.ts';

const MiB = 1024 * 1024;

/** Mounts a fresh tmpfs of `size`; undefined when this process may not mount (not root, no CAP_SYS_ADMIN). */
function mountTmpfs(size: string): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    fs.rmdirSync(dir);
    return undefined;
  }
}

function unmount(dir: string): void {
  // Lazy: a failed test may leave a request holding a file open; the mount goes once it lets go.
  execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
  fs.rmdirSync(dir);
}

/** Whether the real full-disk tests can run here: they mount a tmpfs as the data dir (root only). */
const canMount = (() => {
  const dir = mountTmpfs('1m');
  if (dir === undefined) return false;
  unmount(dir);
  return true;
})();

function freeBytes(dir: string): number {
  const stats = fs.statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/** Writes a file until the volume is full (another program filling the disk): at most `max` bytes. */
function fill(file: string, max = Number.MAX_SAFE_INTEGER): void {
  const fd = fs.openSync(file, 'a');
  const chunk = Buffer.alloc(64 * 1024, 'f');
  let written = 0;
  try {
    while (written < max) {
      const length = Math.min(chunk.length, max - written);
      try {
        written += fs.writeSync(fd, chunk, 0, length);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') {
          if (length === 1) return;
          // Fill the last partial block too.
          const one = Buffer.alloc(1);
          for (;;) {
            try {
              fs.writeSync(fd, one);
            } catch {
              return;
            }
          }
        }
        throw error;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

let t: TestApp | undefined;
let mounted: string | undefined;

afterEach(async () => {
  await t?.app.close();
  t = undefined;
  if (mounted) unmount(mounted);
  mounted = undefined;
});

/** A server whose data dir is a fresh tmpfs of `size` (SQLite and blobs on it). */
async function setupOnTmpfs(size: string, overrides: Partial<Config> = {}): Promise<TestApp> {
  mounted = mountTmpfs(size);
  if (!mounted) throw new Error('mount failed');
  t = await createTestApp({ dataDir: mounted, visitorUploadsPerMinute: 1000, ...overrides });
  return t;
}

function visitorGrant(app: TestApp, sizeInBytes?: number): Promise<LightMyRequestResponse> {
  return app.app.inject({
    method: 'POST',
    url: '/visitor/v1/upload-url',
    payload: { mimeType: 'text/plain', fileName: 'note.txt', ...(sizeInBytes && { sizeInBytes }) },
  });
}

function putBytes(app: TestApp, url: string, payload: Buffer | Readable): Promise<LightMyRequestResponse> {
  return app.app.inject({
    method: 'PUT',
    url: new URL(url).pathname,
    headers: { 'content-type': 'text/plain' },
    payload,
  });
}

/** A body without Content-Length (chunked): only the stream itself tells its size. */
function chunked(total: number, chunk = 64 * 1024): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return this.push(null);
      const size = Math.min(chunk, total - sent);
      sent += size;
      this.push(Buffer.alloc(size, 'a'));
    },
  });
}

/** These run on SQLite + disk: the volume that fills is the data dir. */
const onDisk = canMount && TEST_DATABASE_URL === undefined && process.env.S3_ENDPOINT === undefined;

describe.skipIf(!onDisk)('a full data volume (tmpfs)', { timeout: 120_000 }, () => {
  it('visitor uploads stop at MIN_FREE_DISK_BYTES with 507; on a full disk the owner signs in, lists, trashes and deletes forever', async () => {
    const app = await setupOnTmpfs('64m', { minFreeDiskBytes: 16 * MiB });
    const dir = app.dataDir;
    // Anonymous uploads of 4 MiB each until the server refuses them.
    const uploaded: string[] = [];
    let refused: LightMyRequestResponse | undefined;
    for (let i = 0; i < 30 && !refused; i++) {
      const grant = await visitorGrant(app, 4 * MiB);
      if (grant.statusCode !== 200) {
        refused = grant;
        break;
      }
      const { uploadUrl } = grant.json<VisitorUploadUrlResponse>();
      const put = await putBytes(app, uploadUrl, Buffer.alloc(4 * MiB, 'a'));
      if (put.statusCode !== 200) refused = put;
      else uploaded.push(put.json<{ file: { id: string } }>().file.id);
    }
    expect(refused, 'uploads were never refused').toBeDefined();
    expectAppError(refused!, 507, 'INSUFFICIENT_STORAGE');
    expect(uploaded.length).toBeGreaterThan(5);
    // The reserve held: uploads stopped before the volume filled.
    expect(freeBytes(dir)).toBeGreaterThan(8 * MiB);

    // Another program fills the rest: 0 bytes free.
    fill(path.join(dir, 'filler'));
    expect(freeBytes(dir)).toBe(0);

    // The owner can still sign in (a session is a write)...
    const signIn = await app.app.inject({
      method: 'POST',
      url: '/auth/session',
      payload: { apiKey: TEST_API_KEY },
    });
    expect(signIn.statusCode, signIn.body).toBe(200);
    const cookie = signIn.cookies.find((c) => c.name.includes('session'));
    expect(cookie).toBeDefined();
    const { csrfToken } = signIn.json<{ csrfToken: string }>();
    const asOwner = (method: 'GET' | 'POST', url: string, payload?: object) =>
      app.app.inject({
        method,
        url: `/site-media/v1${url}`,
        cookies: { [cookie!.name]: cookie!.value },
        headers: { 'x-csrf-token': csrfToken },
        ...(payload && { payload }),
      });
    const check = await app.app.inject({
      method: 'GET',
      url: '/auth/session',
      cookies: { [cookie!.name]: cookie!.value },
    });
    expect(check.statusCode, check.body).toBe(200);

    // ... read ...
    const listed = await asOwner('GET', '/files?parentFolderId=visitor-uploads&paging.limit=100');
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json<{ files: unknown[] }>().files).toHaveLength(uploaded.length);

    // ... while uploads are refused in the contract's shape (not a 500) ...
    expectAppError(
      await asOwner('POST', '/files/generate-upload-url', { mimeType: 'text/plain', fileName: 'a.txt' }),
      507,
      'INSUFFICIENT_STORAGE',
    );
    expectAppError(await visitorGrant(app), 507, 'INSUFFICIENT_STORAGE');

    // ... move files to the trash ...
    const trashed = await asOwner('POST', '/bulk/files/delete', { fileIds: uploaded.slice(0, 3) });
    expect(trashed.statusCode, trashed.body).toBe(200);
    // ... and delete them forever, which frees their bytes.
    const before = freeBytes(dir);
    const purged = await asOwner('POST', '/bulk/files/delete', {
      fileIds: uploaded.slice(0, 3),
      permanent: true,
    });
    expect(purged.statusCode, purged.body).toBe(200);
    // (less what SQLite's journal took meanwhile)
    expect(freeBytes(dir)).toBeGreaterThanOrEqual(before + 3 * 4 * MiB - MiB);
    const remaining = await asOwner('GET', '/files?parentFolderId=visitor-uploads&paging.limit=100');
    expect(remaining.json<{ files: unknown[] }>().files).toHaveLength(uploaded.length - 3);

    // Once the filler is gone too, uploads work again.
    fs.rmSync(path.join(dir, 'filler'));
    const grant = await visitorGrant(app, 1024);
    expect(grant.statusCode, grant.body).toBe(200);
    const put = await putBytes(
      app,
      grant.json<VisitorUploadUrlResponse>().uploadUrl,
      Buffer.alloc(1024, 'a'),
    );
    expect(put.statusCode, put.body).toBe(200);
  });

  it('refuses a PUT at its start when its Content-Length would cross the reserve, and mid-stream when a chunked body does', async () => {
    const app = await setupOnTmpfs('64m', { minFreeDiskBytes: 16 * MiB });
    const dir = app.dataDir;
    const url = async () =>
      (
        await app.ok<{ uploadUrl: string }>('POST', '/files/generate-upload-url', {
          mimeType: 'text/plain',
          fileName: 'big.txt',
        })
      ).uploadUrl;
    const room = freeBytes(dir) - 16 * MiB;
    expect(room).toBeGreaterThan(20 * MiB);
    // Known length: refused before a byte is stored; the URL stays usable.
    const first = await url();
    expectAppError(
      await putBytes(app, first, Buffer.alloc(room + 2 * MiB, 'a')),
      507,
      'INSUFFICIENT_STORAGE',
    );
    // Unknown length: refused once the stream crosses the reserve; what it wrote is removed.
    const before = freeBytes(dir);
    expectAppError(await putBytes(app, await url(), chunked(room + 4 * MiB)), 507, 'INSUFFICIENT_STORAGE');
    expect(freeBytes(dir)).toBeGreaterThanOrEqual(before - MiB);
    // A size that fits still goes through on the first URL.
    const ok = await putBytes(app, first, Buffer.alloc(MiB, 'a'));
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('tus: creation is refused when Upload-Length would cross the reserve; a PATCH is cut at the reserve and can resume later', async () => {
    const app = await setupOnTmpfs('64m', { minFreeDiskBytes: 16 * MiB });
    const dir = app.dataDir;
    const base = await listen(app);
    const token = async () =>
      (
        await app.ok<{ uploadUrl: string; uploadToken: string }>(
          'POST',
          '/files/generate-resumable-upload-url',
          { mimeType: 'text/plain', fileName: 'big.txt' },
        )
      ).uploadToken;
    const create = async (length: number) =>
      fetch(`${base}/upload/v1/tus`, {
        method: 'POST',
        headers: {
          'Tus-Resumable': '1.0.0',
          'Upload-Length': String(length),
          'Upload-Metadata': `token ${Buffer.from(await token()).toString('base64')}`,
        },
      });
    const room = freeBytes(dir) - 16 * MiB;
    const tooBig = await create(room + 2 * MiB);
    expect(tooBig.status).toBe(507);
    expect((await tooBig.json()).details.applicationError.code).toBe('INSUFFICIENT_STORAGE');

    // It fits when created; then another program takes most of the room.
    const created = await create(8 * MiB);
    expect(created.status).toBe(201);
    const location = rebase(new URL(created.headers.get('location')!, `${base}/upload/v1/tus`).href, base);
    fill(path.join(dir, 'filler'), room - 4 * MiB);
    const patch = await fetch(location, {
      method: 'PATCH',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': '0',
        'Content-Type': 'application/offset+octet-stream',
      },
      body: new Uint8Array(Buffer.alloc(8 * MiB, 'a')),
    });
    expect(patch.status).toBe(507);
    expect((await patch.json()).details.applicationError.code).toBe('INSUFFICIENT_STORAGE');
    // The upload is kept: once there is room again it resumes from its offset.
    fs.rmSync(path.join(dir, 'filler'));
    const head = await fetch(location, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } });
    expect(head.status).toBe(200);
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBeLessThan(8 * MiB);
    const rest = await fetch(location, {
      method: 'PATCH',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': String(offset),
        'Content-Type': 'application/offset+octet-stream',
      },
      body: new Uint8Array(Buffer.alloc(8 * MiB - offset, 'a')),
    });
    expect(rest.status).toBe(204);
  });

  it('with the reserve off, a write on a full disk answers 507 INSUFFICIENT_STORAGE, never a rollback error', async () => {
    const app = await setupOnTmpfs('32m', { minFreeDiskBytes: 0 });
    const dir = app.dataDir;
    await app.upload('hello');
    const { uploadUrl } = await app.ok<{ uploadUrl: string }>('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'a.txt',
    });
    fill(path.join(dir, 'filler'));
    expectAppError(await putBytes(app, uploadUrl, Buffer.alloc(MiB, 'a')), 507, 'INSUFFICIENT_STORAGE');
    // Many folders at once: more than any slack SQLite keeps can hold.
    let failed: LightMyRequestResponse | undefined;
    for (let i = 0; i < 2000 && !failed; i++) {
      const created = await app.api('POST', '/folders', { displayName: `${'x'.repeat(200)}-${i}` });
      if (created.statusCode !== 200) failed = created;
    }
    expect(failed, 'folder creation never failed on a full disk').toBeDefined();
    expectAppError(failed!, 507, 'INSUFFICIENT_STORAGE');
    expect(failed!.body).not.toMatch(/rollback/);
  });
});
