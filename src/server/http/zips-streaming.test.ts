import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from '@wix/sdk';
import { files as wixFiles, folders as wixFolders } from '@wix/media';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_API_KEY, type TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';
import { PUBLIC_URL, unzip, filesZipUrl, trackBlobs, patterned } from '../testing/zips.ts';

// Zip downloads, streaming over a real connection: backpressure, large files, missing bytes, Wix's SDK.
// Every zip is checked with Info-ZIP's own tools (src/server/testing/zips.ts).

describe('zip streaming over a real connection', () => {
  let t: TestApp;
  let base: string;

  useTestApp((app) => (t = app), { publicUrl: PUBLIC_URL });

  beforeEach(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });

  function local(url: string): string {
    return base + new URL(url).pathname;
  }

  it('streams with chunked encoding and backpressure: the blob being read (and the next opened ahead), stalled while the client reads nothing', async () => {
    const size = 16 * 1024 * 1024;
    const first = await t.upload(patterned(size, 1), {
      fileName: 'one.bin',
      mimeType: 'application/octet-stream',
    });
    const second = await t.upload(patterned(size, 2), {
      fileName: 'two.bin',
      mimeType: 'application/octet-stream',
    });
    const url = local(await filesZipUrl(t, [first.id, second.id]));
    const blobs = trackBlobs(t);

    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(url, resolve).on('error', reject);
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['transfer-encoding']).toBe('chunked');
    expect(response.headers['content-length']).toBeUndefined();
    response.pause();
    // Give the server time to run ahead if it were going to: it must not get past the first blob (the second
    // is open, ready to follow, with at most one chunk of it read).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(blobs.opened).toBe(2);
    expect(blobs.open).toBe(2);

    // The client goes away: both blobs are closed, and nothing more is opened.
    response.destroy();
    await vi.waitFor(() => expect(blobs.open).toBe(0));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(blobs.opened).toBe(2);
  });

  it('sends a whole, valid zip of large files', async () => {
    const size = 5 * 1024 * 1024 + 3;
    const bytes = [patterned(size, 7), patterned(size, 8)];
    const ids = [
      (await t.upload(bytes[0]!, { fileName: 'x.bin', mimeType: 'application/octet-stream' })).id,
      (await t.upload(bytes[1]!, { fileName: 'y.bin', mimeType: 'application/octet-stream' })).id,
    ];
    const response = await fetch(local(await filesZipUrl(t, ids)));
    expect(response.status).toBe(200);
    const zip = unzip(Buffer.from(await response.arrayBuffer()));
    expect(zip.files.get('x.bin')!.equals(bytes[0]!)).toBe(true);
    expect(zip.files.get('y.bin')!.equals(bytes[1]!)).toBe(true);
  });

  it('aborts the download when a file’s bytes are missing, instead of sending a zip that looks complete', async () => {
    const a = await t.upload('fine', { fileName: 'a.txt' });
    const b = await t.upload('lost', { fileName: 'b.txt' });
    const url = local(await filesZipUrl(t, [a.id, b.id]));
    const row = (await t.store.files.getFile(b.id))!;
    await t.blobs.delete([row.blob_key]);

    // Headers go out with the first entry, so this is normally a 200 whose body breaks off; if the failure came
    // before the first byte it is a plain 500. Never a 200 with a whole body.
    const response = await fetch(url);
    if (response.status === 200) await expect(response.arrayBuffer()).rejects.toThrow();
    else expect(response.status).toBe(500);
  });

  it('works through Wix’s SDK (generateFilesDownloadUrl, generateFolderDownloadUrl)', async () => {
    const wix = createClient({
      modules: { files: wixFiles, folders: wixFolders },
      auth: { getAuthHeaders: () => Promise.resolve({ headers: { Authorization: TEST_API_KEY } }) },
      useCDN: false,
      fetch: (input: RequestInfo | URL, init?: RequestInit) =>
        fetch(String(input as string).replace(/^https:\/\/(www|edge)\.wixapis\.com/, base), init),
    });
    const folder = await t.createFolder('sdk folder');
    const a = await t.upload('from sdk', { fileName: 'a.txt', parentFolderId: folder.id });

    const filesUrl = (await wix.files.generateFilesDownloadUrl([a.id])).downloadUrl;
    const folderUrl = (await wix.folders.generateFolderDownloadUrl(folder.id)).downloadUrl;
    for (const url of [filesUrl, folderUrl]) {
      expect(url).toBeTypeOf('string');
      const response = await fetch(local(url!));
      expect(response.status).toBe(200);
      expect(
        unzip(Buffer.from(await response.arrayBuffer()))
          .files.get('a.txt')!
          .toString(),
      ).toBe('from sdk');
    }
  });
});
