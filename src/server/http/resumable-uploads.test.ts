import { describe, expect, it } from 'vitest';
import {
  expectAppError,
  patterned,
  sha256Hex,
  storedBlobs,
  tempBlobs,
  tusFiles,
} from '../testing/helpers.ts';
import { useTusApp, patch, head, finalize, fileOf, tusClientUpload, type Resumable } from '../testing/tus.ts';

// Resumable uploads (tus 1.0.0): the upload URL, OPTIONS, an upload request by request, names, creation-with-upload.

describe('resumable uploads (tus 1.0.0)', () => {
  const tus = useTusApp();

  it('generate-resumable-upload-url answers {uploadProtocol: "TUS", uploadUrl, uploadToken}', async () => {
    const answer = await tus.t.ok<Resumable>('POST', '/files/generate-resumable-upload-url', {
      mimeType: 'video/mp4',
      fileName: 'clip.mp4',
      uploadProtocol: 'TUS',
    });
    expect(Object.keys(answer).sort()).toEqual(['uploadProtocol', 'uploadToken', 'uploadUrl']);
    expect(answer.uploadProtocol).toBe('TUS');
    expect(answer.uploadUrl).toBe('http://media.test/upload/v1/tus');
    expect(answer.uploadToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // uploadProtocol may be left out; anything but TUS is a bad argument; the rest is checked as for plain.
    await tus.t.ok('POST', '/files/generate-resumable-upload-url', { mimeType: 'video/mp4' });
    expect(
      (
        await tus.t.api('POST', '/files/generate-resumable-upload-url', {
          mimeType: 'x',
          uploadProtocol: 'TUS',
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await tus.t.api('POST', '/files/generate-resumable-upload-url', {
          mimeType: 'video/mp4',
          uploadProtocol: 'FTP',
        })
      ).statusCode,
    ).toBe(400);
    // It needs the API key, like every /site-media/v1 call.
    const anonymous = await tus.t.app.inject({
      method: 'POST',
      url: '/site-media/v1/files/generate-resumable-upload-url',
      payload: { mimeType: 'video/mp4' },
    });
    expectAppError(anonymous, 401, 'UNAUTHENTICATED');
  });

  it('OPTIONS answers Tus-Version, the extensions, the max size and CORS, without a key', async () => {
    for (const url of ['/upload/v1/tus', '/upload/v1/tus/abc', '/upload/v1/some-token']) {
      const response = await fetch(`${tus.base}${url}`, {
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
    const { uploadUrl, uploadToken } = await tus.generate({
      mimeType: 'application/octet-stream',
      fileName: 'data.bin',
    });
    const url = await tus.created(uploadUrl, content.length, { token: uploadToken, filename: 'ignored.bin' });
    expect(url).toMatch(new RegExp(`^${tus.base}/upload/v1/tus/[0-9a-f]{32}$`));

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
    expect(sha256Hex(await tus.served(file))).toBe(sha256Hex(content));
    // The tus upload's own files are gone once the bytes are in the blob store.
    expect(await tusFiles(tus.t)).toEqual([]);
    expect(await tempBlobs(tus.t)).toEqual([]);
    expect(await storedBlobs(tus.t)).toHaveLength(1);
    expect((await head(url)).status).toBe(404);
  });

  it('takes the name from ?filename= on finalize, else from the metadata; keeps folder, labels, private, filePath', async () => {
    const folder = await tus.t.createFolder('Videos');
    const content = patterned(5000);
    const a = await tus.generate({
      mimeType: 'video/mp4',
      parentFolderId: folder.id,
      labels: ['raw'],
      private: true,
      filePath: '/2024/june',
    });
    const urlA = await tus.created(a.uploadUrl, content.length, {
      token: a.uploadToken,
      filename: 'from-metadata.mp4',
    });
    expect((await patch(urlA, 0, content)).status).toBe(204);
    const fileA = await fileOf(await finalize(a.uploadUrl, a.uploadToken, '?filename=from-query.mp4'));
    expect(fileA.displayName).toBe('from-query.mp4');
    expect(fileA.labels).toEqual(['raw']);
    expect(fileA.private).toBe(true);
    expect(fileA.mediaType).toBe('VIDEO');
    const june = await tus.t.ok<{ folder: { displayName: string; parentFolderId: string } }>(
      'GET',
      `/folders/${fileA.parentFolderId}`,
    );
    expect(june.folder.displayName).toBe('june');

    const b = await tus.generate({ mimeType: 'video/mp4' });
    const urlB = await tus.created(b.uploadUrl, content.length, {
      token: b.uploadToken,
      filename: 'from-metadata.mp4',
    });
    expect((await patch(urlB, 0, content)).status).toBe(204);
    expect((await fileOf(await finalize(b.uploadUrl, b.uploadToken))).displayName).toBe('from-metadata.mp4');

    // No name anywhere: 400 naming filename, and the token is given back so the client can retry with one.
    const c = await tus.generate({ mimeType: 'video/mp4' });
    const urlC = await tus.created(c.uploadUrl, content.length, { token: c.uploadToken });
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
    const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'audio/wav', fileName: 'take.wav' });
    const url = await tusClientUpload(content, {
      endpoint: uploadUrl,
      metadata: { token: uploadToken, filename: 'take.wav', contentType: 'audio/wav' },
      chunkSize: 64 * 1024,
      uploadDataDuringCreation: true,
    });
    expect(url.startsWith(`${tus.base}/upload/v1/tus/`)).toBe(true);
    const file = await fileOf(await finalize(uploadUrl, uploadToken));
    expect(file.hash).toBe(sha256Hex(content));
    expect(file.sizeInBytes).toBe('300000');
    expect(file.mediaType).toBe('AUDIO');
  });
});
