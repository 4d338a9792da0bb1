import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { FileDescriptor, ListFilesResponse, MediaType } from '../../contract/index.ts';
import { sha256Hex } from '../testing/helpers.ts';
import type { TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';
import { generate, put, fileOf, listFiles } from '../testing/plain-uploads.ts';

// Plain uploads (generate-upload-url + PUT): the answer, the bytes kept, the media type, labels and root.

describe('plain uploads (generate-upload-url + PUT)', () => {
  let t: TestApp;
  useTestApp((app) => (t = app));

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
});
