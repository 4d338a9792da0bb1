import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  ApplicationErrorBody,
  ErrorBody,
  FileDescriptor,
  ListFilesResponse,
  ListFoldersResponse,
  MediaType,
  ValidationErrorBody,
} from '../../contract/index.ts';
import {
  expectAppError,
  sha256Hex,
  storedBlobs,
  tempBlobs,
  waitFor,
  writesUnderWay,
} from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

// ---- helpers ---------------------------------------------------------------------------------------------

function expectViolation(response: LightMyRequestResponse, field: string): void {
  expect(response.statusCode, response.body).toBe(400);
  const body = response.json<ValidationErrorBody>();
  expect(typeof body.message).toBe('string');
  expect(body.details.validationError.fieldViolations.map((v) => v.field)).toContain(field);
}

function expect4xx(response: LightMyRequestResponse): void {
  expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
  expect(response.statusCode, response.body).toBeLessThan(500);
  const body = response.json<ErrorBody>();
  expect(typeof body.message).toBe('string');
  const details = body.details as Partial<ApplicationErrorBody['details'] & ValidationErrorBody['details']>;
  expect(
    typeof details.applicationError?.code === 'string' ||
      Array.isArray(details.validationError?.fieldViolations),
  ).toBe(true);
}

async function generate(t: TestApp, body: Record<string, unknown>): Promise<string> {
  const { uploadUrl } = await t.ok<{ uploadUrl: string }>('POST', '/files/generate-upload-url', body);
  return uploadUrl;
}

