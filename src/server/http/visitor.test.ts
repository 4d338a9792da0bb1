import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileDescriptor, ListFilesResponse, VisitorUploadUrlResponse } from '../../contract/index.ts';
import { loadConfig, type Config } from '../config.ts';
import { expectAppError, listen, PNG_1X1, rebase, sha256Hex, tusFiles } from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;

afterEach(async () => {
  await t.close();
});

async function setup(overrides: Partial<Config> = {}) {
  t = await createTestApp(overrides);
}

function ask(
  body: Record<string, unknown>,
  options: { headers?: Record<string, string>; ip?: string } = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: '/visitor/v1/upload-url',
    headers: options.headers ?? {},
    payload: body,
    remoteAddress: options.ip ?? '203.0.113.7',
  });
}

async function granted(body: Record<string, unknown> = {}, headers?: Record<string, string>) {
  const response = await ask({ mimeType: 'image/png', fileName: 'selfie.png', ...body }, { headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<VisitorUploadUrlResponse>();
}

function put(url: string, payload: Buffer | string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'PUT', url: new URL(url).pathname, headers, payload });
}

async function visitorFiles(): Promise<FileDescriptor[]> {
  return (
    await t.ok<ListFilesResponse>('POST', '/files/search', {
      rootFolder: 'VISITOR_UPLOADS_ROOT',
      paging: { limit: 100 },
    })
  ).files;
}

