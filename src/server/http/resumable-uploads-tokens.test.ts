import { describe, expect, it, vi } from 'vitest';
import { expectFetchError, patterned, rebase, storedBlobs, tusFiles, waitFor } from '../testing/helpers.ts';
import { useTusApp, create, patch, head, finalize, fileOf, TUS } from '../testing/tus.ts';

// Resumable uploads (tus 1.0.0): upload tokens, and the expiry of uploads never finalized.

describe('resumable uploads (tus 1.0.0)', () => {
  const tus = useTusApp();

  describe('tokens', () => {
    it('a token creates one upload and finalizes once (a repeated finalize answers the same file)', async () => {
      const content = patterned(1000);
      const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'text/plain', fileName: 'once.txt' });
      const url = await tus.created(uploadUrl, content.length, { token: uploadToken });
      // A second upload with the same token is refused, whatever its size.
      await expectFetchError(
        await create(uploadUrl, content.length, { token: uploadToken }),
        403,
        'PERMISSION_DENIED',
      );
      expect((await patch(url, 0, content)).status).toBe(204);
      const file = await fileOf(await finalize(uploadUrl, uploadToken));
      expect((await fileOf(await finalize(uploadUrl, uploadToken))).id).toBe(file.id);
      expect(await storedBlobs(tus.t)).toHaveLength(1);
      await expectFetchError(
        await create(uploadUrl, content.length, { token: uploadToken }),
        403,
        'PERMISSION_DENIED',
      );
    });

    it('refuses uploads without a token, with an unknown one, or with a plain upload token', async () => {
      const { uploadUrl } = await tus.generate({ mimeType: 'text/plain' });
      await expectFetchError(await create(uploadUrl, 10, { filename: 'x.txt' }), 401, 'UNAUTHENTICATED');
      await expectFetchError(
        await create(uploadUrl, 10, { token: 'x'.repeat(43) }),
        403,
        'PERMISSION_DENIED',
      );
      const plain = await tus.t.ok<{ uploadUrl: string }>('POST', '/files/generate-upload-url', {
        mimeType: 'text/plain',
      });
      const plainToken = plain.uploadUrl.split('/').at(-1)!;
      await expectFetchError(await create(uploadUrl, 10, { token: plainToken }), 403, 'PERMISSION_DENIED');
      expect(await tusFiles(tus.t)).toEqual([]);
      // ...and the plain token still works for what it was made for.
      const put = await fetch(rebase(plain.uploadUrl, tus.base) + '?filename=p.txt', {
        method: 'PUT',
        body: 'plain',
      });
      expect(put.status).toBe(200);
    });

    it('a resumable token does not work for a plain PUT (and stays usable for tus)', async () => {
      const { uploadUrl, uploadToken } = await tus.generate({
        mimeType: 'text/plain',
        fileName: 't.txt',
      });
      const put = await fetch(`${tus.base}/upload/v1/${uploadToken}`, { method: 'PUT', body: 'bytes' });
      await expectFetchError(put, 403, 'PERMISSION_DENIED');
      const url = await tus.created(uploadUrl, 5, { token: uploadToken });
      expect((await patch(url, 0, Buffer.from('bytes'))).status).toBe(204);
      expect((await fileOf(await finalize(uploadUrl, uploadToken))).sizeInBytes).toBe('5');
    });

    it('finalize refuses a token no upload was created with, and an incomplete upload (409, retryable)', async () => {
      const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'text/plain', fileName: 'half.txt' });
      await expectFetchError(await finalize(uploadUrl, uploadToken), 403, 'PERMISSION_DENIED');
      await expectFetchError(await finalize(uploadUrl, 'not-a-token'), 403, 'PERMISSION_DENIED');
      const url = await tus.created(uploadUrl, 10, { token: uploadToken });
      expect((await patch(url, 0, Buffer.from('12345'))).status).toBe(204);
      await expectFetchError(await finalize(uploadUrl, uploadToken), 409, 'FAILED_PRECONDITION');
      expect((await patch(url, 5, Buffer.from('67890'))).status).toBe(204);
      expect((await fileOf(await finalize(uploadUrl, uploadToken))).sizeInBytes).toBe('10');
    });

    it('an unused token expires (UPLOAD_URL_TTL_MINUTES)', async () => {
      const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'text/plain' });
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 61 * 60_000);
      await expectFetchError(await create(uploadUrl, 10, { token: uploadToken }), 403, 'PERMISSION_DENIED');
    });

    it('termination (DELETE) removes the upload and its token', async () => {
      const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'text/plain', fileName: 'gone.txt' });
      const url = await tus.created(uploadUrl, 10, { token: uploadToken });
      expect((await patch(url, 0, Buffer.from('12345'))).status).toBe(204);
      const deleted = await fetch(url, { method: 'DELETE', headers: TUS });
      expect(deleted.status).toBe(204);
      expect(await tusFiles(tus.t)).toEqual([]);
      expect((await head(url)).status).toBe(404);
      await waitFor(async () => (await finalize(uploadUrl, uploadToken)).status === 403, 'the token to go');
    });
  });

  it('an upload never finalized expires: HEAD answers 410, cleanup removes its bytes, the token is dead', async () => {
    const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'text/plain', fileName: 'late.txt' });
    const url = await tus.created(uploadUrl, 20, { token: uploadToken });
    expect((await patch(url, 0, Buffer.from('0123456789'))).status).toBe(204);
    expect(await tusFiles(tus.t)).toHaveLength(2);

    // Nothing expires early.
    expect(await tus.t.resumable.cleanupExpired()).toBe(0);
    expect(await tusFiles(tus.t)).toHaveLength(2);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 24 * 3600_000 + 60_000);
    expect((await head(url)).status).toBe(410);
    expect(await tus.t.resumable.cleanupExpired()).toBe(1);
    expect(await tusFiles(tus.t)).toEqual([]);
    await expectFetchError(await finalize(uploadUrl, uploadToken), 403, 'PERMISSION_DENIED');
  });

  it('a complete upload never finalized expires too, leaving nothing of it', async () => {
    const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'text/plain', fileName: 'done.txt' });
    const url = await tus.created(uploadUrl, 10, { token: uploadToken });
    expect((await patch(url, 0, Buffer.from('0123456789'))).status).toBe(204);
    expect(await tusFiles(tus.t)).not.toEqual([]);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 24 * 3600_000 + 60_000);
    expect(await tus.t.resumable.cleanupExpired()).toBe(1);
    expect(await tusFiles(tus.t)).toEqual([]);
    await expectFetchError(await finalize(uploadUrl, uploadToken), 403, 'PERMISSION_DENIED');
  });

  it('uses RESUMABLE_UPLOAD_TTL_MINUTES for the expiry', async () => {
    await tus.t.close();
    await tus.setup({ resumableUploadTtlMinutes: 5 });
    const { uploadUrl, uploadToken } = await tus.generate({ mimeType: 'text/plain' });
    const response = await create(uploadUrl, 20, { token: uploadToken });
    const expires = Date.parse(response.headers.get('upload-expires')!);
    expect(expires - Date.now()).toBeLessThanOrEqual(5 * 60_000 + 1000);
    expect(expires - Date.now()).toBeGreaterThan(4 * 60_000);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6 * 60_000);
    expect(await tus.t.resumable.cleanupExpired()).toBe(1);
    expect(await tusFiles(tus.t)).toEqual([]);
  });
});