/** Path + query of an absolute upload URL, for `inject`. */
function pathOf(url: string, extraQuery = ''): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}${extraQuery}`;
}

function put(
  t: TestApp,
  uploadUrl: string,
  payload: string | Buffer | Readable,
  options: { contentType?: string; query?: string; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'PUT',
    url: pathOf(uploadUrl, options.query),
    headers: { 'content-type': options.contentType ?? 'application/octet-stream', ...options.headers },
    payload,
  });
}

function fileOf(response: LightMyRequestResponse): FileDescriptor {
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ file: FileDescriptor }>().file;
}

async function listFiles(t: TestApp, query = ''): Promise<FileDescriptor[]> {
  return (await t.ok<ListFilesResponse>('GET', `/files${query}`)).files;
}

async function listFolders(t: TestApp, parentFolderId = 'media-root') {
  return (
    await t.ok<ListFoldersResponse>('GET', `/folders?parentFolderId=${encodeURIComponent(parentFolderId)}`)
  ).folders;
}

/** Every file anywhere in Site Files, Visitor Uploads and the trash. */
async function allFiles(t: TestApp): Promise<FileDescriptor[]> {
  const out: FileDescriptor[] = [];
  for (const rootFolder of ['MEDIA_ROOT', 'VISITOR_UPLOADS_ROOT', 'TRASH_ROOT']) {
    out.push(
      ...(await t.ok<ListFilesResponse>('POST', '/files/search', { rootFolder, paging: { limit: 100 } }))
        .files,
    );
  }
  return out;
}

// ---- tests -----------------------------------------------------------------------------------------------

describe('plain uploads (generate-upload-url + PUT)', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp();
  });

  afterEach(async () => {
    vi.useRealTimers();
    await t.close();
  });

  it('answers {file} with size (as a string), sha256 hash, url, mime and type', async () => {
    const content = Buffer.from('hello, media world');
    const uploadUrl = await generate(t, { mimeType: 'text/plain', fileName: 'hello.txt' });
    expect(uploadUrl).toMatch(/^http:\/\/media\.test\/upload\/v1\/[^/?#]+$/);

    const response = await put(t, uploadUrl, content, { contentType: 'text/plain' });
    const file = fileOf(response);
    expect(Object.keys(response.json<object>())).toEqual(['file']);
    expect(file.sizeInBytes).toBe(String(content.length));
    expect(typeof file.sizeInBytes).toBe('string');
    expect(file.hash).toBe(sha256Hex(content));
    expect(file.displayName).toBe('hello.txt');
    expect(file.mediaType).toBe('DOCUMENT');
    expect(file.url).toBe(`http://media.test/media/${encodeURIComponent(file.id)}`);
    expect(file.parentFolderId).toBe('media-root');
    expect(file.private).toBe(false);
    expect(file.labels).toEqual([]);
    expect(file.state).toBe('OK');
    expect(['PENDING', 'READY']).toContain(file.operationStatus);
    expect(new Date(file.createdDate).toISOString()).toBe(file.createdDate);

    // The descriptor is what get-file-by-id answers, and the stable url serves the bytes.
    const got = await t.ok<{ file: FileDescriptor }>(
      'GET',
      `/files/get-file-by-id?fileId=${encodeURIComponent(file.id)}`,
    );
    expect(got.file.hash).toBe(file.hash);
    expect(got.file.sizeInBytes).toBe(file.sizeInBytes);
    const served = await t.app.inject({ method: 'GET', url: new URL(file.url).pathname });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(content)).toBe(true);
  });

  it('keeps a larger binary upload byte for byte', async () => {
    const content = Buffer.alloc(300_000);
    for (let i = 0; i < content.length; i++) content[i] = (i * 7919) % 256;
    const uploadUrl = await generate(t, { mimeType: 'application/octet-stream', fileName: 'blob.bin' });
    const file = fileOf(await put(t, uploadUrl, content));
    expect(file.sizeInBytes).toBe('300000');
    expect(file.hash).toBe(sha256Hex(content));
    expect(file.mediaType).toBe('OTHER');
    const served = await t.app.inject({ method: 'GET', url: new URL(file.url).pathname });
    expect(sha256Hex(served.rawPayload)).toBe(file.hash);
  });

  it('accepts a streamed (chunked) body without Content-Length', async () => {
    const chunks = [Buffer.from('part one, '), Buffer.from('part two, '), Buffer.from('part three')];
    const uploadUrl = await generate(t, { mimeType: 'text/plain', fileName: 'chunks.txt' });
    const file = fileOf(await put(t, uploadUrl, Readable.from(chunks), { contentType: 'text/plain' }));
    const all = Buffer.concat(chunks);
    expect(file.sizeInBytes).toBe(String(all.length));
    expect(file.hash).toBe(sha256Hex(all));
  });

  const byMime: [string, string, MediaType, keyof FileDescriptor['media'] | null][] = [
    ['image/png', 'a.png', 'IMAGE', 'image'],
    ['image/jpeg', 'a.jpg', 'IMAGE', 'image'],
    ['image/svg+xml', 'a.svg', 'VECTOR', 'vector'],
    ['video/mp4', 'a.mp4', 'VIDEO', 'video'],
    ['audio/mpeg', 'a.mp3', 'AUDIO', 'audio'],
    ['application/pdf', 'a.pdf', 'DOCUMENT', 'document'],
    ['application/zip', 'a.zip', 'ARCHIVE', 'archive'],
    ['model/gltf-binary', 'a.glb', 'MODEL3D', 'model3d'],
    // The MIME type wins over the extension when it is specific.
    ['image/png', 'looks-like.pdf', 'IMAGE', 'image'],
  ];
  it.each(byMime)('mediaType from MIME %s (%s) is %s', async (mimeType, fileName, mediaType, mediaKey) => {
    const file = await t.upload(Buffer.from('not really media'), { mimeType, fileName });
    expect(file.mediaType).toBe(mediaType);
    if (mediaKey) expect(Object.keys(file.media as object)).toEqual([mediaKey]);
  });

  const byExtension: [string, MediaType, keyof FileDescriptor['media'] | null][] = [
    ['photo.png', 'IMAGE', 'image'],
    ['PHOTO.JPG', 'IMAGE', 'image'],
    ['drawing.svg', 'VECTOR', 'vector'],
    ['clip.mp4', 'VIDEO', 'video'],
    ['song.mp3', 'AUDIO', 'audio'],
    ['paper.pdf', 'DOCUMENT', 'document'],
    ['bundle.zip', 'ARCHIVE', 'archive'],
    ['shape.glb', 'MODEL3D', 'model3d'],
    ['mystery.bin', 'OTHER', null],
    ['noextension', 'OTHER', null],
  ];
  it.each(byExtension)(
    'mediaType from the extension of %s when the MIME type is application/octet-stream is %s',
    async (fileName, mediaType, mediaKey) => {
      const file = await t.upload(Buffer.from('bytes'), { mimeType: 'application/octet-stream', fileName });
      expect(file.mediaType).toBe(mediaType);
      if (mediaKey) expect(Object.keys(file.media as object)).toEqual([mediaKey]);
    },
  );

  it('fills media.document with id, url, filename and sizeInBytes', async () => {
    const file = (await t.upload(Buffer.from('%PDF-1.4 fake'), {
      mimeType: 'application/pdf',
      fileName: 'doc.pdf',
    })) as FileDescriptor;
    expect(file.media.document).toMatchObject({
      id: file.id,
      url: file.url,
      filename: 'doc.pdf',
      sizeInBytes: String(Buffer.byteLength('%PDF-1.4 fake')),
    });
  });

  it('keeps labels, private and parentFolderId', async () => {
    const folder = await t.createFolder('Holidays');
    const file = (await t.upload(Buffer.from('secret'), {
      fileName: 'secret.txt',
      labels: ['beach', 'summer'],
      private: true,
      parentFolderId: folder.id,
    })) as FileDescriptor;
    expect(file.labels).toEqual(['beach', 'summer']);
    expect(file.private).toBe(true);
    expect(file.parentFolderId).toBe(folder.id);

    const inFolder = await listFiles(t, `?parentFolderId=${folder.id}`);
    expect(inFolder.map((f) => f.id)).toEqual([file.id]);
    expect(await listFiles(t)).toEqual([]);
    // Labels are searchable.
    const found = await t.ok<ListFilesResponse>('POST', '/files/search', { search: 'beach' });
    expect(found.files.map((f) => f.id)).toEqual([file.id]);
  });

  it('uploads into visitor-uploads', async () => {
    const file = (await t.upload('visitor', { parentFolderId: 'visitor-uploads' })) as FileDescriptor;
    expect(file.parentFolderId).toBe('visitor-uploads');
    expect((await listFiles(t, '?parentFolderId=visitor-uploads')).map((f) => f.id)).toEqual([file.id]);
    expect(await listFiles(t)).toEqual([]);
  });

  it('filePath creates the missing folders, and a second upload reuses them', async () => {
    const first = (await t.upload('one', {
      fileName: 'one.mp4',
      mimeType: 'video/mp4',
      filePath: '/videos/2024',
    })) as FileDescriptor;

    const top = await listFolders(t);
    expect(top.map((f) => f.displayName)).toEqual(['videos']);
    const videos = top[0]!;
    const below = await listFolders(t, videos.id);
    expect(below.map((f) => f.displayName)).toEqual(['2024']);
    const year = below[0]!;
    expect(year.parentFolderId).toBe(videos.id);
    expect(first.parentFolderId).toBe(year.id);

    const second = (await t.upload('two', {
      fileName: 'two.mp4',
      mimeType: 'video/mp4',
      filePath: '/videos/2024',
    })) as FileDescriptor;
    expect(second.parentFolderId).toBe(year.id);
    expect((await listFolders(t)).map((f) => f.id)).toEqual([videos.id]);
    expect((await listFolders(t, videos.id)).map((f) => f.id)).toEqual([year.id]);

    // A path that shares only the first segment adds just the missing folder.
    const third = (await t.upload('three', {
      fileName: 'three.mp4',
      filePath: 'videos/2025/',
    })) as FileDescriptor;
    const years = await listFolders(t, videos.id);
    expect(years.map((f) => f.displayName).sort()).toEqual(['2024', '2025']);
    expect(third.parentFolderId).toBe(years.find((f) => f.displayName === '2025')!.id);
    expect((await listFolders(t)).length).toBe(1);

    expect((await listFiles(t, `?parentFolderId=${year.id}`)).map((f) => f.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
  });

  it('filePath is relative to parentFolderId', async () => {
    const base = await t.createFolder('base');
    const file = (await t.upload('x', { parentFolderId: base.id, filePath: 'a/b' })) as FileDescriptor;
    const a = await listFolders(t, base.id);
    expect(a.map((f) => f.displayName)).toEqual(['a']);
    const b = await listFolders(t, a[0]!.id);
    expect(b.map((f) => f.displayName)).toEqual(['b']);
    expect(file.parentFolderId).toBe(b[0]!.id);
    expect((await listFolders(t)).map((f) => f.id)).toEqual([base.id]);
  });

  it('concurrent uploads with the same filePath create each folder once', async () => {
    const urls = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        generate(t, { mimeType: 'text/plain', fileName: `f${i}.txt`, filePath: '/shared/deep' }),
      ),
    );
    const files = (await Promise.all(urls.map((url, i) => put(t, url, `content ${i}`)))).map(fileOf);
    const shared = await listFolders(t);
    expect(shared.map((f) => f.displayName)).toEqual(['shared']);
    const deep = await listFolders(t, shared[0]!.id);
    expect(deep.map((f) => f.displayName)).toEqual(['deep']);
    expect(new Set(files.map((f) => f.parentFolderId))).toEqual(new Set([deep[0]!.id]));
  });

  it('refuses a filePath with a bad segment', async () => {
    for (const filePath of ['/videos/../etc', '/a/./b', '/a/ b', '/a/\u0000b']) {
      const response = await t.api('POST', '/files/generate-upload-url', {
        mimeType: 'text/plain',
        fileName: 'x.txt',
        filePath,
      });
      expectViolation(response, 'filePath');
    }
    expect(await listFolders(t)).toEqual([]);
  });

  it('takes the name from ?filename= on the PUT when fileName was not given', async () => {
    const uploadUrl = await generate(t, { mimeType: 'application/octet-stream' });
    const file = fileOf(await put(t, uploadUrl, 'png-ish', { query: '?filename=sunset.png' }));
    expect(file.displayName).toBe('sunset.png');
    expect(file.mediaType).toBe('IMAGE');
  });

  it('decodes a percent-encoded ?filename=', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain' });
    const file = fileOf(
      await put(t, uploadUrl, 'x', { query: `?filename=${encodeURIComponent('résumé final.txt')}` }),
    );
    expect(file.displayName).toBe('résumé final.txt');
  });

  it('answers 400 when neither fileName nor ?filename= is given, and the URL stays usable', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain' });
    const response = await put(t, uploadUrl, 'no name', { contentType: 'text/plain' });
    expect(response.statusCode).toBe(400);
    expect4xx(response);
    expect(await allFiles(t)).toEqual([]);
    expect(await storedBlobs(t)).toEqual([]);

    const file = fileOf(
      await put(t, uploadUrl, 'no name', { contentType: 'text/plain', query: '?filename=named.txt' }),
    );
    expect(file.displayName).toBe('named.txt');
  });

  it('refuses a bad ?filename= (path separators, dots, control characters)', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain' });
    for (const name of [
      '../evil.txt',
      'a/b.txt',
      'a\\b.txt',
      '..',
      '.',
      ' padded.txt',
      'nul\u0000.txt',
      'x'.repeat(256),
    ]) {
      const response = await put(t, uploadUrl, 'x', { query: `?filename=${encodeURIComponent(name)}` });
      expect4xx(response);
      expect(response.statusCode, name).toBe(400);
    }
    expect(await allFiles(t)).toEqual([]);
    // None of them used the token up.
    fileOf(await put(t, uploadUrl, 'x', { query: '?filename=fine.txt' }));
  });

  it('refuses bad fileNames at generate time', async () => {
    for (const fileName of [
      'a/b.txt',
      'a\\b',
      '..',
      '.',
      ' x.txt',
      'x.txt ',
      'x\u0007.txt',
      '',
      'y'.repeat(256),
    ]) {
      const response = await t.api('POST', '/files/generate-upload-url', {
        mimeType: 'text/plain',
        fileName,
      });
      expectViolation(response, 'fileName');
    }
    // 255 characters is fine.
    await generate(t, { mimeType: 'text/plain', fileName: `${'y'.repeat(251)}.txt` });
  });

  it('refuses a missing or malformed mimeType', async () => {
    expectViolation(await t.api('POST', '/files/generate-upload-url', { fileName: 'a.txt' }), 'mimeType');
    for (const mimeType of ['', 'text', 'not a mime', 'text/plain; <script>', 42]) {
      expectViolation(
        await t.api('POST', '/files/generate-upload-url', { mimeType, fileName: 'a.txt' }),
        'mimeType',
      );
    }
  });

  it('refuses more than 50 labels at upload, and bad labels', async () => {
    const labels = Array.from({ length: 51 }, (_, i) => `l${i}`);
    const response = await t.api('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'a.txt',
      labels,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<ValidationErrorBody>().details.validationError.fieldViolations[0]!.field).toMatch(
      /^labels/,
    );
    const long = await t.api('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'a.txt',
      labels: ['z'.repeat(201)],
    });
    expect(long.statusCode).toBe(400);
    expect(long.json<ValidationErrorBody>().details.validationError.fieldViolations[0]!.field).toMatch(
      /^labels/,
    );
  });

  it('needs no API key for the PUT (the URL carries the token)', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain', fileName: 'a.txt' });
    const response = await t.app.inject({
      method: 'PUT',
      url: pathOf(uploadUrl),
      headers: { 'content-type': 'text/plain' },
      payload: 'anonymous',
    });
    expect(fileOf(response).displayName).toBe('a.txt');
  });

  it('still needs the API key to generate the URL', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/site-media/v1/files/generate-upload-url',
      payload: { mimeType: 'text/plain', fileName: 'a.txt' },
    });
    expectAppError(response, 401, 'UNAUTHENTICATED');
  });

  it('is single-use: a second PUT answers 403', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain', fileName: 'once.txt' });
    fileOf(await put(t, uploadUrl, 'first'));
    expectAppError(await put(t, uploadUrl, 'second'), 403, 'PERMISSION_DENIED');
    const files = await listFiles(t);
    expect(files.length).toBe(1);
    expect(files[0]!.hash).toBe(sha256Hex('first'));
  });

  it('is single-use under concurrent PUTs: exactly one succeeds', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain', fileName: 'race.txt' });
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) => put(t, uploadUrl, `attempt ${i}`)),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 403, 403, 403, 403]);
    expect((await listFiles(t)).length).toBe(1);
    expect((await storedBlobs(t)).length).toBe(1);
  });

  it('answers 403 for an unknown or garbage token', async () => {
    for (const token of ['nope', 'a'.repeat(43), `${'a'.repeat(43)}.png`]) {
      const response = await t.app.inject({
        method: 'PUT',
        url: `/upload/v1/${token}`,
        headers: { 'content-type': 'text/plain' },
        payload: 'x',
      });
      expect4xx(response);
      expect([400, 403]).toContain(response.statusCode);
    }
    expect(await allFiles(t)).toEqual([]);
  });

  // Guards long upload tokens: past Fastify's default maxParamLength, still the contract's error shape.
  it('answers a long (150-character) garbage token in the contract error shape', async () => {
    const response = await t.app.inject({
      method: 'PUT',
      url: `/upload/v1/${'x'.repeat(150)}`,
      headers: { 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect4xx(response);
  });

  it('expires: a URL made with a 0-minute lifetime answers 403', async () => {
    const shortLived = await createTestApp({ uploadUrlTtlMinutes: 0 });
    try {
      const uploadUrl = await generate(shortLived, { mimeType: 'text/plain', fileName: 'late.txt' });
      expectAppError(await put(shortLived, uploadUrl, 'too late'), 403, 'PERMISSION_DENIED');
      expect(await listFiles(shortLived)).toEqual([]);
    } finally {
      await shortLived.close();
    }
  });

  it('expires after uploadUrlTtlMinutes (default 60)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date('2030-01-01T00:00:00.000Z');
    vi.setSystemTime(start);
    const early = await generate(t, { mimeType: 'text/plain', fileName: 'early.txt' });
    const late = await generate(t, { mimeType: 'text/plain', fileName: 'late.txt' });

    vi.setSystemTime(new Date(start.getTime() + 59 * 60_000));
    fileOf(await put(t, early, 'in time'));

    vi.setSystemTime(new Date(start.getTime() + 61 * 60_000));
    expectAppError(await put(t, late, 'too late'), 403, 'PERMISSION_DENIED');
    expect((await listFiles(t)).map((f) => f.displayName)).toEqual(['early.txt']);
  });

  it('refuses an empty body with ZERO_FILE_SIZE and creates no file', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain', fileName: 'empty.txt' });
    expectAppError(await put(t, uploadUrl, ''), 400, 'ZERO_FILE_SIZE');
    expectAppError(
      await put(t, uploadUrl, Buffer.alloc(0), { headers: { 'content-length': '0' } }),
      400,
      'ZERO_FILE_SIZE',
    );
    expectAppError(await put(t, uploadUrl, Readable.from([])), 400, 'ZERO_FILE_SIZE');
    expect(await allFiles(t)).toEqual([]);
    expect(await storedBlobs(t)).toEqual([]);
    // The URL was not used up.
    fileOf(await put(t, uploadUrl, 'now with bytes'));
  });

  it('refuses sizeInBytes 0 at generate time with ZERO_FILE_SIZE', async () => {
    const response = await t.api('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'a.txt',
      sizeInBytes: '0',
    });
    expectAppError(response, 400, 'ZERO_FILE_SIZE');
  });

  it('accepts sizeInBytes as a string or a number when the bytes match', async () => {
    const asString = await generate(t, { mimeType: 'text/plain', fileName: 'a.txt', sizeInBytes: '5' });
    expect(fileOf(await put(t, asString, 'abcde')).sizeInBytes).toBe('5');
    const asNumber = await generate(t, { mimeType: 'text/plain', fileName: 'b.txt', sizeInBytes: 5 });
    expect(fileOf(await put(t, asNumber, 'abcde')).sizeInBytes).toBe('5');
  });

  it('refuses bytes that do not match the declared sizeInBytes (Content-Length), keeping nothing, and allows a retry', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain', fileName: 'sized.txt', sizeInBytes: '10' });
    for (const payload of ['12345', '12345678901']) {
      const response = await put(t, uploadUrl, payload);
      expect(response.statusCode, response.body).toBe(400);
      expect4xx(response);
    }
    expect(await allFiles(t)).toEqual([]);
    expect(await storedBlobs(t)).toEqual([]);
    expect(await tempBlobs(t)).toEqual([]);

    const file = fileOf(await put(t, uploadUrl, '1234567890'));
    expect(file.sizeInBytes).toBe('10');
    expect((await storedBlobs(t)).length).toBe(1);
  });

  it('refuses streamed bytes that do not match the declared sizeInBytes, keeping no blob, and allows a retry', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain', fileName: 'sized.txt', sizeInBytes: 10 });
    for (const chunks of [
      ['123', '45'],
      ['123456', '78901'],
    ]) {
      const response = await put(t, uploadUrl, Readable.from(chunks.map((c) => Buffer.from(c))));
      expect(response.statusCode, response.body).toBe(400);
      expect4xx(response);
    }
    expect(await allFiles(t)).toEqual([]);
    expect(await storedBlobs(t)).toEqual([]);
    expect(await tempBlobs(t)).toEqual([]);

    const file = fileOf(await put(t, uploadUrl, Readable.from([Buffer.from('12345'), Buffer.from('67890')])));
    expect(file.hash).toBe(sha256Hex('1234567890'));
  });

  it('refuses a Content-Length that does not match the bytes sent', async () => {
    // A body shorter than its Content-Length cannot be told apart from an interrupted one over inject, so only
    // the declared-vs-URL check applies here: the URL was made for 4 bytes, the header says 6.
    const uploadUrl = await generate(t, { mimeType: 'text/plain', fileName: 'x.txt', sizeInBytes: 4 });
    const response = await put(t, uploadUrl, 'abcdef');
    expect(response.statusCode).toBe(400);
    expect(await allFiles(t)).toEqual([]);
  });

  it('refuses an unknown parentFolderId at generate time with 404', async () => {
    const response = await t.api('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'a.txt',
      parentFolderId: 'no-such-folder',
    });
    expectAppError(response, 404, 'RESOURCE_NOT_FOUND');
  });

  it('refuses uploads into a trashed folder, or into the trash itself', async () => {
    const folder = await t.createFolder('Doomed');
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id] });
    const response = await t.api('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'a.txt',
      parentFolderId: folder.id,
    });
    expect4xx(response);
    expect(response.statusCode).not.toBe(401);

    const intoTrash = await t.api('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'a.txt',
      parentFolderId: 'trash-root',
    });
    expect4xx(intoTrash);
    expect(await allFiles(t)).toEqual([]);
  });

  it('never lets a file land inside a folder that was trashed after the URL was made', async () => {
    const folder = await t.createFolder('Going away');
    const uploadUrl = await generate(t, {
      mimeType: 'text/plain',
      fileName: 'late.txt',
      parentFolderId: folder.id,
    });
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id] });
    const response = await put(t, uploadUrl, 'bytes');
    if (response.statusCode === 200) {
      const file = fileOf(response);
      // Kept, but not as a live file inside a trashed folder.
      expect(file.state === 'DELETED' || file.parentFolderId !== folder.id).toBe(true);
    } else {
      expect4xx(response);
      expect(await allFiles(t)).toEqual([]);
    }
  });
});

