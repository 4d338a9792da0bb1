// Import from URL (files/import): the fetch itself, its bytes, type, parameters, redirects, and durability.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FileDescriptor } from '../../contract/index.ts';
import { buildApp } from '../app.ts';
import { expectAppError, expectViolation, PNG_1X1, sha256Hex, waitFor } from '../testing/helpers.ts';
import {
  BIG,
  hits,
  importFile,
  MAX,
  origin,
  releaseGate,
  resetGate,
  served,
  settled,
  setup,
  t,
  useImportSource,
} from '../testing/imports.ts';
import { TEST_API_KEY } from '../testing/test-app.ts';

useImportSource();

describe('import from URL', () => {
  it('answers the file PENDING at once, then fetches it: READY with identical bytes', async () => {
    await setup();
    const url = `${origin}/photos/sunset%20beach.png`;
    const pending = await importFile({ url });
    expect(pending.operationStatus).toBe('PENDING');
    expect(pending.sourceUrl).toBe(url);
    expect(pending.displayName).toBe('sunset beach.png');
    expect(pending.mediaType).toBe('IMAGE');
    expect(pending.parentFolderId).toBe('media-root');
    expect(pending.id).toMatch(/^[0-9a-f]{32}\.png$/);

    const file = await settled(pending.id);
    expect(file.operationStatus).toBe('READY');
    expect(file.failureReason ?? null).toBeNull();
    expect(file.mimeType).toBe('image/png');
    expect(file.sizeInBytes).toBe(String(PNG_1X1.length));
    expect(file.hash).toBe(sha256Hex(PNG_1X1));
    expect(file.sourceUrl).toBe(url);
    const bytes = await served(file);
    expect(bytes.statusCode).toBe(200);
    expect(sha256Hex(bytes.rawPayload)).toBe(sha256Hex(PNG_1X1));
    expect(await t.store.usage.usageBytes()).toBe(PNG_1X1.length);
  });

  it('streams a chunked body; the MIME type comes from Content-Type, or from the request when given', async () => {
    await setup();
    const fromResponse = await settled((await importFile({ url: `${origin}/data` })).id);
    expect(fromResponse.operationStatus).toBe('READY');
    expect(fromResponse.mimeType).toBe('application/x-custom');
    expect(fromResponse.hash).toBe(sha256Hex(BIG.subarray(0, MAX - 10_000)));
    expect(sha256Hex((await served(fromResponse)).rawPayload)).toBe(fromResponse.hash);

    const folder = await t.createFolder('Imports');
    const given = await importFile({
      url: `${origin}/data`,
      mimeType: 'application/octet-stream',
      displayName: 'named.bin',
      parentFolderId: folder.id,
      filePath: '/2024',
      labels: ['imported'],
      private: true,
      mediaType: 'DOCUMENT',
      externalInfo: { origin: 'test', externalIds: ['x1'] },
    });
    expect(given.displayName).toBe('named.bin');
    expect(given.private).toBe(true);
    expect(given.labels).toEqual(['imported']);
    expect(given.mediaType).toBe('DOCUMENT');
    const done = await settled(given.id);
    expect(done.operationStatus).toBe('READY');
    expect(done.mimeType).toBe('application/octet-stream');
    expect(done.mediaType).toBe('DOCUMENT');
    const parent = await t.ok<{ folder: { displayName: string; parentFolderId: string } }>(
      'GET',
      `/folders/${done.parentFolderId}`,
    );
    expect(parent.folder).toMatchObject({ displayName: '2024', parentFolderId: folder.id });
  });

  it('sends urlParams and urlHeaders with the fetch', async () => {
    await setup();
    const file = await settled(
      (
        await importFile({
          url: `${origin}/echo?a=1`,
          urlParams: { b: 'two', c: 3 },
          urlHeaders: { 'X-Source-Key': 'secret' },
        })
      ).id,
    );
    expect(file.sourceUrl).toBe(`${origin}/echo?a=1&b=two&c=3`);
    expect(JSON.parse((await served(file)).body)).toEqual({ query: '?a=1&b=two&c=3', header: 'secret' });
    expectViolation(
      await t.api('POST', '/files/import', { url: `${origin}/echo`, urlHeaders: { Host: 'evil' } }),
      'urlHeaders.Host',
    );
  });

  it('a PENDING file has no bytes yet: its url answers 404 until the import is done', async () => {
    await setup();
    resetGate();
    const pending = await importFile({ url: `${origin}/gate`, mimeType: 'image/png' });
    await waitFor(() => (hits.get('/gate') ?? 0) > 0, 'the fetch to start');
    expectAppError(await served(pending), 404, 'RESOURCE_NOT_FOUND');
    releaseGate();
    const file = await settled(pending.id);
    expect(file.operationStatus).toBe('READY');
    expect((await served(file)).statusCode).toBe(200);
  });

  it('follows up to 5 redirects, and fails after more', async () => {
    await setup();
    expect((await settled((await importFile({ url: `${origin}/hops/5` })).id)).operationStatus).toBe('READY');
    const tooMany = await settled((await importFile({ url: `${origin}/hops/6` })).id);
    expect(tooMany.operationStatus).toBe('FAILED');
    expect(tooMany.failureReason).toMatch(/Too many redirects/);
  });

  it('the job is durable: an import queued before a restart is done after it', async () => {
    await setup();
    await t.jobs.stop();
    const pending = await importFile({ url: `${origin}/photos/sunset%20beach.png` });
    await t.app.close();

    const again = await buildApp(t.config);
    try {
      await waitFor(async () => {
        const response = await again.app.inject({
          method: 'GET',
          url: `/site-media/v1/files/get-file-by-id?fileId=${encodeURIComponent(pending.id)}`,
          headers: { authorization: TEST_API_KEY },
        });
        return response.json<{ file: FileDescriptor }>().file.operationStatus === 'READY';
      }, 'the import to finish after the restart');
    } finally {
      await again.app.close();
    }
    expect(fs.existsSync(t.dataDir)).toBe(true);
  });
});
