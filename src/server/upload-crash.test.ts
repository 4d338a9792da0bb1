import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { FileDescriptor, ListFilesResponse } from '../contract/index.ts';
import { sha256 } from './secrets.ts';
import type { ChildServer } from './testing/child-servers.ts';
import { useCrashHarness } from './testing/crash-harness.ts';
import { patterned, rebase, sha256Hex, waitFor } from './testing/helpers.ts';

const API_KEY = 'crash-test-api-key';
const TUS = { 'Tus-Resumable': '1.0.0' };

/**
 * Servers killed with `kill -9` in the middle of an upload, and a new one started over the same data (data dir,
 * database, bucket): the upload is retried and completes exactly once. The claim the dead process held on the
 * upload URL runs out after `UPLOAD_CLAIM_LEASE_SECONDS` (1 s here).
 */
// Three server processes start per test, on a slow shared machine.
describe('uploads across a crash (kill -9) of the server', { timeout: 180_000 }, () => {
  const harness = useCrashHarness({
    name: 'crash',
    apiKey: API_KEY,
    env: { UPLOAD_CLAIM_LEASE_SECONDS: '1' },
  });
  const { start } = harness;
  const api = <T>(server: ChildServer, method: string, apiPath: string, body?: unknown) =>
    harness.call<T>(server, method, `/site-media/v1${apiPath}`, body);

  async function allFiles(server: ChildServer): Promise<FileDescriptor[]> {
    return (
      await api<ListFilesResponse>(server, 'POST', '/files/search', {
        rootFolder: 'MEDIA_ROOT',
        paging: { limit: 100 },
      })
    ).files;
  }

  /** Whether some request has claimed the token (a plain PUT or a finalize under way). */
  async function claimed(token: string): Promise<boolean> {
    const db = await harness.db();
    const row = await db
      .selectFrom('upload_tokens')
      .select('claimed_at')
      .where('token_hash', '=', sha256(token))
      .executeTakeFirst();
    return row?.claimed_at != null;
  }

  it('a plain PUT cut by a crash mid-body: the same URL works on the restarted server, one file', async () => {
    const first = await start();
    const { uploadUrl } = await api<{ uploadUrl: string }>(first, 'POST', '/files/generate-upload-url', {
      mimeType: 'application/octet-stream',
      fileName: 'crash.bin',
    });
    const token = uploadUrl.split('/').at(-1)!;
    const target = new URL(rebase(uploadUrl, first.base));

    // Half of the body, then the server dies while it waits for the rest.
    const socket = net.connect(Number(target.port), target.hostname);
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      `PUT ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\n` +
        'Content-Type: application/octet-stream\r\nContent-Length: 200000\r\n\r\n',
    );
    socket.write(patterned(100_000));
    await waitFor(() => claimed(token), 'the PUT to claim its URL');
    await first.kill();
    socket.destroy();

    const second = await start();
    const content = patterned(200_000, 31);
    let answer: Response | undefined;
    // 403 while the dead process's claim lasts (a live one could still be sending), then the URL works.
    await waitFor(
      async () => {
        answer = await fetch(rebase(uploadUrl, second.base), {
          method: 'PUT',
          body: new Uint8Array(content),
        });
        return answer.status !== 403;
      },
      'the dead claim to run out',
      30_000,
    );
    const text = await answer!.text();
    expect(answer!.status, text).toBe(200);
    const { file } = JSON.parse(text) as { file: FileDescriptor };
    expect(file.hash).toBe(sha256Hex(content));
    expect((await allFiles(second)).map((f) => f.id)).toEqual([file.id]);
    // Used up: a further PUT is refused.
    const again = await fetch(rebase(uploadUrl, second.base), { method: 'PUT', body: 'x' });
    expect(again.status).toBe(403);
  });

  it('a tus upload whose finalize was cut by a crash: the same finalize completes it once after a restart', async () => {
    const content = patterned(8 * 1024 * 1024, 13);
    const first = await start();
    const { uploadUrl, uploadToken } = await api<{ uploadUrl: string; uploadToken: string }>(
      first,
      'POST',
      '/files/generate-resumable-upload-url',
      { mimeType: 'application/octet-stream', fileName: 'big.bin' },
    );
    const created = await fetch(rebase(uploadUrl, first.base), {
      method: 'POST',
      headers: {
        ...TUS,
        'Upload-Length': String(content.length),
        'Upload-Metadata': `token ${Buffer.from(uploadToken).toString('base64')}`,
      },
    });
    expect(created.status).toBe(201);
    const uploadPath = new URL(created.headers.get('location')!, rebase(uploadUrl, first.base)).pathname;
    const patched = await fetch(`${first.base}${uploadPath}`, {
      method: 'PATCH',
      headers: { ...TUS, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      body: new Uint8Array(content),
    });
    expect(patched.status).toBe(204);
    await first.kill();

    // The next server has no running hash: its finalize reads the whole upload. It dies meanwhile (or just
    // after it answered: either way the client saw no answer).
    const second = await start();
    const finalizeUrl = `${rebase(uploadUrl, second.base)}/${uploadToken}`;
    let answered = false;
    const pending = fetch(finalizeUrl, { method: 'PUT' }).then(
      () => {
        answered = true;
      },
      () => {},
    );
    await waitFor(async () => answered || (await claimed(uploadToken)), 'the finalize to start');
    await second.kill();
    await pending;

    const third = await start();
    let answer: Response | undefined;
    await waitFor(
      async () => {
        answer = await fetch(`${rebase(uploadUrl, third.base)}/${uploadToken}`, { method: 'PUT' });
        return answer.status !== 403;
      },
      'the dead claim to run out',
      30_000,
    );
    const text = await answer!.text();
    expect(answer!.status, text).toBe(200);
    const { file } = JSON.parse(text) as { file: FileDescriptor };
    expect(file.hash).toBe(sha256Hex(content));
    expect(file.sizeInBytes).toBe(String(content.length));
    expect((await allFiles(third)).map((f) => f.id)).toEqual([file.id]);
    const served = await fetch(rebase(file.url, third.base));
    expect(sha256Hex(Buffer.from(await served.arrayBuffer()))).toBe(sha256Hex(content));
    // Finalize is idempotent: asked again, it answers the same file.
    const again = await fetch(`${rebase(uploadUrl, third.base)}/${uploadToken}`, { method: 'PUT' });
    expect(((await again.json()) as { file: FileDescriptor }).file.id).toBe(file.id);
  });
});