describe('upload size limit (maxFileSizeBytes)', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({ maxFileSizeBytes: 10 });
  });

  afterEach(async () => {
    await t.close();
  });

  it('refuses a declared size over the limit at generate time', async () => {
    const response = await t.api('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'big.txt',
      sizeInBytes: '11',
    });
    expectAppError(response, 413, 'FILE_SIZE_OVER_LIMIT');
    await generate(t, { mimeType: 'text/plain', fileName: 'ok.txt', sizeInBytes: '10' });
  });

  it('refuses a body over the limit during the PUT (Content-Length)', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain', fileName: 'big.txt' });
    expectAppError(await put(t, uploadUrl, '12345678901'), 413, 'FILE_SIZE_OVER_LIMIT');
    expect(await allFiles(t)).toEqual([]);
    expect(await storedBlobs(t)).toEqual([]);
    expect(fileOf(await put(t, uploadUrl, '1234567890')).sizeInBytes).toBe('10');
  });

  it('refuses a streamed body over the limit during the PUT (no Content-Length)', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain', fileName: 'big.txt' });
    const response = await put(t, uploadUrl, Readable.from([Buffer.from('123456'), Buffer.from('78901')]));
    expectAppError(response, 413, 'FILE_SIZE_OVER_LIMIT');
    expect(await allFiles(t)).toEqual([]);
    expect(await storedBlobs(t)).toEqual([]);
    await waitFor(async () => (await tempBlobs(t)).length === 0, 'the temp blob to go');
  });
});

