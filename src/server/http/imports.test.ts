import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BulkImportFileResponse, FileDescriptor } from '../../contract/index.ts';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { blockedAddress, hostAllowed } from '../services/safe-fetch.ts';
import {
  expectAppError,
  expectViolation,
  patterned,
  PDF_BYTES,
  PNG_1X1,
  sha256Hex,
  storedBlobs,
  tempBlobs,
  waitFor,
} from '../testing/helpers.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';

// ---- the source: a local HTTP server playing the remote site ---------------------------------------------

const BIG = patterned(300_000, 101);
const MAX = 100_000;
const hits = new Map<string, number>();
let releaseGate: () => void = () => {};
let gate = new Promise<void>((resolve) => (releaseGate = resolve));
let source: http.Server;
let sourcePort = 0;
let origin = '';

function handle(request: http.IncomingMessage, response: http.ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://source');
  hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
  const hop = /^\/hops\/(\d+)$/.exec(url.pathname);
  if (hop) {
    const left = Number(hop[1]);
    if (left === 0) {
      response.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG_1X1);
    } else {
      response.writeHead(302, { Location: `/hops/${left - 1}` }).end();
    }
    return;
  }
  switch (url.pathname) {
    case '/photos/sunset%20beach.png':
      response.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': PNG_1X1.length }).end(PNG_1X1);
      return;
    case '/data': {
      // Chunked: no Content-Length, so only the stream tells the size.
      response.writeHead(200, { 'Content-Type': 'application/x-custom; charset=binary' });
      for (let i = 0; i < MAX - 10_000; i += 10_000) response.write(BIG.subarray(i, i + 10_000));
      response.end();
      return;
    }
    case '/missing':
      response.writeHead(404).end('not here');
      return;
    case '/error':
      response.writeHead(500).end('broken');
      return;
    case '/big':
      response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': BIG.length });
      response.end(BIG);
      return;
    case '/big-chunked':
      response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      for (let i = 0; i < BIG.length; i += 10_000) response.write(BIG.subarray(i, i + 10_000));
      response.end();
      return;
    case '/empty':
      response.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': 0 }).end();
      return;
    case '/empty-chunked':
      response.writeHead(200, { 'Content-Type': 'image/png' }).end();
      return;
    case '/stall':
      // Answers, then sends nothing: the silence timeout must end it.
      response.writeHead(200, { 'Content-Type': 'image/png' });
      response.flushHeaders();
      return;
    case '/cut':
      response.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': 1000 });
      response.flushHeaders();
      setTimeout(() => response.destroy(), 20);
      return;
    case '/slow':
      // Never answers: the import's timeout must end it.
      return;
    case '/gate':
      void gate.then(() => response.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG_1X1));
      return;
    case '/fake.png':
      response.writeHead(200, { 'Content-Type': 'image/png' }).end(PDF_BYTES);
      return;
    case '/redirect':
      response.writeHead(302, { Location: url.searchParams.get('to') ?? '/' }).end();
      return;
    case '/echo':
      response
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ query: url.search, header: request.headers['x-source-key'] ?? null }));
      return;
    default:
      response.writeHead(404).end();
  }
}

