import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { Upload, type UploadOptions } from 'tus-js-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FileDescriptor } from '../../contract/index.ts';
import { FILE_SINK_BATCH } from '../blobs/file-sink.ts';
import { S3BlobStore } from '../blobs/s3-blob-store.ts';
import type { Config } from '../config.ts';
import {
  expectAppError,
  expectFetchError,
  listen,
  patterned,
  PDF_BYTES,
  PNG_1X1,
  rebase,
  sha256Hex,
  storedBlobs,
  tempBlobs,
  tusFiles,
  waitFor,
} from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

interface Resumable {
  uploadProtocol: string;
  uploadUrl: string;
  uploadToken: string;
}

const TUS = { 'Tus-Resumable': '1.0.0' };

function metadataHeader(metadata: Record<string, string>): string {
  return Object.entries(metadata)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');
}

/** A tus upload driven request by request. */
async function create(
  endpoint: string,
  length: number,
  metadata: Record<string, string>,
  body?: Buffer,
): Promise<Response> {
  return fetch(endpoint, {
    method: 'POST',
    headers: {
      ...TUS,
      'Upload-Length': String(length),
      'Upload-Metadata': metadataHeader(metadata),
      ...(body ? { 'Content-Type': 'application/offset+octet-stream' } : {}),
    },
    ...(body ? { body: new Uint8Array(body) } : {}),
  });
}

function patch(url: string, offset: number, body: Buffer): Promise<Response> {
  return fetch(url, {
    method: 'PATCH',
    headers: { ...TUS, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    body: new Uint8Array(body),
  });
}

function head(url: string): Promise<Response> {
  return fetch(url, { method: 'HEAD', headers: TUS });
}

function finalize(endpoint: string, token: string, query = ''): Promise<Response> {
  return fetch(`${endpoint}/${token}${query}`, { method: 'PUT' });
}

async function fileOf(response: Response): Promise<FileDescriptor> {
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return (JSON.parse(text) as { file: FileDescriptor }).file;
}

/** Runs a tus-js-client upload to the end; resolves with its upload URL. */
function tusClientUpload(content: Buffer, options: UploadOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const upload: Upload = new Upload(content, {
      retryDelays: null,
      ...options,
      onError: (error) => reject(error),
      onSuccess: () => resolve(upload.url!),
    });
    upload.start();
  });
}