describe('interrupted uploads over a real socket', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  it('leaves no file, blob or temp file behind, and the same URL then works', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const uploadUrl = await generate(t, {
      mimeType: 'application/octet-stream',
      fileName: 'interrupted.bin',
    });

    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.on('error', () => {});
    socket.write(
      `PUT ${pathOf(uploadUrl)} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        'Content-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n',
    );
    socket.write(Buffer.alloc(50_000, 7));
    // The server has started writing the bytes once its temp file exists.
    await waitFor(() => writesUnderWay(t, 1), 'the upload to start');
    socket.destroy();

    await waitFor(async () => (await tempBlobs(t)).length === 0, 'the temp file to be removed');
    expect(await storedBlobs(t)).toEqual([]);
    expect(await allFiles(t)).toEqual([]);

    // The token is handed back once the server has cleaned up; until then a retry may still see it claimed.
    const content = Buffer.alloc(100_000, 9);
    let retry: Response | undefined;
    await waitFor(async () => {
      retry = await fetch(`http://127.0.0.1:${port}${pathOf(uploadUrl)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: content,
      });
      return retry.status !== 403;
    }, 'the upload URL to be usable again');
    expect(retry!.status).toBe(200);
    const { file } = (await retry!.json()) as { file: FileDescriptor };
    expect(file.sizeInBytes).toBe('100000');
    expect(file.hash).toBe(sha256Hex(content));
    expect((await allFiles(t)).map((f) => f.id)).toEqual([file.id]);
    expect((await storedBlobs(t)).length).toBe(1);
    expect(await tempBlobs(t)).toEqual([]);
  });
});
