// Stable file urls (/media/<id>): public files served at them, private files refused there, trashed and missing bytes.
import { describe, expect, it } from 'vitest';
import { CONTENT, downloadUrl, expectUserContentHeaders, fetchUrl } from '../testing/downloads.ts';
import { expectAppError } from '../testing/helpers.ts';
import type { FileDescriptor, ListFilesResponse } from '../../contract/index.ts';
import type { TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';

describe('stable file urls (/media/<id>) and private files', () => {
  let t: TestApp;
  useTestApp((app) => (t = app));

  it('serves a public file at its stable url, inline, with ranges', async () => {
    const file = (await t.upload(CONTENT, { fileName: 'pub.txt' })) as FileDescriptor;
    expect(new URL(file.url).pathname).toBe(`/media/${encodeURIComponent(file.id)}`);
    const response = await fetchUrl(t, file.url);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(CONTENT)).toBe(true);
    expect(String(response.headers['content-disposition'])).toMatch(/^inline/);
    expectUserContentHeaders(response);

    const ranged = await fetchUrl(t, file.url, { headers: { range: 'bytes=-2' } });
    expect(ranged.statusCode).toBe(206);
    expect(ranged.body).toBe('ij');
  });

  // Guards HEAD of a public stable url: 200 with its length, no body.
  it('answers HEAD of a public stable url with 200, its length and no body', async () => {
    const file = (await t.upload(CONTENT, { fileName: 'pub.txt' })) as FileDescriptor;
    const head = await fetchUrl(t, file.url, { method: 'HEAD' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(CONTENT.length));
  });

  it('answers 404 for an unknown id', async () => {
    expectAppError(await fetchUrl(t, 'http://media.test/media/no-such-file'), 404, 'RESOURCE_NOT_FOUND');
  });

  it('a private file: stable url 403, signed URL works, per-type urls empty', async () => {
    const image = (await t.upload(Buffer.from('fake png'), {
      fileName: 'secret.png',
      mimeType: 'image/png',
      private: true,
    })) as FileDescriptor;
    const doc = (await t.upload(CONTENT, {
      fileName: 'secret.pdf',
      mimeType: 'application/pdf',
      private: true,
    })) as FileDescriptor;

    for (const file of [image, doc]) {
      expect(file.private).toBe(true);
      expect(file.url).toBeTruthy();
      expect(file.thumbnailUrl).toBeTruthy();
      const stable = await fetchUrl(t, file.url);
      expectAppError(stable, 403, 'PERMISSION_DENIED');
      expect(stable.rawPayload.includes(Buffer.from('fake png'))).toBe(false);
      expect((await fetchUrl(t, file.url, { method: 'HEAD' })).statusCode).toBe(403);
      expect((await fetchUrl(t, file.url, { headers: { range: 'bytes=0-1' } })).statusCode).toBe(403);

      const signed = await fetchUrl(t, await downloadUrl(t, { fileId: file.id }));
      expect(signed.statusCode).toBe(200);
      expect(signed.headers['content-length']).toBe(file.sizeInBytes);
    }
    expect(image.media.image?.image.url).toBe('');
    expect(doc.media.document?.url).toBe('');

    // Every `url` anywhere inside `media` is empty, also as listed and as read back.
    const listed = (await t.ok<ListFilesResponse>('GET', '/files')).files;
    const read = await t.ok<{ file: FileDescriptor }>(
      'GET',
      `/files/get-file-by-id?fileId=${encodeURIComponent(image.id)}`,
    );
    for (const f of [...listed, read.file]) {
      const urls: unknown[] = [];
      JSON.stringify(f.media, (key, value: unknown) => {
        if (key === 'url') urls.push(value);
        return value;
      });
      expect(urls.length).toBeGreaterThan(0);
      expect(urls.every((u) => u === '')).toBe(true);
    }
  });

  it('a public file has its stable url inside media too', async () => {
    const image = (await t.upload(Buffer.from('fake png'), {
      fileName: 'open.png',
      mimeType: 'image/png',
    })) as FileDescriptor;
    expect(image.media.image?.image.url).toBe(image.url);
    expect((await fetchUrl(t, image.media.image!.image.url)).statusCode).toBe(200);
  });

  it.each([
    ['text/html', 'page.html', '<html><script>alert(document.cookie)</script></html>'],
    [
      'image/svg+xml',
      'drawing.svg',
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ],
  ])('serves an uploaded %s with the sandbox CSP and nosniff', async (mimeType, fileName, content) => {
    const file = (await t.upload(content, { fileName, mimeType })) as FileDescriptor;
    const stable = await fetchUrl(t, file.url);
    expect(stable.statusCode).toBe(200);
    expect(stable.body).toBe(content);
    expectUserContentHeaders(stable);

    const inline = await fetchUrl(t, await downloadUrl(t, { fileId: file.id, contentDisposition: 'INLINE' }));
    expect(inline.statusCode).toBe(200);
    expectUserContentHeaders(inline);
    const attachment = await fetchUrl(t, await downloadUrl(t, { fileId: file.id }));
    expectUserContentHeaders(attachment);
  });

  it('answers a contract-shaped 404 when the bytes of a file are missing from the blob store', async () => {
    const file = (await t.upload(CONTENT, { fileName: 'lost.txt' })) as FileDescriptor;
    await t.blobs.delete([(await t.store.files.getFile(file.id))!.blob_key]);
    expectAppError(await fetchUrl(t, file.url), 404, 'RESOURCE_NOT_FOUND');
    expectAppError(await fetchUrl(t, await downloadUrl(t, { fileId: file.id })), 404, 'RESOURCE_NOT_FOUND');
  });

  it('keeps serving a trashed public file until it is purged', async () => {
    const file = (await t.upload(CONTENT, { fileName: 'trashed.txt' })) as FileDescriptor;
    await t.ok('POST', '/bulk/files/delete', { fileIds: [file.id] });
    const trashed = await t.ok<{ file: FileDescriptor }>(
      'GET',
      `/files/get-file-by-id?fileId=${encodeURIComponent(file.id)}`,
    );
    expect(trashed.file.state).toBe('DELETED');

    const response = await fetchUrl(t, file.url);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(CONTENT)).toBe(true);

    await t.ok('POST', '/bulk/files/delete', { fileIds: [file.id], permanent: true });
    expectAppError(await fetchUrl(t, file.url), 404, 'RESOURCE_NOT_FOUND');
  });
});
