import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileDescriptor } from '../contract/index.ts';
import { startChildServer, type ChildServer } from './testing/child-servers.ts';
import { rebase, waitFor } from './testing/helpers.ts';
import { TEST_S3 } from './testing/test-app.ts';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from './testing/test-databases.ts';

const API_KEY = 'tus-resume-crash-key';
const TUS = { 'Tus-Resumable': '1.0.0' };
const MiB = 1024 * 1024;
/** The size on S3 (the scaled set-up this is about); less on disk, where nothing S3-specific runs. */
const SIZE = (TEST_S3 ? 1024 : 64) * MiB;

/** The upload's bytes, made on the fly (1 GiB is not held in memory): a random MiB, numbered per MiB. */
function contentSource(seed: Buffer) {
  return (index: number): Buffer => {
    const block = Buffer.from(seed);
    block.writeUInt32BE(index, 0);
    return block;
  };
}

/**
 * A PATCH of the upload's bytes from `offset` to the end, streamed; resolves with the answer's status, or
 * undefined when the connection died. `onSent` sees the bytes written so far.
 */
function patch(
  url: string,
  offset: number,
  block: (index: number) => Buffer,
  onSent: (sent: number) => void = () => {},
): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.request(url, {
      method: 'PATCH',
      headers: {
        ...TUS,
        'Upload-Offset': String(offset),
        'Content-Type': 'application/offset+octet-stream',
        'Content-Length': String(SIZE - offset),
      },
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', () => resolve(undefined));
    let at = offset;
    const writeMore = () => {
      while (at < SIZE) {
        const index = Math.floor(at / MiB);
        const chunk = block(index).subarray(at - index * MiB);
        at += chunk.length;
        onSent(at);
        if (!request.write(chunk)) {
          request.once('drain', writeMore);
          return;
        }
      }
      request.end();
    };
    writeMore();
  });
}

/**
 * The scenario: a resumable upload of 1 GiB (on S3) whose server is killed (`kill -9`) in the middle of
 * a PATCH; a second server over the same database and bucket continues it from the offset it reports and
 * finalizes it, and the file has the SHA-256 of the bytes sent. On S3 the second instance has none of the
 * first one's memory: the offset, the parts and the first bytes come from the database.
 */
describe('a resumable upload across a crash of its server', { timeout: 900_000 }, () => {
  let dataDir: string;
  let schema: TestSchema | undefined;
  let env: Record<string, string>;
  const servers: ChildServer[] = [];

  async function start(): Promise<ChildServer> {
    const server = await startChildServer(env);
    servers.push(server);
    return server;
  }

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-tus-crash-'));
    schema = TEST_DATABASE_URL ? await createTestSchema(TEST_DATABASE_URL) : undefined;
    env = {
      DATA_DIR: dataDir,
      MEDIA_API_KEY: API_KEY,
      STATIC_DIR: path.join(dataDir, 'no-web-app'),
      DATABASE_URL: schema?.url ?? '',
      ...(TEST_S3 && { S3_KEY_PREFIX: `${TEST_S3.keyPrefix}tus-crash-${randomBytes(4).toString('hex')}` }),
    };
  });

  afterEach(async () => {
    for (const server of servers.splice(0)) await server.kill();
    await schema?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('continues on a second server after the first is killed mid-PATCH, with the right SHA-256', async () => {
    const block = contentSource(randomBytes(MiB));
    const expected = createHash('sha256');
    for (let index = 0; index < SIZE / MiB; index++) expected.update(block(index));

    const first = await start();
    const generated = await fetch(`${first.base}/site-media/v1/files/generate-resumable-upload-url`, {
      method: 'POST',
      headers: { authorization: API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ mimeType: 'application/octet-stream', fileName: 'big.bin' }),
    });
    expect(generated.status).toBe(200);
    const { uploadUrl, uploadToken } = (await generated.json()) as { uploadUrl: string; uploadToken: string };
    const created = await fetch(rebase(uploadUrl, first.base), {
      method: 'POST',
      headers: {
        ...TUS,
        'Upload-Length': String(SIZE),
        'Upload-Metadata': `token ${Buffer.from(uploadToken).toString('base64')}`,
      },
    });
    expect(created.status).toBe(201);
    const uploadPath = new URL(created.headers.get('location')!, rebase(uploadUrl, first.base)).pathname;

    // One PATCH of everything; the server dies once about 40% of it is on its way.
    let sent = 0;
    const cut = patch(`${first.base}${uploadPath}`, 0, block, (n) => {
      sent = n;
    });
    await waitFor(() => sent >= SIZE * 0.4, 'the PATCH to be under way', 600_000);
    await first.kill();
    expect(await cut).toBeUndefined();

    const second = await start();
    const head = await fetch(`${second.base}${uploadPath}`, { method: 'HEAD', headers: TUS });
    expect(head.status).toBe(200);
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(SIZE);
    expect(await patch(`${second.base}${uploadPath}`, offset, block)).toBe(204);

    const finalized = await fetch(`${rebase(uploadUrl, second.base)}/${uploadToken}`, { method: 'PUT' });
    const text = await finalized.text();
    expect(finalized.status, text).toBe(200);
    const { file } = JSON.parse(text) as { file: FileDescriptor };
    expect(file.sizeInBytes).toBe(String(SIZE));
    expect(file.hash).toBe(expected.digest('hex'));
  });
});
