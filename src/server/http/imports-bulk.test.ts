// Import from URL in bulk (bulk/files/import and import-v2).
import { describe, expect, it } from 'vitest';
import type { BulkImportFileResponse, FileDescriptor } from '../../contract/index.ts';
import { expectViolation } from '../testing/helpers.ts';
import { origin, settled, setup, t, useImportSource } from '../testing/imports.ts';

useImportSource();

describe('import from URL', () => {
  describe('bulk', () => {
    it('bulk/files/import-v2 reports each request: successes, failures with reasons, totals', async () => {
      await setup();
      const response = await t.ok<BulkImportFileResponse>('POST', '/bulk/files/import-v2', {
        importFileRequests: [
          { url: `${origin}/photos/sunset%20beach.png` },
          { url: 'ftp://example.com/x' },
          { url: 'http://169.254.169.254/' },
          { url: `${origin}/data`, parentFolderId: 'no-such-folder' },
          { url: `${origin}/data`, labels: 'not-an-array' },
          { url: `${origin}/data`, displayName: 'second.bin' },
        ],
      });
      expect(response.bulkActionMetadata).toEqual({
        totalSuccesses: 2,
        totalFailures: 4,
        undetailedFailures: 0,
      });
      expect(response.results.map((r) => r.itemMetadata.originalIndex)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(response.results.map((r) => r.itemMetadata.success)).toEqual([
        true,
        false,
        false,
        false,
        false,
        true,
      ]);
      const [first, scheme, metadata, folder, labels, last] = response.results;
      expect(first!.itemMetadata.id).toBe(first!.item!.id);
      expect(first!.itemMetadata.error).toBeNull();
      expect(first!.item!.operationStatus).toBe('PENDING');
      expect(scheme!.itemMetadata.error!.code).toBe('INVALID_ARGUMENT');
      expect(scheme!.item).toBeUndefined();
      expect(JSON.stringify(scheme!.itemMetadata.error!.data)).toContain('importFileRequests[1].url');
      expect(metadata!.itemMetadata.error!.code).toBe('INVALID_ARGUMENT');
      expect(folder!.itemMetadata.error!.code).toBe('RESOURCE_NOT_FOUND');
      expect(JSON.stringify(labels!.itemMetadata.error!.data)).toContain('importFileRequests[4].labels');
      expect(last!.item!.displayName).toBe('second.bin');
      for (const result of [first!, last!]) {
        expect((await settled(result.itemMetadata.id!)).operationStatus).toBe('READY');
      }
    });

    it('returnEntity: false leaves the items out', async () => {
      await setup();
      const response = await t.ok<BulkImportFileResponse>('POST', '/bulk/files/import-v2', {
        importFileRequests: [{ url: `${origin}/data` }],
        returnEntity: false,
      });
      expect(response.results[0]!.item).toBeUndefined();
      expect(response.results[0]!.itemMetadata.success).toBe(true);
      expect(response.results[0]!.itemMetadata.id).toMatch(/^[0-9a-f]{32}$/);
    });

    it('bounds the number of requests (1..100)', async () => {
      await setup();
      expectViolation(
        await t.api('POST', '/bulk/files/import-v2', { importFileRequests: [] }),
        'importFileRequests',
      );
      const many = Array.from({ length: 101 }, () => ({ url: `${origin}/data` }));
      expectViolation(
        await t.api('POST', '/bulk/files/import-v2', { importFileRequests: many }),
        'importFileRequests',
      );
    });

    it('bulk/files/import answers {files}, all or nothing', async () => {
      await setup();
      const response = await t.ok<{ files: FileDescriptor[] }>('POST', '/bulk/files/import', {
        importFileRequests: [{ url: `${origin}/data` }, { url: `${origin}/photos/sunset%20beach.png` }],
      });
      expect(response.files.map((f) => f.operationStatus)).toEqual(['PENDING', 'PENDING']);
      for (const file of response.files) expect((await settled(file.id)).operationStatus).toBe('READY');

      const refused = await t.api('POST', '/bulk/files/import', {
        importFileRequests: [{ url: `${origin}/data` }, { url: 'http://10.0.0.1/' }],
      });
      expectViolation(refused, 'importFileRequests[1].url');
      expect((await t.ok<{ files: FileDescriptor[] }>('GET', '/files')).files).toHaveLength(2);
    });
  });
});
