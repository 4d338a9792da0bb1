import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from './app.ts';
import { loadConfig } from './config.ts';
import { patterned, rebase, sha256Hex, waitFor } from './testing/helpers.ts';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from './testing/test-databases.ts';

const API_KEY = 'scale-out-api-key';
const SECRET = 'scale-out-signing-secret-of-enough-length';
const TUS = { 'Tus-Resumable': '1.0.0' };

interface Instance {
  built: App;
  base: string;
  dataDir: string;
}

/**
 * Two instances of the server over ONE PostgreSQL schema and ONE bucket (their own data dirs, the same API key
 * and signing secret), as behind a load balancer: whatever one starts or signs, the other can continue or
 * serve. Runs when both `TEST_DATABASE_URL` and `S3_ENDPOINT` are set.
 */
describe.skipIf(!TEST_DATABASE_URL || !process.env.S3_ENDPOINT)('several instances (PostgreSQL + S3)', () => {
  let schema: TestSchema;
  let a: Instance;
  let b: Instance;
  const keyPrefix = `scale-out-${randomBytes(4).toString('hex')}/`;

  async function start(name: string): Promise<Instance> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `smm-scale-${name}-`));
    const s3 = loadConfig(process.env).s3!;
    const config = loadConfig(
      {},
      {
        dataDir,
        databaseUrl: schema.url,
        s3: { ...s3, keyPrefix: s3.keyPrefix + keyPrefix },
        apiKey: API_KEY,
        signingSecret: SECRET,
        staticDir: undefined,
        publicUrl: 'http://media.test',
        jobPollMs: 20,
        jobRetryBaseMs: 10,
        workerConcurrency: 2,
      },
    );
    const built = await buildApp(config);
    await built.app.listen({ host: '127.0.0.1', port: 0 });
    return { built, base: `http://127.0.0.1:${(built.app.server.address() as AddressInfo).port}`, dataDir };
  }

  async function api<T>(instance: Instance, method: string, apiPath: string, body?: unknown): Promise<T> {
    const response = await fetch(`${instance.base}/site-media/v1${apiPath}`, {
      method,
      headers: { authorization: API_KEY, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return JSON.parse(text) as T;
  }

  beforeAll(async () => {
    schema = await createTestSchema(TEST_DATABASE_URL!);
    // One after the other: both run the migrations, the second finds them done.
    a = await start('a');
    b = await start('b');
  });

  afterAll(async () => {
    for (const instance of [a, b]) {
      if (!instance) continue;
      await instance.built.app.close();
      fs.rmSync(instance.dataDir, { recursive: true, force: true });
    }
    await schema?.drop();
  });

  it('a tus upload started on A continues and finalizes on B; A serves the same bytes', async () => {
    // Bigger than a part (5 MiB): A stores a whole part plus a pending `.part`, B the rest.
    const content = patterned(11 * 1024 * 1024 + 12_345, 31);
    const half = 6 * 1024 * 1024 + 777;
    const { uploadUrl, uploadToken } = await api<{ uploadUrl: string; uploadToken: string }>(
      a,
      'POST',
      '/files/generate-resumable-upload-url',
      { mimeType: 'application/octet-stream', fileName: 'across.bin', uploadProtocol: 'TUS' },
    );
    const created = await fetch(rebase(uploadUrl, a.base), {
      method: 'POST',
      headers: {
        ...TUS,
        'Upload-Length': String(content.length),
        'Upload-Metadata': `token ${Buffer.from(uploadToken).toString('base64')}`,
      },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const location = new URL(created.headers.get('location')!, rebase(uploadUrl, a.base));
    const onA = location.toString();
    const onB = `${b.base}${location.pathname}`;

    const first = await fetch(onA, {
      method: 'PATCH',
      headers: { ...TUS, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      body: new Uint8Array(content.subarray(0, half)),
    });
    expect(first.status, await first.text()).toBe(204);

    // B knows the offset from the store, not from A's memory.
    const probe = await fetch(onB, { method: 'HEAD', headers: TUS });
    expect(probe.status).toBe(200);
    expect(probe.headers.get('upload-offset')).toBe(String(half));
    const rest = await fetch(onB, {
      method: 'PATCH',
      headers: { ...TUS, 'Upload-Offset': String(half), 'Content-Type': 'application/offset+octet-stream' },
      body: new Uint8Array(content.subarray(half)),
    });
    expect(rest.status, await rest.text()).toBe(204);
    expect(rest.headers.get('upload-offset')).toBe(String(content.length));

    const finalized = await fetch(`${rebase(uploadUrl, b.base)}/${uploadToken}`, { method: 'PUT' });
    const text = await finalized.text();
    expect(finalized.status, text).toBe(200);
    const file = (JSON.parse(text) as { file: { id: string; hash: string; sizeInBytes: string } }).file;
    expect(file.sizeInBytes).toBe(String(content.length));
    expect(file.hash).toBe(sha256Hex(content));

    const served = await fetch(`${a.base}/media/${file.id}`);
    expect(served.status).toBe(200);
    expect(sha256Hex(Buffer.from(await served.arrayBuffer()))).toBe(sha256Hex(content));
    // The tus upload is gone for both.
    expect((await fetch(onA, { method: 'HEAD', headers: TUS })).status).toBe(404);
  });

  it('a job enqueued by one instance runs exactly once with both runners polling', async () => {
    const runs = new Map<number, string[]>();
    for (const [name, instance] of [
      ['a', a],
      ['b', b],
    ] as const) {
      instance.built.jobs.register<{ n: number }>('scale-out-count', {
        run: async ({ n }) => {
          runs.set(n, [...(runs.get(n) ?? []), name]);
          // Long enough that both runners are busy at once.
          await new Promise((resolve) => setTimeout(resolve, 5));
        },
      });
    }
    const count = 60;
    for (let n = 0; n < count; n++) {
      await (n % 2 === 0 ? a : b).built.jobs.enqueue('scale-out-count', { n });
    }
    a.built.jobs.wake();
    b.built.jobs.wake();
    await waitFor(() => runs.size === count, 'every job to run', 30_000);
    // A moment more for a duplicate run to show up, if there were one.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([...runs.values()].filter((ran) => ran.length !== 1)).toEqual([]);
    const byInstance = [...runs.values()].flat();
    // Both took part (the jobs are claimed from the shared table with SKIP LOCKED).
    expect(byInstance.filter((name) => name === 'a').length).toBeGreaterThan(0);
    expect(byInstance.filter((name) => name === 'b').length).toBeGreaterThan(0);
  });

  it('a signed download URL made by A is served by B (the shared secret)', async () => {
    const { uploadUrl } = await api<{ uploadUrl: string }>(a, 'POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'secret.txt',
      private: true,
    });
    const put = await fetch(rebase(uploadUrl, b.base), {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'private words',
    });
    expect(put.status).toBe(200);
    const { file } = (await put.json()) as { file: { id: string } };
    const { downloadUrls } = await api<{ downloadUrls: Array<{ url: string }> }>(
      a,
      'POST',
      '/files/generate-file-download-url',
      { fileId: file.id },
    );
    const served = await fetch(rebase(downloadUrls[0]!.url, b.base));
    expect(served.status).toBe(200);
    expect(await served.text()).toBe('private words');
  });

  it('a session signed in on A works on B', async () => {
    const login = await fetch(`${a.base}/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey: API_KEY }),
    });
    expect(login.status).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const onB = await fetch(`${b.base}/auth/session`, { headers: { cookie } });
    expect(onB.status).toBe(200);
    expect(((await onB.json()) as { csrfToken: string }).csrfToken).toBe(csrfToken);
    const folder = await fetch(`${b.base}/site-media/v1/folders`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'made on B with a session from A' }),
    });
    expect(folder.status, await folder.text()).toBe(200);
  });
});
