// Signed download URLs (generate-file-download-url): what they serve, ranges and HEAD, tampering and expiry.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CONTENT,
  downloadUrl,
  downloadUrls,
  expectUserContentHeaders,
  fetchUrl,
  withQuery,
} from '../testing/downloads.ts';
import { expectAppError, expectViolation } from '../testing/helpers.ts';
import type { ApplicationErrorBody, DownloadUrl, FileDescriptor } from '../../contract/index.ts';
import type { TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';

describe('signed file download URLs', () => {
  let t: TestApp;
  let file: FileDescriptor;
  useTestApp((app) => (t = app));

  beforeEach(async () => {
    file = (await t.upload(CONTENT, { fileName: 'report.txt', mimeType: 'text/plain' })) as FileDescriptor;
  });

  it('answers {downloadUrls: [{url, assetKey: "src"}]}', async () => {
    const response = await t.ok<Record<string, unknown>>('POST', '/files/generate-file-download-url', {
      fileId: file.id,
    });
    expect(Object.keys(response)).toEqual(['downloadUrls']);
    const urls = response.downloadUrls as DownloadUrl[];
    expect(urls).toEqual([{ url: expect.any(String) as string, assetKey: 'src' }]);
    expect(urls[0]!.url.startsWith('http://media.test/')).toBe(true);
    // assetKeys ["src"] explicitly is the same.
    expect((await downloadUrls(t, { fileId: file.id, assetKeys: ['src'] })).map((u) => u.assetKey)).toEqual([
      'src',
    ]);
  });

  it('serves the exact bytes as an attachment under the downloadFileName', async () => {
    const url = await downloadUrl(t, { fileId: file.id, downloadFileName: 'quarterly.txt' });
    const response = await fetchUrl(t, url);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(CONTENT)).toBe(true);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.headers['content-length']).toBe(String(CONTENT.length));
    const disposition = String(response.headers['content-disposition']);
    expect(disposition).toMatch(/^attachment/);
    expect(disposition).toContain('filename="quarterly.txt"');
    expectUserContentHeaders(response);
  });

  it('defaults the download name to the display name', async () => {
    const response = await fetchUrl(t, await downloadUrl(t, { fileId: file.id }));
    expect(response.statusCode).toBe(200);
    expect(String(response.headers['content-disposition'])).toBe('attachment; filename="report.txt"');
  });

  it('serves inline with contentDisposition INLINE', async () => {
    const url = await downloadUrl(t, {
      fileId: file.id,
      contentDisposition: 'INLINE',
      downloadFileName: 'view.txt',
    });
    const response = await fetchUrl(t, url);
    expect(response.statusCode).toBe(200);
    const disposition = String(response.headers['content-disposition']);
    expect(disposition).toMatch(/^inline/);
    expect(disposition).toContain('view.txt');
    expect(response.rawPayload.equals(CONTENT)).toBe(true);
  });

  it('encodes a non-Latin-1 download name (RFC 6266 filename*) and keeps the header ASCII', async () => {
    const name = '報告 "final".txt';
    const url = await downloadUrl(t, { fileId: file.id, downloadFileName: name });
    const response = await fetchUrl(t, url);
    expect(response.statusCode).toBe(200);
    const disposition = String(response.headers['content-disposition']);
    expect(disposition).toMatch(/^attachment/);
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
    expect(disposition).not.toMatch(/[^\x20-\x7e]/);
  });

  it('serves ranges: bytes=0-4, a suffix, an open end', async () => {
    const url = await downloadUrl(t, { fileId: file.id });

    const first = await fetchUrl(t, url, { headers: { range: 'bytes=0-4' } });
    expect(first.statusCode).toBe(206);
    expect(first.body).toBe('01234');
    expect(first.headers['content-range']).toBe(`bytes 0-4/${CONTENT.length}`);
    expect(first.headers['content-length']).toBe('5');

    const suffix = await fetchUrl(t, url, { headers: { range: 'bytes=-3' } });
    expect(suffix.statusCode).toBe(206);
    expect(suffix.body).toBe('hij');
    expect(suffix.headers['content-range']).toBe(`bytes 17-19/${CONTENT.length}`);

    const open = await fetchUrl(t, url, { headers: { range: 'bytes=15-' } });
    expect(open.statusCode).toBe(206);
    expect(open.body).toBe('fghij');
    expect(open.headers['content-range']).toBe(`bytes 15-19/${CONTENT.length}`);

    const middle = await fetchUrl(t, url, { headers: { range: 'bytes=10-12' } });
    expect(middle.body).toBe('abc');

    // An end past the last byte is clipped to it.
    const past = await fetchUrl(t, url, { headers: { range: 'bytes=18-1000' } });
    expect(past.statusCode).toBe(206);
    expect(past.body).toBe('ij');
  });

  it('answers 416 with Content-Range */size for an unsatisfiable range', async () => {
    const url = await downloadUrl(t, { fileId: file.id });
    const response = await fetchUrl(t, url, { headers: { range: 'bytes=100-200' } });
    expect(response.statusCode).toBe(416);
    expect(response.headers['content-range']).toBe(`bytes */${CONTENT.length}`);
  });

  it('ignores a malformed Range header and sends the whole file', async () => {
    const url = await downloadUrl(t, { fileId: file.id });
    const response = await fetchUrl(t, url, { headers: { range: 'pages=1-2' } });
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(CONTENT)).toBe(true);
  });

  // Guards HEAD of a download: no crash in Fastify's automatic HEAD route, and the real Content-Length.
  it('answers HEAD with the headers and no body', async () => {
    const url = await downloadUrl(t, { fileId: file.id });
    const response = await fetchUrl(t, url, { method: 'HEAD' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(response.headers['content-length']).toBe(String(CONTENT.length));
    expect(response.headers['accept-ranges']).toBe('bytes');
    expect(String(response.headers['content-disposition'])).toMatch(/^attachment/);
    expectUserContentHeaders(response);
  });

  // Guards HEAD with a Range header: 206 and Content-Range, no body.
  it('answers HEAD with a Range header with 206 and no body', async () => {
    const url = await downloadUrl(t, { fileId: file.id });
    const ranged = await fetchUrl(t, url, { method: 'HEAD', headers: { range: 'bytes=0-4' } });
    expect(ranged.statusCode).toBe(206);
    expect(ranged.body).toBe('');
    expect(ranged.headers['content-range']).toBe(`bytes 0-4/${CONTENT.length}`);
  });

  it('answers HEAD of a tampered URL with 403 (checked before anything is sent)', async () => {
    const url = await downloadUrl(t, { fileId: file.id });
    const response = await fetchUrl(t, withQuery(url, 'name', 'x.txt'), { method: 'HEAD' });
    expect(response.statusCode).toBe(403);
  });

  it('answers 304 to If-None-Match with the ETag', async () => {
    const url = await downloadUrl(t, { fileId: file.id });
    const first = await fetchUrl(t, url);
    const etag = first.headers.etag;
    expect(typeof etag).toBe('string');
    const again = await fetchUrl(t, url, { headers: { 'if-none-match': String(etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers 403 to a URL with any signed field changed', async () => {
    const other = (await t.upload('other bytes', { fileName: 'other.txt' })) as FileDescriptor;
    const url = await downloadUrl(t, { fileId: file.id });
    expect((await fetchUrl(t, url)).statusCode).toBe(200);
    const parsed = new URL(url);
    const exp = Number(parsed.searchParams.get('exp'));
    expect(Number.isSafeInteger(exp)).toBe(true);
    const sig = parsed.searchParams.get('sig')!;

    const tampered: Record<string, string> = {
      'exp + 1 day': withQuery(url, 'exp', String(exp + 86_400)),
      'exp - 1': withQuery(url, 'exp', String(exp - 1)),
      name: withQuery(url, 'name', 'evil.html'),
      'name removed': withQuery(url, 'name', undefined),
      asset: withQuery(url, 'asset', 'thumbnail'),
      disp: withQuery(url, 'disp', 'inline'),
      'redirect added': withQuery(url, 'redirect', 'https://evil.example/'),
      sig: withQuery(url, 'sig', `${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`),
      'sig removed': withQuery(url, 'sig', undefined),
      'sig empty': withQuery(url, 'sig', ''),
      fileId: url.replace(
        `/download/v1/${encodeURIComponent(file.id)}?`,
        `/download/v1/${encodeURIComponent(other.id)}?`,
      ),
      'repeated sig': `${url}&sig=${encodeURIComponent(sig)}`,
    };
    for (const [what, bad] of Object.entries(tampered)) {
      expect(bad, what).not.toBe(url);
      const response = await fetchUrl(t, bad);
      expect(response.statusCode, `${what}: ${response.body}`).toBe(403);
      expect(response.json<ApplicationErrorBody>().details.applicationError.code, what).toBe(
        'PERMISSION_DENIED',
      );
      expect(response.rawPayload.includes(CONTENT), what).toBe(false);
    }
  });

  it('answers 403 once expired (expirationInMinutes 1, two minutes later)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date('2031-06-01T12:00:00.000Z').getTime();
    vi.setSystemTime(start);
    const url = await downloadUrl(t, { fileId: file.id, expirationInMinutes: 1 });

    vi.setSystemTime(start + 30_000);
    expect((await fetchUrl(t, url)).statusCode).toBe(200);

    vi.setSystemTime(start + 2 * 60_000);
    const response = await fetchUrl(t, url);
    expectAppError(response, 403, 'PERMISSION_DENIED');
    expect(response.rawPayload.includes(CONTENT)).toBe(false);
  });

  it('answers a browser an HTML page with a way to a fresh link once expired; API clients keep the JSON', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date('2031-06-01T12:00:00.000Z').getTime();
    vi.setSystemTime(start);
    const url = await downloadUrl(t, { fileId: file.id, expirationInMinutes: 1 });
    vi.setSystemTime(start + 2 * 60_000);

    const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const page = await fetchUrl(t, url, { headers: { accept: browser } });
    expect(page.statusCode).toBe(403);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers.vary).toMatch(/Accept/);
    expect(page.body).toContain('<h1>This download link has expired</h1>');
    // Back to the app at the file, whose Download makes a fresh link.
    expect(page.body).toContain(`href="/?item=file%3A${file.id}"`);
    expect(page.body).not.toContain('applicationError');
    expect(page.rawPayload.includes(CONTENT)).toBe(false);

    for (const accept of [undefined, '*/*', 'application/json', 'application/json, text/html']) {
      const response = await fetchUrl(t, url, { headers: accept ? { accept } : {} });
      expectAppError(response, 403, 'PERMISSION_DENIED');
    }
  });

  it('answers a browser an HTML page for a tampered link too', async () => {
    const url = new URL(await downloadUrl(t, { fileId: file.id }));
    url.searchParams.set('name', 'other.txt');
    const page = await fetchUrl(t, url.href, { headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('<h1>This download link does not work</h1>');
    expect(page.body).toContain('Open the file in Site Media Manager');
  });

  it('redirects (302) to expirationRedirectUrl once expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date('2031-06-01T12:00:00.000Z').getTime();
    vi.setSystemTime(start);
    const redirect = 'https://example.com/expired?why=late';
    const url = await downloadUrl(t, {
      fileId: file.id,
      expirationInMinutes: '1',
      expirationRedirectUrl: redirect,
    });

    vi.setSystemTime(start + 30_000);
    const before = await fetchUrl(t, url);
    expect(before.statusCode).toBe(200);
    expect(before.rawPayload.equals(CONTENT)).toBe(true);

    vi.setSystemTime(start + 2 * 60_000);
    const after = await fetchUrl(t, url);
    expect(after.statusCode).toBe(302);
    expect(after.headers.location).toBe(redirect);
  });

  it('lasts 600 minutes by default', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date('2031-06-01T12:00:00.000Z').getTime();
    vi.setSystemTime(start);
    const url = await downloadUrl(t, { fileId: file.id });
    vi.setSystemTime(start + 599 * 60_000);
    expect((await fetchUrl(t, url)).statusCode).toBe(200);
    vi.setSystemTime(start + 601 * 60_000);
    expect((await fetchUrl(t, url)).statusCode).toBe(403);
  });

  it('refuses an unknown asset key with 400 INVALID_ASSET_KEY', async () => {
    const response = await t.api('POST', '/files/generate-file-download-url', {
      fileId: file.id,
      assetKeys: ['src', 'no-such-asset'],
    });
    expectAppError(response, 400, 'INVALID_ASSET_KEY');
  });

  it.each([0, -1, 525601, 1.5, 'abc', '', true])(
    'refuses expirationInMinutes %j with 400 naming the field',
    async (expirationInMinutes) => {
      const response = await t.api('POST', '/files/generate-file-download-url', {
        fileId: file.id,
        expirationInMinutes,
      });
      expectViolation(response, 'expirationInMinutes');
    },
  );

  it('accepts expirationInMinutes at both ends of 1..525600', async () => {
    await downloadUrl(t, { fileId: file.id, expirationInMinutes: 1 });
    await downloadUrl(t, { fileId: file.id, expirationInMinutes: 525600 });
  });

  it('refuses a non-http expirationRedirectUrl and an unknown contentDisposition', async () => {
    for (const expirationRedirectUrl of ['javascript:alert(1)', 'not a url', '/relative']) {
      expectViolation(
        await t.api('POST', '/files/generate-file-download-url', { fileId: file.id, expirationRedirectUrl }),
        'expirationRedirectUrl',
      );
    }
    expectViolation(
      await t.api('POST', '/files/generate-file-download-url', {
        fileId: file.id,
        contentDisposition: 'DOWNLOAD',
      }),
      'contentDisposition',
    );
  });

  it('answers 404 for an unknown file, and 400 without fileId', async () => {
    expectAppError(
      await t.api('POST', '/files/generate-file-download-url', { fileId: 'nope' }),
      404,
      'RESOURCE_NOT_FOUND',
    );
    expectViolation(await t.api('POST', '/files/generate-file-download-url', {}), 'fileId');
  });

  it('accepts a Wix media URI as fileId', async () => {
    const uri = `wix:document://v1/${file.id}/report.txt`;
    const url = await downloadUrl(t, { fileId: uri });
    expect(url).toContain(`/download/v1/${encodeURIComponent(file.id)}?`);
    const response = await fetchUrl(t, url);
    expect(response.rawPayload.equals(CONTENT)).toBe(true);
  });

  it('answers 404 on every URL of a permanently deleted file', async () => {
    const url = await downloadUrl(t, { fileId: file.id });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [file.id], permanent: true });
    expectAppError(await fetchUrl(t, url), 404, 'RESOURCE_NOT_FOUND');
    expectAppError(await fetchUrl(t, file.url), 404, 'RESOURCE_NOT_FOUND');
    expectAppError(
      await t.api('POST', '/files/generate-file-download-url', { fileId: file.id }),
      404,
      'RESOURCE_NOT_FOUND',
    );
  });
});