describe('resumable uploads (tus 1.0.0)', () => {
  let t: TestApp;
  let base: string;

  async function setup(overrides: Partial<Config> = {}) {
    t = await createTestApp(overrides);
    base = await listen(t);
  }

  /** generate-resumable-upload-url, with its uploadUrl moved onto the listening server. */
  async function generate(body: Record<string, unknown>): Promise<Resumable> {
    const answer = await t.ok<Resumable>('POST', '/files/generate-resumable-upload-url', {
      uploadProtocol: 'TUS',
      ...body,
    });
    return { ...answer, uploadUrl: rebase(answer.uploadUrl, base) };
  }

  /** Creates an upload; answers its absolute URL. */
  async function created(endpoint: string, length: number, metadata: Record<string, string>) {
    const response = await create(endpoint, length, metadata);
    expect(response.status, await response.clone().text()).toBe(201);
    return new URL(response.headers.get('location')!, endpoint).toString();
  }

  async function served(file: FileDescriptor): Promise<Buffer> {
    const response = await fetch(rebase(file.url, base));
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  beforeEach(async () => {
    await setup();
  });

  afterEach(async () => {
    vi.useRealTimers();
    await t.close();
  });

  it('generate-resumable-upload-url answers {uploadProtocol: "TUS", uploadUrl, uploadToken}', async () => {
    const answer = await t.ok<Resumable>('POST', '/files/generate-resumable-upload-url', {
      mimeType: 'video/mp4',
      fileName: 'clip.mp4',
      uploadProtocol: 'TUS',
    });
    expect(Object.keys(answer).sort()).toEqual(['uploadProtocol', 'uploadToken', 'uploadUrl']);
    expect(answer.uploadProtocol).toBe('TUS');
    expect(answer.uploadUrl).toBe('http://media.test/upload/v1/tus');
    expect(answer.uploadToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // uploadProtocol may be left out; anything but TUS is a bad argument; the rest is checked as for plain.
    await t.ok('POST', '/files/generate-resumable-upload-url', { mimeType: 'video/mp4' });
    expect(
      (await t.api('POST', '/files/generate-resumable-upload-url', { mimeType: 'x', uploadProtocol: 'TUS' }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await t.api('POST', '/files/generate-resumable-upload-url', {
          mimeType: 'video/mp4',
          uploadProtocol: 'FTP',
        })
      ).statusCode,
    ).toBe(400);
    // It needs the API key, like every /site-media/v1 call.
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/site-media/v1/files/generate-resumable-upload-url',
      payload: { mimeType: 'video/mp4' },
    });
    expectAppError(anonymous, 401, 'UNAUTHENTICATED');
  });

  it('OPTIONS answers Tus-Version, the extensions, the max size and CORS, without a key', async () => {
    for (const url of ['/upload/v1/tus', '/upload/v1/tus/abc', '/upload/v1/some-token']) {
      const response = await fetch(`${base}${url}`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://site.example', 'Access-Control-Request-Method': 'PATCH' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('tus-version')).toBe('1.0.0');
      expect(response.headers.get('tus-resumable')).toBe('1.0.0');
      expect(response.headers.get('tus-extension')!.split(',').sort()).toEqual([
        'creation',
        'creation-with-upload',
        'expiration',
        'termination',
      ]);
      expect(response.headers.get('tus-max-size')).toBe(String(25 * 1024 ** 3));
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-methods')).toContain('PATCH');
      expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
      expect(response.headers.get('access-control-allow-headers')).toContain('Upload-Offset');
    }
  });

  it('create, PATCH in parts, HEAD for the offset, finalize: a READY file with hash, size and url', async () => {
    const content = patterned(100_000);
    const { uploadUrl, uploadToken } = await generate({
      mimeType: 'application/octet-stream',
      fileName: 'data.bin',
    });
    const url = await created(uploadUrl, content.length, { token: uploadToken, filename: 'ignored.bin' });
    expect(url).toMatch(new RegExp(`^${base}/upload/v1/tus/[0-9a-f]{32}$`));

    const first = await patch(url, 0, content.subarray(0, 40_000));
    expect(first.status).toBe(204);
    expect(first.headers.get('upload-offset')).toBe('40000');
    expect(first.headers.get('upload-expires')).toBeTruthy();

    const probe = await head(url);
    expect(probe.status).toBe(200);
    expect(probe.headers.get('upload-offset')).toBe('40000');
    expect(probe.headers.get('upload-length')).toBe('100000');
    expect(probe.headers.get('x-wix-request-id')).toBeTruthy();
    // The token is the credential: it is never stored with the upload, so HEAD cannot tell it.
    expect(probe.headers.get('upload-metadata') ?? '').not.toContain(
      Buffer.from(uploadToken).toString('base64'),
    );

    // A PATCH at a wrong offset is a conflict and changes nothing.
    expect((await patch(url, 10, content.subarray(10, 20))).status).toBe(409);
    expect((await patch(url, 40_000, content.subarray(40_000))).status).toBe(204);

    const file = await fileOf(await finalize(uploadUrl, uploadToken));
    expect(file.displayName).toBe('data.bin');
    expect(file.sizeInBytes).toBe('100000');
    expect(file.hash).toBe(sha256Hex(content));
    expect(file.mediaType).toBe('OTHER');
    expect(file.operationStatus).toBe('READY');
    expect(file.parentFolderId).toBe('media-root');
    expect(sha256Hex(await served(file))).toBe(sha256Hex(content));
    // The tus upload's own files are gone once the bytes are in the blob store.
    expect(await tusFiles(t)).toEqual([]);
    expect(await tempBlobs(t)).toEqual([]);
    expect(await storedBlobs(t)).toHaveLength(1);
    expect((await head(url)).status).toBe(404);
  });

  it('takes the name from ?filename= on finalize, else from the metadata; keeps folder, labels, private, filePath', async () => {
    const folder = await t.createFolder('Videos');
    const content = patterned(5000);
    const a = await generate({
      mimeType: 'video/mp4',
      parentFolderId: folder.id,
      labels: ['raw'],
      private: true,
      filePath: '/2024/june',
    });
    const urlA = await created(a.uploadUrl, content.length, {
      token: a.uploadToken,
      filename: 'from-metadata.mp4',
    });
    expect((await patch(urlA, 0, content)).status).toBe(204);
    const fileA = await fileOf(await finalize(a.uploadUrl, a.uploadToken, '?filename=from-query.mp4'));
    expect(fileA.displayName).toBe('from-query.mp4');
    expect(fileA.labels).toEqual(['raw']);
    expect(fileA.private).toBe(true);
    expect(fileA.mediaType).toBe('VIDEO');
    const june = await t.ok<{ folder: { displayName: string; parentFolderId: string } }>(
      'GET',
      `/folders/${fileA.parentFolderId}`,
    );
    expect(june.folder.displayName).toBe('june');

    const b = await generate({ mimeType: 'video/mp4' });
    const urlB = await created(b.uploadUrl, content.length, {
      token: b.uploadToken,
      filename: 'from-metadata.mp4',
    });
    expect((await patch(urlB, 0, content)).status).toBe(204);
    expect((await fileOf(await finalize(b.uploadUrl, b.uploadToken))).displayName).toBe('from-metadata.mp4');

    // No name anywhere: 400 naming filename, and the token is given back so the client can retry with one.
    const c = await generate({ mimeType: 'video/mp4' });
    const urlC = await created(c.uploadUrl, content.length, { token: c.uploadToken });
    expect((await patch(urlC, 0, content)).status).toBe(204);
    const nameless = await finalize(c.uploadUrl, c.uploadToken);
    expect(nameless.status).toBe(400);
    expect(await nameless.text()).toContain('filename');
    expect((await fileOf(await finalize(c.uploadUrl, c.uploadToken, '?filename=c.mp4'))).displayName).toBe(
      'c.mp4',
    );
  });

  it('creation-with-upload: the POST may carry the first bytes (tus-js-client, several chunks)', async () => {
    const content = patterned(300_000, 31);
    const { uploadUrl, uploadToken } = await generate({ mimeType: 'audio/wav', fileName: 'take.wav' });
    const url = await tusClientUpload(content, {
      endpoint: uploadUrl,
      metadata: { token: uploadToken, filename: 'take.wav', contentType: 'audio/wav' },
      chunkSize: 64 * 1024,
      uploadDataDuringCreation: true,
    });
    expect(url.startsWith(`${base}/upload/v1/tus/`)).toBe(true);
    const file = await fileOf(await finalize(uploadUrl, uploadToken));
    expect(file.hash).toBe(sha256Hex(content));
    expect(file.sizeInBytes).toBe('300000');
    expect(file.mediaType).toBe('AUDIO');
  });

  it('resumes after the connection is cut mid-PATCH, from the offset HEAD reports, without resending', async () => {
    const content = patterned(2 * 1024 * 1024, 13);
    const { uploadUrl, uploadToken } = await generate({
      mimeType: 'application/octet-stream',
      fileName: 'big.bin',
    });

    // A TCP proxy that forwards the first `cutAfter` bytes of the first connection, waits until the server
    // has stored some of them (a first batch of its file writes), then cuts both sides; later connections
    // pass through.
    const target = new URL(base);
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
      if (t.blobs instanceof S3BlobStore)
        return new Promise((resolve) => setTimeout(() => resolve(true), 300));
      const dir = path.join(t.dataDir, 'tus');
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
    expect(sha256Hex(await served(file))).toBe(sha256Hex(content));
  });

  it('a request for an upload a stalled PATCH holds gets it once that PATCH lets go, at the bytes received', async () => {
    const content = patterned(200_000, 21);
    const { uploadUrl, uploadToken } = await generate({
      mimeType: 'application/octet-stream',
      fileName: 'stalled.bin',
    });
    const url = await created(uploadUrl, content.length, { token: uploadToken });
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
    await waitFor(async () => tusFiles(t).then((names) => names.length > 0), 'the upload to exist');

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
    const { uploadUrl, uploadToken } = await generate({
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
    const { uploadUrl, uploadToken } = await generate({
      mimeType: 'application/octet-stream',
      fileName: 'x.bin',
    });
    const url = await created(uploadUrl, content.length, { token: uploadToken });
    expect((await patch(url, 0, content.subarray(0, 100_000))).status).toBe(204);

    // A new server over the same data dir: the upload is on disk, its running hash was in the old process.
    await t.app.close();
    t = await createTestApp({ dataDir: t.dataDir, databaseUrl: t.config.databaseUrl });
    base = await listen(t);
    const moved = rebase(url, base);
    expect((await patch(moved, 100_000, content.subarray(100_000))).status).toBe(204);
    const file = await fileOf(await finalize(rebase(uploadUrl, base), uploadToken));
    expect(file.hash).toBe(sha256Hex(content));
    expect((await served(file)).equals(content)).toBe(true);
    // The bytes went into the blob store; the tus directory keeps nothing of the upload.
    expect(await tusFiles(t)).toEqual([]);
  });

  it('an upload whose files were removed behind the server (another process, by hand) is gone: 410', async (ctx) => {
    // The file store keeps each upload's record in memory once read; the bytes on disk still decide.
    if (t.blobs instanceof S3BlobStore) ctx.skip();
    const { uploadUrl, uploadToken } = await generate({ mimeType: 'text/plain', fileName: 'gone.txt' });
    const url = await created(uploadUrl, 20, { token: uploadToken });
    expect((await patch(url, 0, Buffer.from('0123456789'))).status).toBe(204);
    expect((await head(url)).headers.get('upload-offset')).toBe('10');

    for (const name of await tusFiles(t)) fs.rmSync(path.join(t.dataDir, 'tus', name));
    expect((await head(url)).status).toBe(410);
    expect((await patch(url, 10, Buffer.from('abcdefghij'))).status).toBe(410);
    await expectFetchError(await finalize(uploadUrl, uploadToken), 404, 'RESOURCE_NOT_FOUND');
  });

  describe('tokens', () => {
    it('a token creates one upload and finalizes once (a repeated finalize answers the same file)', async () => {
      const content = patterned(1000);
      const { uploadUrl, uploadToken } = await generate({ mimeType: 'text/plain', fileName: 'once.txt' });
      const url = await created(uploadUrl, content.length, { token: uploadToken });
      // A second upload with the same token is refused, whatever its size.
      await expectFetchError(
        await create(uploadUrl, content.length, { token: uploadToken }),
        403,
        'PERMISSION_DENIED',
      );
      expect((await patch(url, 0, content)).status).toBe(204);
      const file = await fileOf(await finalize(uploadUrl, uploadToken));
      expect((await fileOf(await finalize(uploadUrl, uploadToken))).id).toBe(file.id);
      expect(await storedBlobs(t)).toHaveLength(1);
      await expectFetchError(
        await create(uploadUrl, content.length, { token: uploadToken }),
        403,
        'PERMISSION_DENIED',
      );
    });

    it('refuses uploads without a token, with an unknown one, or with a plain upload token', async () => {
      const { uploadUrl } = await generate({ mimeType: 'text/plain' });
      await expectFetchError(await create(uploadUrl, 10, { filename: 'x.txt' }), 401, 'UNAUTHENTICATED');
      await expectFetchError(
        await create(uploadUrl, 10, { token: 'x'.repeat(43) }),
        403,
        'PERMISSION_DENIED',
      );
      const plain = await t.ok<{ uploadUrl: string }>('POST', '/files/generate-upload-url', {
        mimeType: 'text/plain',
      });
      const plainToken = plain.uploadUrl.split('/').at(-1)!;
      await expectFetchError(await create(uploadUrl, 10, { token: plainToken }), 403, 'PERMISSION_DENIED');
      expect(await tusFiles(t)).toEqual([]);
      // ...and the plain token still works for what it was made for.
      const put = await fetch(rebase(plain.uploadUrl, base) + '?filename=p.txt', {
        method: 'PUT',
        body: 'plain',
      });
      expect(put.status).toBe(200);
    });

    it('a resumable token does not work for a plain PUT (and stays usable for tus)', async () => {
      const { uploadUrl, uploadToken } = await generate({ mimeType: 'text/plain', fileName: 't.txt' });
      const put = await fetch(`${base}/upload/v1/${uploadToken}`, { method: 'PUT', body: 'bytes' });
      await expectFetchError(put, 403, 'PERMISSION_DENIED');
      const url = await created(uploadUrl, 5, { token: uploadToken });
      expect((await patch(url, 0, Buffer.from('bytes'))).status).toBe(204);
      expect((await fileOf(await finalize(uploadUrl, uploadToken))).sizeInBytes).toBe('5');
    });

    it('finalize refuses a token no upload was created with, and an incomplete upload (409, retryable)', async () => {
      const { uploadUrl, uploadToken } = await generate({ mimeType: 'text/plain', fileName: 'half.txt' });
      await expectFetchError(await finalize(uploadUrl, uploadToken), 403, 'PERMISSION_DENIED');
      await expectFetchError(await finalize(uploadUrl, 'not-a-token'), 403, 'PERMISSION_DENIED');
      const url = await created(uploadUrl, 10, { token: uploadToken });
      expect((await patch(url, 0, Buffer.from('12345'))).status).toBe(204);
      await expectFetchError(await finalize(uploadUrl, uploadToken), 409, 'FAILED_PRECONDITION');
      expect((await patch(url, 5, Buffer.from('67890'))).status).toBe(204);
      expect((await fileOf(await finalize(uploadUrl, uploadToken))).sizeInBytes).toBe('10');
    });

    it('an unused token expires (UPLOAD_URL_TTL_MINUTES)', async () => {
      const { uploadUrl, uploadToken } = await generate({ mimeType: 'text/plain' });
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 61 * 60_000);
      await expectFetchError(await create(uploadUrl, 10, { token: uploadToken }), 403, 'PERMISSION_DENIED');
    });

    it('termination (DELETE) removes the upload and its token', async () => {
      const { uploadUrl, uploadToken } = await generate({ mimeType: 'text/plain', fileName: 'gone.txt' });
      const url = await created(uploadUrl, 10, { token: uploadToken });
      expect((await patch(url, 0, Buffer.from('12345'))).status).toBe(204);
      const deleted = await fetch(url, { method: 'DELETE', headers: TUS });
      expect(deleted.status).toBe(204);
      expect(await tusFiles(t)).toEqual([]);
      expect((await head(url)).status).toBe(404);
      await waitFor(async () => (await finalize(uploadUrl, uploadToken)).status === 403, 'the token to go');
    });
  });

  it('an upload never finalized expires: HEAD answers 410, cleanup removes its bytes, the token is dead', async () => {
    const { uploadUrl, uploadToken } = await generate({ mimeType: 'text/plain', fileName: 'late.txt' });
    const url = await created(uploadUrl, 20, { token: uploadToken });
    expect((await patch(url, 0, Buffer.from('0123456789'))).status).toBe(204);
    expect(await tusFiles(t)).toHaveLength(2);

    // Nothing expires early.
    expect(await t.resumable.cleanupExpired()).toBe(0);
    expect(await tusFiles(t)).toHaveLength(2);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 24 * 3600_000 + 60_000);
    expect((await head(url)).status).toBe(410);
    expect(await t.resumable.cleanupExpired()).toBe(1);
    expect(await tusFiles(t)).toEqual([]);
    await expectFetchError(await finalize(uploadUrl, uploadToken), 403, 'PERMISSION_DENIED');
  });

  it('a complete upload never finalized expires too, leaving nothing of it', async () => {
    const { uploadUrl, uploadToken } = await generate({ mimeType: 'text/plain', fileName: 'done.txt' });
    const url = await created(uploadUrl, 10, { token: uploadToken });
    expect((await patch(url, 0, Buffer.from('0123456789'))).status).toBe(204);
    expect(await tusFiles(t)).not.toEqual([]);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 24 * 3600_000 + 60_000);
    expect(await t.resumable.cleanupExpired()).toBe(1);
    expect(await tusFiles(t)).toEqual([]);
    await expectFetchError(await finalize(uploadUrl, uploadToken), 403, 'PERMISSION_DENIED');
  });

  it('uses RESUMABLE_UPLOAD_TTL_MINUTES for the expiry', async () => {
    await t.close();
    await setup({ resumableUploadTtlMinutes: 5 });
    const { uploadUrl, uploadToken } = await generate({ mimeType: 'text/plain' });
    const response = await create(uploadUrl, 20, { token: uploadToken });
    const expires = Date.parse(response.headers.get('upload-expires')!);
    expect(expires - Date.now()).toBeLessThanOrEqual(5 * 60_000 + 1000);
    expect(expires - Date.now()).toBeGreaterThan(4 * 60_000);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6 * 60_000);
    expect(await t.resumable.cleanupExpired()).toBe(1);
    expect(await tusFiles(t)).toEqual([]);
  });

  describe('limits', () => {
    it('refuses an Upload-Length over MAX_FILE_SIZE_BYTES (413), or 0 (ZERO_FILE_SIZE), before any byte', async () => {
      await t.close();
      await setup({ maxFileSizeBytes: 1000 });
      const { uploadUrl, uploadToken } = await generate({ mimeType: 'text/plain' });
      await expectFetchError(
        await create(uploadUrl, 1001, { token: uploadToken }),
        413,
        'FILE_SIZE_OVER_LIMIT',
      );
      await expectFetchError(await create(uploadUrl, 0, { token: uploadToken }), 400, 'ZERO_FILE_SIZE');
      expect(await tusFiles(t)).toEqual([]);
      // The token is still good for a length within the limit.
      await created(uploadUrl, 1000, { token: uploadToken });
    });

    it('refuses an Upload-Length other than the sizeInBytes the URL was made for', async () => {
      const { uploadUrl, uploadToken } = await generate({ mimeType: 'text/plain', sizeInBytes: 100 });
      const response = await create(uploadUrl, 200, { token: uploadToken });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('sizeInBytes');
    });

    it('refuses an upload the quota cannot hold (SITE_QUOTA_EXCEEDED)', async () => {
      await t.close();
      await setup({ siteQuotaBytes: 1000 });
      await t.upload(Buffer.from('x'.repeat(600)), { fileName: 'first.txt' });
      const { uploadUrl, uploadToken } = await generate({ mimeType: 'text/plain' });
      await expectFetchError(
        await create(uploadUrl, 401, { token: uploadToken }),
        409,
        'SITE_QUOTA_EXCEEDED',
      );
      await created(uploadUrl, 400, { token: uploadToken });
    });

    it('refuses the deferred length extension (limits need the length up front)', async () => {
      const { uploadUrl, uploadToken } = await generate({ mimeType: 'text/plain' });
      const response = await fetch(uploadUrl, {
        method: 'POST',
        headers: {
          ...TUS,
          'Upload-Defer-Length': '1',
          'Upload-Metadata': metadataHeader({ token: uploadToken }),
        },
      });
      await expectFetchError(response, 501, 'INVALID_ARGUMENT');
      expect(await tusFiles(t)).toEqual([]);
    });

    it('refuses a contentType in the metadata that ALLOWED_MIME_TYPES does not allow', async () => {
      await t.close();
      await setup({ allowedMimeTypes: ['text/*'] });
      const { uploadUrl, uploadToken } = await generate({ mimeType: 'text/plain' });
      await expectFetchError(
        await create(uploadUrl, 10, { token: uploadToken, contentType: 'application/x-msdownload' }),
        400,
        'UNSUPPORTED_FILE_FORMAT',
      );
    });

    it('refuses bytes that contradict the declared type at the first PATCH, and removes the upload', async () => {
      const { uploadUrl, uploadToken } = await generate({ mimeType: 'image/png', fileName: 'fake.png' });
      const url = await created(uploadUrl, PDF_BYTES.length, { token: uploadToken });
      await expectFetchError(await patch(url, 0, PDF_BYTES), 400, 'MISMATCH_MIME_TYPE');
      expect(await tusFiles(t)).toEqual([]);
      expect((await head(url)).status).toBe(404);
      await expectFetchError(await finalize(uploadUrl, uploadToken), 403, 'PERMISSION_DENIED');
      expect(await storedBlobs(t)).toEqual([]);
    });

    it('checks the first bytes even when they come in tiny PATCHes', async () => {
      const { uploadUrl, uploadToken } = await generate({ mimeType: 'image/png', fileName: 'fake.png' });
      const url = await created(uploadUrl, PDF_BYTES.length, { token: uploadToken });
      expect((await patch(url, 0, PDF_BYTES.subarray(0, 3))).status).toBe(204);
      await expectFetchError(await patch(url, 3, PDF_BYTES.subarray(3)), 400, 'MISMATCH_MIME_TYPE');
      expect(await tusFiles(t)).toEqual([]);
    });

    it('refuses a PATCH whose body (no Content-Length) runs past the upload length (413), keeping the bytes that fit', async () => {
      const content = patterned(300_000);
      const { uploadUrl, uploadToken } = await generate({
        mimeType: 'application/octet-stream',
        fileName: 'long.bin',
      });
      const url = await created(uploadUrl, content.length, { token: uploadToken });
      expect((await patch(url, 0, content.subarray(0, 100_000))).status).toBe(204);
      // A Content-Length that does not fit is refused before any byte.
      await expectFetchError(await patch(url, 100_000, patterned(250_000)), 413, 'FILE_SIZE_OVER_LIMIT');
      expect((await head(url)).headers.get('upload-offset')).toBe('100000');
      // A chunked body (fetch sends a stream without Content-Length) of 250,000 bytes where 200,000 remain.
      const extra = Buffer.concat([content.subarray(100_000), patterned(50_000)]);
      const over = await fetch(url, {
        method: 'PATCH',
        headers: { ...TUS, 'Upload-Offset': '100000', 'Content-Type': 'application/offset+octet-stream' },
        body: new Blob([new Uint8Array(extra)]).stream(),
        duplex: 'half',
      } as RequestInit);
      await expectFetchError(over, 413, 'FILE_SIZE_OVER_LIMIT');
      // The bytes that fit are kept (none lost: the S3 store's pending part was once lost this way).
      expect((await head(url)).headers.get('upload-offset')).toBe(String(content.length));
      const file = await fileOf(await finalize(uploadUrl, uploadToken));
      expect(file.hash).toBe(sha256Hex(content));
    });

    it('accepts bytes that agree with the declared type', async () => {
      const { uploadUrl, uploadToken } = await generate({ mimeType: 'image/png', fileName: 'dot.png' });
      const url = await created(uploadUrl, PNG_1X1.length, { token: uploadToken });
      expect((await patch(url, 0, PNG_1X1)).status).toBe(204);
      const file = await fileOf(await finalize(uploadUrl, uploadToken));
      expect(file.mediaType).toBe('IMAGE');
      expect(file.hash).toBe(sha256Hex(PNG_1X1));
    });

    it('checks the quota again at finalize (bytes that arrived while other files took the space)', async () => {
      await t.close();
      await setup({ siteQuotaBytes: 1000 });
      const { uploadUrl, uploadToken } = await generate({ mimeType: 'text/plain', fileName: 'late.txt' });
      const url = await created(uploadUrl, 600, { token: uploadToken });
      expect((await patch(url, 0, Buffer.alloc(600, 'a'))).status).toBe(204);
      await t.upload(Buffer.alloc(600, 'b'), { fileName: 'first.txt' });
      await expectFetchError(await finalize(uploadUrl, uploadToken), 409, 'SITE_QUOTA_EXCEEDED');
      // Freeing space lets the same upload finish.
      const files = await t.ok<{ files: { id: string }[] }>('GET', '/files');
      await t.ok('POST', '/bulk/files/delete', { fileIds: files.files.map((f) => f.id), permanent: true });
      expect((await fileOf(await finalize(uploadUrl, uploadToken))).sizeInBytes).toBe('600');
    });
  });
});