describe('visitor uploads', () => {
  it('hands out one token usable by the plain URL or by tus; the file lands in visitor-uploads', async () => {
    await setup();
    const grant = await granted();
    expect(Object.keys(grant).sort()).toEqual([
      'expiresAt',
      'resumableUploadUrl',
      'uploadToken',
      'uploadUrl',
    ]);
    expect(grant.uploadUrl).toBe(`http://media.test/upload/v1/${grant.uploadToken}`);
    expect(grant.resumableUploadUrl).toBe('http://media.test/upload/v1/tus');
    expect(Date.parse(grant.expiresAt)).toBeGreaterThan(Date.now());

    const response = await put(grant.uploadUrl, PNG_1X1, { 'content-type': 'image/png' });
    expect(response.statusCode, response.body).toBe(200);
    const file = response.json<{ file: FileDescriptor }>().file;
    expect(file.parentFolderId).toBe('visitor-uploads');
    expect(file.private).toBe(false);
    expect(file.hash).toBe(sha256Hex(PNG_1X1));
    expect((await visitorFiles()).map((f) => f.id)).toEqual([file.id]);
    // Visitor uploads never show up in Site Files.
    const siteFiles = await t.ok<ListFilesResponse>('POST', '/files/search', { rootFolder: 'MEDIA_ROOT' });
    expect(siteFiles.files).toEqual([]);

    // Single use: the plain URL is spent, and so is its tus use.
    expectAppError(await put(grant.uploadUrl, PNG_1X1), 403, 'PERMISSION_DENIED');
    const base = await listen(t);
    const created = await fetch(rebase(grant.resumableUploadUrl, base), {
      method: 'POST',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Length': String(PNG_1X1.length),
        'Upload-Metadata': `token ${Buffer.from(grant.uploadToken).toString('base64')}`,
      },
    });
    expect(created.status).toBe(403);
  });

  it('through tus: create, PATCH, finalize into visitor-uploads; the plain URL is then refused', async () => {
    await setup();
    const base = await listen(t);
    const grant = await granted();
    const endpoint = rebase(grant.resumableUploadUrl, base);
    const created = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Length': String(PNG_1X1.length),
        'Upload-Metadata': `token ${Buffer.from(grant.uploadToken).toString('base64')}`,
        'Content-Type': 'application/offset+octet-stream',
      },
      body: new Uint8Array(PNG_1X1),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('upload-offset')).toBe(String(PNG_1X1.length));
    expectAppError(await put(grant.uploadUrl, PNG_1X1), 403, 'PERMISSION_DENIED');
    const finalized = await fetch(`${endpoint}/${grant.uploadToken}`, { method: 'PUT' });
    expect(finalized.status).toBe(200);
    const { file } = (await finalized.json()) as { file: FileDescriptor };
    expect(file.parentFolderId).toBe('visitor-uploads');
    expect(file.displayName).toBe('selfie.png');
    expect(await tusFiles(t)).toEqual([]);
  });

  it('can only upload into visitor-uploads', async () => {
    await setup();
    const folder = await t.createFolder('Private stuff');
    for (const parentFolderId of [folder.id, 'media-root', 'trash-root']) {
      expectAppError(
        await ask({ mimeType: 'image/png', fileName: 'x.png', parentFolderId }),
        403,
        'PERMISSION_DENIED',
      );
    }
    // Everything but type, name and size is ignored: no filePath folders, no private files, no labels.
    const grant = await granted({
      parentFolderId: 'visitor-uploads',
      filePath: '/escape',
      private: true,
      labels: ['x'],
    });
    const file = (await put(grant.uploadUrl, PNG_1X1)).json<{ file: FileDescriptor }>().file;
    expect(file).toMatchObject({ parentFolderId: 'visitor-uploads', private: false, labels: [] });
    expect(
      (await t.ok<{ folders: unknown[] }>('GET', '/folders?parentFolderId=visitor-uploads')).folders,
    ).toEqual([]);
  });

  it('has its own limits: size and types (VISITOR_MAX_FILE_SIZE_BYTES, VISITOR_ALLOWED_MIME_TYPES)', async () => {
    await setup({ visitorMaxFileSizeBytes: 1000, visitorAllowedMimeTypes: ['image/*'] });
    expectAppError(
      await ask({ mimeType: 'image/png', fileName: 'a.png', sizeInBytes: 1001 }),
      413,
      'FILE_SIZE_OVER_LIMIT',
    );
    expectAppError(
      await ask({ mimeType: 'application/zip', fileName: 'a.zip' }),
      400,
      'UNSUPPORTED_FILE_FORMAT',
    );
    expectAppError(
      await ask({ mimeType: 'image/png', fileName: 'a.png', sizeInBytes: 0 }),
      400,
      'ZERO_FILE_SIZE',
    );
    // Streamed bytes are held to the visitor limit too, and to the content check.
    const grant = await granted();
    expectAppError(await put(grant.uploadUrl, Buffer.alloc(1001)), 413, 'FILE_SIZE_OVER_LIMIT');
    const fake = await granted();
    expectAppError(
      await put(fake.uploadUrl, Buffer.from('%PDF-1.4 not an image')),
      400,
      'MISMATCH_MIME_TYPE',
    );
    // The admin's limits are not the visitors': the admin may upload a zip of any size.
    await t.upload(Buffer.alloc(5000), { mimeType: 'application/zip', fileName: 'big.zip' });

    // ...and over tus: the Upload-Length is checked against the visitor limit.
    const base = await listen(t);
    const tusGrant = await granted();
    const created = await fetch(rebase(tusGrant.resumableUploadUrl, base), {
      method: 'POST',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Length': '1001',
        'Upload-Metadata': `token ${Buffer.from(tusGrant.uploadToken).toString('base64')}`,
      },
    });
    expect(created.status).toBe(413);
  });

  it('needs a name and a type', async () => {
    await setup();
    expect((await ask({ mimeType: 'image/png' })).statusCode).toBe(400);
    expect((await ask({ fileName: 'a.png' })).statusCode).toBe(400);
    expect((await ask({ mimeType: 'image/png', fileName: '../a.png' })).statusCode).toBe(400);
  });

  it('rate-limits per client IP (VISITOR_UPLOADS_PER_MINUTE), with Retry-After', async () => {
    await setup({ visitorUploadsPerMinute: 3 });
    for (let i = 0; i < 3; i++)
      expect((await ask({ mimeType: 'image/png', fileName: 'a.png' })).statusCode).toBe(200);
    const limited = await ask({ mimeType: 'image/png', fileName: 'a.png' });
    expectAppError(limited, 429, 'RESOURCE_EXHAUSTED');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another address is not affected.
    expect((await ask({ mimeType: 'image/png', fileName: 'a.png' }, { ip: '198.51.100.9' })).statusCode).toBe(
      200,
    );
  });

  describe('behind a reverse proxy (TRUST_PROXY)', () => {
    const PROXY = '127.0.0.1';
    const body = { mimeType: 'image/png', fileName: 'a.png' };

    /** What nginx's `$proxy_add_x_forwarded_for` sends: the client's own header, then the address nginx saw. */
    function viaProxy(sentByClient: string | undefined, seenByProxy: string, from = PROXY) {
      const forwarded = sentByClient === undefined ? seenByProxy : `${sentByClient}, ${seenByProxy}`;
      return ask(body, { headers: { 'x-forwarded-for': forwarded }, ip: from });
    }

    // `127.0.0.1` is the documented setting (nginx on the same machine); a hop count, and `true` (the earlier
    // documentation's), read as `1`, work too.
    it.each(['127.0.0.1', 'loopback', '10.0.0.0/8, 127.0.0.0/8,::1', '1', 'true'])(
      'TRUST_PROXY=%s: a forged left-most X-Forwarded-For does not change the client, the proxy-appended address does',
      async (setting) => {
        await setup({
          visitorUploadsPerMinute: 3,
          trustProxy: loadConfig({ TRUST_PROXY: setting }).trustProxy,
        });
        for (let i = 0; i < 3; i++)
          expect((await viaProxy(`192.0.2.${i}`, '203.0.113.7')).statusCode).toBe(200);
        // Rotating the forged part does not help: the limit still trips for the address the proxy saw.
        for (let i = 10; i < 15; i++) {
          expectAppError(
            await viaProxy(`192.0.2.${i}, 198.18.0.${i}`, '203.0.113.7'),
            429,
            'RESOURCE_EXHAUSTED',
          );
        }
        expectAppError(await viaProxy(undefined, '203.0.113.7'), 429, 'RESOURCE_EXHAUSTED');
        // Another real client behind the same proxy is another address.
        expect((await viaProxy('203.0.113.7', '198.51.100.9')).statusCode).toBe(200);
      },
    );

    it('TRUST_PROXY=false (the default) ignores X-Forwarded-For: the connection is the client', async () => {
      await setup({ visitorUploadsPerMinute: 2, trustProxy: loadConfig({}).trustProxy });
      for (let i = 0; i < 2; i++)
        expect((await viaProxy(`192.0.2.${i}`, `198.51.100.${i}`)).statusCode).toBe(200);
      expectAppError(await viaProxy('192.0.2.9', '198.51.100.9'), 429, 'RESOURCE_EXHAUSTED');
    });

    it('a list of proxies: a client that reaches the server directly cannot claim another address', async () => {
      await setup({
        visitorUploadsPerMinute: 2,
        trustProxy: loadConfig({ TRUST_PROXY: '127.0.0.1' }).trustProxy,
      });
      const direct = '198.51.100.50';
      for (let i = 0; i < 2; i++)
        expect((await viaProxy(undefined, `192.0.2.${i}`, direct)).statusCode).toBe(200);
      expectAppError(await viaProxy(undefined, '192.0.2.9', direct), 429, 'RESOURCE_EXHAUSTED');
    });
  });

  it('VISITOR_UPLOADS=off turns the API off', async () => {
    await setup({ visitorUploads: false });
    expectAppError(await ask({ mimeType: 'image/png', fileName: 'a.png' }), 403, 'PERMISSION_DENIED');
    const config = await t.app.inject({ method: 'GET', url: '/visitor/v1/config' });
    expect(config.json()).toMatchObject({ enabled: false });
  });

  it('GET /visitor/v1/config tells the public page the limits', async () => {
    await setup({
      visitorMaxFileSizeBytes: 5000,
      visitorAllowedMimeTypes: ['image/*'],
      visitorUploadsPerMinute: 7,
    });
    const response = await t.app.inject({ method: 'GET', url: '/visitor/v1/config' });
    expect(response.json()).toEqual({
      enabled: true,
      requiresKey: false,
      maxFileSizeBytes: '5000',
      allowedMimeTypes: ['image/*'],
      uploadsPerMinute: 7,
    });
  });

  it('answers CORS preflights (any site may embed an upload form)', async () => {
    await setup();
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/visitor/v1/upload-url',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(
      (await ask({ mimeType: 'image/png', fileName: 'a.png' })).headers['access-control-allow-origin'],
    ).toBe('*');
  });

  describe('with VISITOR_UPLOAD_KEY', () => {
    const KEY = 'visitor-key-123';

    it('requires the key', async () => {
      await setup({ visitorUploadKey: KEY });
      const body = { mimeType: 'image/png', fileName: 'a.png' };
      expectAppError(await ask(body), 401, 'UNAUTHENTICATED');
      expectAppError(await ask(body, { headers: { authorization: 'wrong' } }), 401, 'UNAUTHENTICATED');
      expect((await ask(body, { headers: { authorization: KEY } })).statusCode).toBe(200);
      expect((await ask(body, { headers: { authorization: `Bearer ${KEY}` } })).statusCode).toBe(200);
      const config = await t.app.inject({ method: 'GET', url: '/visitor/v1/config' });
      expect(config.json()).toMatchObject({ requiresKey: true });
    });

    it('opens nothing else: the key and the upload token answer 401 everywhere under /site-media/v1', async () => {
      await setup({ visitorUploadKey: KEY });
      const uploaded = await t.upload(Buffer.from('admin file'), { fileName: 'admin.txt' });
      const grant = await granted({}, { authorization: KEY });
      const calls: [string, string, unknown?][] = [
        ['GET', '/files'],
        ['GET', `/files/get-file-by-id?fileId=${uploaded.id}`],
        ['POST', '/files/search', {}],
        ['GET', '/folders?parentFolderId=visitor-uploads'],
        ['POST', '/files/generate-upload-url', { mimeType: 'image/png' }],
        ['POST', '/files/generate-resumable-upload-url', { mimeType: 'image/png' }],
        ['POST', '/files/import', { url: 'https://example.com/a.png' }],
        ['POST', '/files/generate-file-download-url', { fileId: uploaded.id }],
        ['POST', '/bulk/files/delete', { fileIds: [uploaded.id], permanent: true }],
        ['PATCH', '/files/update-file-descriptor', { file: { id: uploaded.id, displayName: 'x' } }],
      ];
      let client = 0;
      for (const credential of [KEY, `Bearer ${KEY}`, grant.uploadToken, `Bearer ${grant.uploadToken}`]) {
        for (const [method, path, payload] of calls) {
          const response = await t.app.inject({
            method: method as 'GET',
            url: `/site-media/v1${path}`,
            headers: { authorization: credential },
            // Each from its own address: one client's wrong keys are throttled after a few.
            remoteAddress: `10.0.0.${++client}`,
            ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
          });
          expectAppError(response, 401, 'UNAUTHENTICATED');
        }
      }
      // The file is still there, untouched.
      expect(
        (await t.ok<{ file: FileDescriptor }>('GET', `/files/get-file-by-id?fileId=${uploaded.id}`)).file
          .displayName,
      ).toBe('admin.txt');
    });
  });

  it('the visitor API has nothing but upload-url and config', async () => {
    await setup();
    for (const [method, url] of [
      ['GET', '/visitor/v1/files'],
      ['GET', '/visitor/v1/upload-url'],
      ['DELETE', '/visitor/v1/upload-url'],
      ['POST', '/visitor/v1/files/search'],
      ['GET', '/upload/v1/some-token'],
    ] as const) {
      const response = await t.app.inject({ method, url });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
  });
});