beforeAll(async () => {
  source = http.createServer(handle);
  await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
  sourcePort = (source.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${sourcePort}`;
});

afterAll(async () => {
  source.closeAllConnections();
  await new Promise((resolve) => source.close(resolve));
});

// ---- the server under test --------------------------------------------------------------------------------

let t: TestApp;

async function setup(overrides: Partial<Config> = {}) {
  t = await createTestApp({
    importAllowHosts: [`127.0.0.1:${sourcePort}`],
    importTimeoutMs: 300,
    jobRetryBaseMs: 5,
    jobPollMs: 20,
    maxFileSizeBytes: MAX,
    ...overrides,
  });
}

afterEach(async () => {
  await t.close();
});

async function importFile(body: Record<string, unknown>): Promise<FileDescriptor> {
  return (await t.ok<{ file: FileDescriptor }>('POST', '/files/import', body)).file;
}

async function getFile(id: string): Promise<FileDescriptor> {
  return (
    await t.ok<{ file: FileDescriptor }>('GET', `/files/get-file-by-id?fileId=${encodeURIComponent(id)}`)
  ).file;
}

/** Waits until the import is no longer PENDING and answers the file. */
async function settled(id: string): Promise<FileDescriptor> {
  let file = await getFile(id);
  await waitFor(async () => {
    file = await getFile(id);
    return file.operationStatus !== 'PENDING';
  }, `import ${id} to settle`);
  return file;
}

async function served(file: FileDescriptor) {
  return t.app.inject({ method: 'GET', url: new URL(file.url).pathname });
}

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
    gate = new Promise<void>((resolve) => (releaseGate = resolve));
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

  describe('SSRF', () => {
    const refusedAtOnce = [
      'http://127.0.0.1/',
      'http://127.1.2.3:8080/x',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.5/',
      'http://172.16.3.4/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://224.0.0.1/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[fe80::1]/',
      'http://[fd00:ec2::254]/',
      'http://[::]/',
      'ftp://example.com/file',
      'file:///etc/passwd',
      'http://user:password@example.com/',
      'not a url',
    ];
    it.each(refusedAtOnce)('refuses %s before anything is fetched (400 on url)', async (url) => {
      await setup({ importAllowHosts: [] });
      expectViolation(await t.api('POST', '/files/import', { url }), 'url');
    });

    it('refuses the test source itself without the allow-list', async () => {
      await setup({ importAllowHosts: [] });
      hits.delete('/photos/sunset%20beach.png');
      expectViolation(
        await t.api('POST', '/files/import', { url: `${origin}/photos/sunset%20beach.png` }),
        'url',
      );
      expect(hits.get('/photos/sunset%20beach.png')).toBeUndefined();
    });

    it('an allow-list entry with a port allows that port only', async () => {
      await setup();
      expectViolation(
        await t.api('POST', '/files/import', { url: `http://127.0.0.1:${sourcePort + 1}/` }),
        'url',
      );
    });

    it('checks names after DNS resolution: localhost resolves to loopback and is refused', async () => {
      await setup();
      const file = await settled(
        (await importFile({ url: `http://localhost:${sourcePort}/photos/x.png` })).id,
      );
      expect(file.operationStatus).toBe('FAILED');
      expect(file.failureReason).toMatch(/localhost resolves to .* which is not a public address/);
    });

    it('checks every redirect hop: to metadata, private and loopback addresses', async () => {
      await setup();
      for (const to of [
        'http://169.254.169.254/latest/meta-data/',
        'http://10.1.2.3/',
        'http://[::1]/',
        `http://localhost:${sourcePort}/photos/sunset%20beach.png`,
        'gopher://example.com/',
      ]) {
        const file = await settled(
          (await importFile({ url: `${origin}/redirect?to=${encodeURIComponent(to)}` })).id,
        );
        expect(file.operationStatus, to).toBe('FAILED');
        expect(file.failureReason, to).toMatch(/not a public address|Only http and https/);
      }
    });

    it('classifies addresses', () => {
      for (const address of [
        '127.0.0.1',
        '10.255.0.1',
        '172.31.255.255',
        '192.168.0.1',
        '169.254.169.254',
        '100.100.100.200',
        '0.0.0.0',
        '255.255.255.255',
        '239.1.1.1',
        '198.18.0.1',
        '::1',
        '::',
        '::ffff:8.8.8.8',
        'fc00::1',
        'fd12:3456::1',
        'fe80::1',
        'fe80::1%eth0',
        'ff02::1',
        '64:ff9b::a00:1',
        '2002:a00:1::',
        'not-an-ip',
      ]) {
        expect(blockedAddress(address), address).toBe(true);
      }
      for (const address of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '2606:4700:4700::1111']) {
        expect(blockedAddress(address), address).toBe(false);
      }
    });

    it('matches allow-list entries by host, or host and port', () => {
      const allow = ['127.0.0.1:8081', 'media.internal', '[::1]:9000', 'fd00::5'];
      expect(hostAllowed(new URL('http://127.0.0.1:8081/x'), allow)).toBe(true);
      expect(hostAllowed(new URL('http://127.0.0.1:8082/x'), allow)).toBe(false);
      expect(hostAllowed(new URL('http://127.0.0.1/x'), allow)).toBe(false);
      expect(hostAllowed(new URL('https://MEDIA.internal/x'), allow)).toBe(true);
      expect(hostAllowed(new URL('http://media.internal:1234/x'), allow)).toBe(true);
      expect(hostAllowed(new URL('http://[::1]:9000/'), allow)).toBe(true);
      expect(hostAllowed(new URL('http://[::1]:9001/'), allow)).toBe(false);
      expect(hostAllowed(new URL('http://[fd00::5]:77/'), allow)).toBe(true);
    });
  });

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
