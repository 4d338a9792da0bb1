import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { Upload } from 'tus-js-client';
import { describe, expect, it } from 'vitest';
import { FILE_SINK_BATCH } from '../blobs/file-sink.ts';
import { S3BlobStore } from '../blobs/s3-blob-store.ts';
import {
  expectFetchError,
  listen,
  patterned,
  rebase,
  sha256Hex,
  tusFiles,
  waitFor,
} from '../testing/helpers.ts';
import { createTestApp } from '../testing/test-app.ts';
import { useTusApp, patch, head, finalize, fileOf, tusClientUpload, TUS } from '../testing/tus.ts';

// Resumable uploads (tus 1.0.0) resumed: after a cut connection, a stalled PATCH, a reload, a restart; and gone.

describe('resumable uploads (tus 1.0.0)', () => {
  const tus = useTusApp();

  it('resumes after the connection is cut mid-PATCH, from the offset HEAD reports, without resending', async () => {
    const content = patterned(2 * 1024 * 1024, 13);
    const { uploadUrl, uploadToken } = await tus.generate({
      mimeType: 'application/octet-stream',
      fileName: 'big.bin',
    });

    // A TCP proxy that forwards the first `cutAfter` bytes of the first connection, waits until the server
    // has stored some of them (a first batch of its file writes), then cuts both sides; later connections
    // pass through.
    const target = new URL(tus.base);
    const cutAfter = FILE_SINK_BATCH + 256 * 1024;
    let armed = true;
    let forwarded = 0;
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      let seen = 0;
      const cutting = armed;
      armed = false;
      let cut = false;
      client.on('data', (chunk: Buffer) => {
        if (cut) return;
        if (cutting && seen + chunk.length > cutAfter) {
          cut = true;
          const part = chunk.subarray(0, cutAfter - seen);
          forwarded += part.length;
          upstream.write(part);
          client.pause();
          void waitFor(storedSome, 'the server to store the first bytes').then(() => {
            upstream.destroy();
            client.destroy();
          });
          return;
        }
        seen += chunk.length;
        forwarded += chunk.length;
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => client.write(chunk));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyBase = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;

    async function storedSome(): Promise<boolean> {
      // On S3 a PATCH's bytes wait in a temp file until a part is full or the PATCH ends: give them time to
      // reach the server.
      if (tus.t.blobs instanceof S3BlobStore)
        return new Promise((resolve) => setTimeout(() => resolve(true), 300));
      const dir = path.join(tus.t.dataDir, 'tus');
      const data = fs.readdirSync(dir).filter((name) => !name.endsWith('.json'));
      return data.length === 1 && fs.statSync(path.join(dir, data[0]!)).size >= FILE_SINK_BATCH;
    }

    const patches: number[] = [];
    const heads: number[] = [];
    try {
      await tusClientUpload(content, {
        endpoint: rebase(uploadUrl, proxyBase),
        metadata: { token: uploadToken },
        retryDelays: [0, 0, 0],
        onBeforeRequest: (request) => {
          if (request.getMethod() === 'PATCH') patches.push(Number(request.getHeader('Upload-Offset')));
        },
        onAfterResponse: (request, response) => {
          if (request.getMethod() === 'HEAD') heads.push(Number(response.getHeader('Upload-Offset')));
        },
      });
    } finally {
      proxy.close();
    }

    // First PATCH from 0, cut; HEAD tells where the server is; the second PATCH starts exactly there.
    expect(patches[0]).toBe(0);
    expect(heads.length).toBeGreaterThanOrEqual(1);
    expect(heads[0]).toBeGreaterThan(0);
    expect(patches[1]).toBe(heads[0]);
    // Bytes the server had were not sent again: all that went through is one file plus the lost tail.
    expect(forwarded).toBeLessThan(content.length + cutAfter + 16 * 1024);
    const file = await fileOf(await finalize(uploadUrl, uploadToken));
    expect(file.hash).toBe(sha256Hex(content));
    expect(sha256Hex(await tus.served(file))).toBe(sha256Hex(content));
  });

  it('a request for an upload a stalled PATCH holds gets it once that PATCH lets go, at the bytes received', async () => {
    const content = patterned(200_000, 21);
    const { uploadUrl, uploadToken } = await tus.generate({
      mimeType: 'application/octet-stream',
      fileName: 'stalled.bin',
    });
    const url = await tus.created(uploadUrl, content.length, { token: uploadToken });
    // A PATCH that announces every byte, sends half of them, then stalls with the upload locked.
    const stalled = http.request(url, {
      method: 'PATCH',
      headers: {
        ...TUS,
        'Upload-Offset': '0',
        'Content-Type': 'application/offset+octet-stream',
        'Content-Length': String(content.length),
      },
    });
    stalled.on('error', () => {});
    stalled.write(content.subarray(0, 100_000));
    await waitFor(async () => tusFiles(tus.t).then((names) => names.length > 0), 'the upload to exist');

    // The HEAD asks the holder to let go (after @tus/server's lock drain time) and then answers its offset.
    const answer = await head(url);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('upload-offset')).toBe('100000');
    stalled.destroy();

    expect((await patch(url, 100_000, content.subarray(100_000))).status).toBe(204);
    const file = await fileOf(await finalize(uploadUrl, uploadToken));
    expect(file.hash).toBe(sha256Hex(content));
  }, 20_000);

  it('a new client (after a reload) resumes an aborted upload from its URL', async () => {
    const content = patterned(512 * 1024, 17);
    const { uploadUrl, uploadToken } = await tus.generate({
      mimeType: 'application/octet-stream',
      fileName: 'r.bin',
    });
    const chunkSize = 64 * 1024;

    // The first client stops after two chunks. abort() without `true`: the upload stays on the server.
    const firstUrl = await new Promise<string>((resolve, reject) => {
      let chunks = 0;
      const upload: Upload = new Upload(content, {
        endpoint: uploadUrl,
        metadata: { token: uploadToken },
        chunkSize,
        retryDelays: null,
        onError: reject,
        onChunkComplete: () => {
          chunks++;
          if (chunks === 2) void upload.abort().then(() => resolve(upload.url!));
        },
      });
      upload.start();
    });

    const offset = Number((await head(firstUrl)).headers.get('upload-offset'));
    expect(offset).toBeGreaterThanOrEqual(2 * chunkSize);
    expect(offset).toBeLessThan(content.length);

    const patches: number[] = [];
    let bodyBytes = 0;
    await tusClientUpload(content, {
      uploadUrl: firstUrl,
      chunkSize,
      onBeforeRequest: (request) => {
        if (request.getMethod() === 'PATCH') patches.push(Number(request.getHeader('Upload-Offset')));
      },
      onChunkComplete: (chunk) => {
        bodyBytes += chunk;
      },
    });
    expect(patches[0]).toBe(offset);
    expect(bodyBytes).toBe(content.length - offset);
    const file = await fileOf(await finalize(uploadUrl, uploadToken));
    expect(file.hash).toBe(sha256Hex(content));
  });

  it('finishes an upload across a restart (the running hash is gone: finalize hashes the file), leaving no tus bytes', async () => {
    const content = patterned(300 * 1024, 5);
    const { uploadUrl, uploadToken } = await tus.generate({
      mimeType: 'application/octet-stream',
      fileName: 'x.bin',
    });
    const url = await tus.created(uploadUrl, content.length, { token: uploadToken });
    expect((await patch(url, 0, content.subarray(0, 100_000))).status).toBe(204);

    // A new server over the same data dir: the upload is on disk, its running hash was in the old process.
    await tus.t.app.close();
    tus.t = await createTestApp({ dataDir: tus.t.dataDir, databaseUrl: tus.t.config.databaseUrl });
    tus.base = await listen(tus.t);
    const moved = rebase(url, tus.base);
    expect((await patch(moved, 100_000, content.subarray(100_000))).status).toBe(204);
    const file = await fileOf(await finalize(rebase(uploadUrl, tus.base), uploadToken));
    expect(file.hash).toBe(sha256Hex(content));
    expect((await tus.served(file)).equals(content)).toBe(true);
    // The bytes went into the blob store; the tus directory keeps nothing of the upload.
    expect(await tusFiles(tus.t)).toEqual([]);
  });

  it('an upload whose files were removed behind the server (another process, by hand) is gone: 410', async (ctx) => {
    // The file store keeps each upload's record in memory once read; the bytes on disk still decide.
    if (tus.t.blobs instanceof S3BlobStore) ctx.skip();
    const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'text/plain', fileName: 'gone.txt' });
    const url = await tus.created(uploadUrl, 20, { token: uploadToken });
    expect((await patch(url, 0, Buffer.from('0123456789'))).status).toBe(204);
    expect((await head(url)).headers.get('upload-offset')).toBe('10');

    for (const name of await tusFiles(tus.t)) fs.rmSync(path.join(tus.t.dataDir, 'tus', name));
    expect((await head(url)).status).toBe(410);
    expect((await patch(url, 10, Buffer.from('abcdefghij'))).status).toBe(410);
    await expectFetchError(await finalize(uploadUrl, uploadToken), 404, 'RESOURCE_NOT_FOUND');
  });
});
