// Import from URL: imports that fail keep the file as FAILED with the reason, and leave no bytes behind.
import { describe, expect, it } from 'vitest';
import type { FileDescriptor } from '../../contract/index.ts';
import { expectAppError, storedBlobs, tempBlobs } from '../testing/helpers.ts';
import {
  hits,
  importFile,
  MAX,
  origin,
  served,
  settled,
  setup,
  t,
  useImportSource,
} from '../testing/imports.ts';

useImportSource();

describe('import from URL', () => {
  describe('FAILED, with the file kept and the reason given', () => {
    it('a 404 source fails at once (no retry)', async () => {
      await setup();
      hits.delete('/missing');
      const file = await settled((await importFile({ url: `${origin}/missing` })).id);
      expect(file.operationStatus).toBe('FAILED');
      expect(file.failureReason).toBe('The source answered HTTP 404');
      expect(hits.get('/missing')).toBe(1);
      // Kept, listed, and without bytes.
      const listed = await t.ok<{ files: FileDescriptor[] }>('GET', '/files');
      expect(listed.files.map((f) => f.id)).toContain(file.id);
      expectAppError(await served(file), 404, 'RESOURCE_NOT_FOUND');
    });

    it('a 500 source is retried with back-off, then fails', async () => {
      await setup();
      hits.delete('/error');
      const file = await settled((await importFile({ url: `${origin}/error` })).id);
      expect(file.operationStatus).toBe('FAILED');
      expect(file.failureReason).toBe('The source answered HTTP 500');
      expect(hits.get('/error')).toBe(3);
    });

    it('too big: a Content-Length over the limit, or a stream that passes it', async () => {
      await setup();
      for (const path of ['/big', '/big-chunked']) {
        const file = await settled((await importFile({ url: `${origin}${path}` })).id);
        expect(file.operationStatus, path).toBe('FAILED');
        expect(file.failureReason, path).toBe(`Files may be at most ${MAX} bytes`);
      }
      expect(await storedBlobs(t)).toEqual([]);
      expect(await tempBlobs(t)).toEqual([]);
      expect(await t.store.usage.usageBytes()).toBe(0);
    });

    it('leaves no bytes behind: an empty body, a stalled or cut transfer', async () => {
      await setup();
      for (const path of ['/empty', '/empty-chunked', '/stall', '/cut']) {
        const file = await settled((await importFile({ url: `${origin}${path}` })).id);
        expect(file.operationStatus, path).toBe('FAILED');
        expect(file.sizeInBytes, path).toBe('0');
      }
      expect(await storedBlobs(t)).toEqual([]);
      expect(await tempBlobs(t)).toEqual([]);
      expect(await t.store.usage.usageBytes()).toBe(0);
    });

    it('a source that does not answer times out', async () => {
      await setup();
      const file = await settled((await importFile({ url: `${origin}/slow` })).id);
      expect(file.operationStatus).toBe('FAILED');
      expect(file.failureReason).toMatch(/did not answer within 0.3 s/);
    });

    it('content that contradicts the type (the response says PNG, the bytes are a PDF)', async () => {
      await setup();
      const file = await settled((await importFile({ url: `${origin}/fake.png` })).id);
      expect(file.operationStatus).toBe('FAILED');
      expect(file.failureReason).toMatch(/PDF document/);
      expect(await storedBlobs(t)).toEqual([]);
    });

    it('a type ALLOWED_MIME_TYPES refuses: at once when given, after the fetch when the response says so', async () => {
      await setup({ allowedMimeTypes: ['image/*'] });
      expectAppError(
        await t.api('POST', '/files/import', { url: `${origin}/data`, mimeType: 'application/zip' }),
        400,
        'UNSUPPORTED_FILE_FORMAT',
      );
      const file = await settled((await importFile({ url: `${origin}/data` })).id);
      expect(file.operationStatus).toBe('FAILED');
      expect(file.failureReason).toMatch(/application\/x-custom are not accepted/);
    });

    it('refuses at once when the quota is used up', async () => {
      await setup({ siteQuotaBytes: 10 });
      await t.upload(Buffer.alloc(10, 'q'), { fileName: 'q.txt' });
      expectAppError(
        await t.api('POST', '/files/import', { url: `${origin}/data` }),
        409,
        'SITE_QUOTA_EXCEEDED',
      );
    });
  });
});
