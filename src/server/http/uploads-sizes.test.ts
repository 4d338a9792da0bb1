import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { FileDescriptor } from '../../contract/index.ts';
import {
  expectAppError,
  sha256Hex,
  storedBlobs,
  tempBlobs,
  waitFor,
  writesUnderWay,
} from '../testing/helpers.ts';
import type { TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';
import { expect4xx, generate, pathOf, put, fileOf, allFiles } from '../testing/plain-uploads.ts';

// Plain uploads: empty and mis-sized bodies, the size limit, and bodies cut off mid-way.

describe('plain uploads (generate-upload-url + PUT)', () => {
  let t: TestApp;
  useTestApp((app) => (t = app));

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
});

describe('upload size limit (maxFileSizeBytes)', () => {
  let t: TestApp;
  useTestApp((app) => (t = app), { maxFileSizeBytes: 10 });

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
  useTestApp((app) => (t = app));

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
