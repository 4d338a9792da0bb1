import { describe, expect, it } from 'vitest';
import {
  expectFetchError,
  patterned,
  PDF_BYTES,
  PNG_1X1,
  sha256Hex,
  storedBlobs,
  tusFiles,
} from '../testing/helpers.ts';
import { useTusApp, create, patch, head, finalize, fileOf, metadataHeader, TUS } from '../testing/tus.ts';

// Resumable uploads (tus 1.0.0): size, quota and type limits, checked before and while the bytes arrive.

describe('resumable uploads (tus 1.0.0)', () => {
  const tus = useTusApp();

  describe('limits', () => {
    it('refuses an Upload-Length over MAX_FILE_SIZE_BYTES (413), or 0 (ZERO_FILE_SIZE), before any byte', async () => {
      await tus.t.close();
      await tus.setup({ maxFileSizeBytes: 1000 });
      const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'text/plain' });
      await expectFetchError(
        await create(uploadUrl, 1001, { token: uploadToken }),
        413,
        'FILE_SIZE_OVER_LIMIT',
      );
      await expectFetchError(await create(uploadUrl, 0, { token: uploadToken }), 400, 'ZERO_FILE_SIZE');
      expect(await tusFiles(tus.t)).toEqual([]);
      // The token is still good for a length within the limit.
      await tus.created(uploadUrl, 1000, { token: uploadToken });
    });

    it('refuses an Upload-Length other than the sizeInBytes the URL was made for', async () => {
      const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'text/plain', sizeInBytes: 100 });
      const response = await create(uploadUrl, 200, { token: uploadToken });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('sizeInBytes');
    });

    it('refuses an upload the quota cannot hold (SITE_QUOTA_EXCEEDED)', async () => {
      await tus.t.close();
      await tus.setup({ siteQuotaBytes: 1000 });
      await tus.t.upload(Buffer.from('x'.repeat(600)), { fileName: 'first.txt' });
      const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'text/plain' });
      await expectFetchError(
        await create(uploadUrl, 401, { token: uploadToken }),
        409,
        'SITE_QUOTA_EXCEEDED',
      );
      await tus.created(uploadUrl, 400, { token: uploadToken });
    });

    it('refuses the deferred length extension (limits need the length up front)', async () => {
      const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'text/plain' });
      const response = await fetch(uploadUrl, {
        method: 'POST',
        headers: {
          ...TUS,
          'Upload-Defer-Length': '1',
          'Upload-Metadata': metadataHeader({ token: uploadToken }),
        },
      });
      await expectFetchError(response, 501, 'INVALID_ARGUMENT');
      expect(await tusFiles(tus.t)).toEqual([]);
    });

    it('refuses a contentType in the metadata that ALLOWED_MIME_TYPES does not allow', async () => {
      await tus.t.close();
      await tus.setup({ allowedMimeTypes: ['text/*'] });
      const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'text/plain' });
      await expectFetchError(
        await create(uploadUrl, 10, { token: uploadToken, contentType: 'application/x-msdownload' }),
        400,
        'UNSUPPORTED_FILE_FORMAT',
      );
    });

    it('refuses bytes that contradict the declared type at the first PATCH, and removes the upload', async () => {
      const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'image/png', fileName: 'fake.png' });
      const url = await tus.created(uploadUrl, PDF_BYTES.length, { token: uploadToken });
      await expectFetchError(await patch(url, 0, PDF_BYTES), 400, 'MISMATCH_MIME_TYPE');
      expect(await tusFiles(tus.t)).toEqual([]);
      expect((await head(url)).status).toBe(404);
      await expectFetchError(await finalize(uploadUrl, uploadToken), 403, 'PERMISSION_DENIED');
      expect(await storedBlobs(tus.t)).toEqual([]);
    });

    it('checks the first bytes even when they come in tiny PATCHes', async () => {
      const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'image/png', fileName: 'fake.png' });
      const url = await tus.created(uploadUrl, PDF_BYTES.length, { token: uploadToken });
      expect((await patch(url, 0, PDF_BYTES.subarray(0, 3))).status).toBe(204);
      await expectFetchError(await patch(url, 3, PDF_BYTES.subarray(3)), 400, 'MISMATCH_MIME_TYPE');
      expect(await tusFiles(tus.t)).toEqual([]);
    });

    it('refuses a PATCH whose body (no Content-Length) runs past the upload length (413), keeping the bytes that fit', async () => {
      const content = patterned(300_000);
      const { uploadUrl, uploadToken } = await tus.generate({
        mimeType: 'application/octet-stream',
        fileName: 'long.bin',
      });
      const url = await tus.created(uploadUrl, content.length, { token: uploadToken });
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
      const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'image/png', fileName: 'dot.png' });
      const url = await tus.created(uploadUrl, PNG_1X1.length, { token: uploadToken });
      expect((await patch(url, 0, PNG_1X1)).status).toBe(204);
      const file = await fileOf(await finalize(uploadUrl, uploadToken));
      expect(file.mediaType).toBe('IMAGE');
      expect(file.hash).toBe(sha256Hex(PNG_1X1));
    });

    it('checks the quota again at finalize (bytes that arrived while other files took the space)', async () => {
      await tus.t.close();
      await tus.setup({ siteQuotaBytes: 1000 });
      const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'text/plain', fileName: 'late.txt' });
      const url = await tus.created(uploadUrl, 600, { token: uploadToken });
      expect((await patch(url, 0, Buffer.alloc(600, 'a'))).status).toBe(204);
      await tus.t.upload(Buffer.alloc(600, 'b'), { fileName: 'first.txt' });
      await expectFetchError(await finalize(uploadUrl, uploadToken), 409, 'SITE_QUOTA_EXCEEDED');
      // Freeing space lets the same upload finish.
      const files = await tus.t.ok<{ files: { id: string }[] }>('GET', '/files');
      await tus.t.ok('POST', '/bulk/files/delete', {
        fileIds: files.files.map((f) => f.id),
        permanent: true,
      });
      expect((await fileOf(await finalize(uploadUrl, uploadToken))).sizeInBytes).toBe('600');
    });
  });
});
