import { describe, expect, it, vi } from 'vitest';
import { expectAppError, sha256Hex, storedBlobs } from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';
import { expect4xx, generate, pathOf, put, fileOf, listFiles, allFiles } from '../testing/plain-uploads.ts';

// Plain uploads: the upload URL (no key needed, single use, unknown tokens, expiry).

describe('plain uploads (generate-upload-url + PUT)', () => {
  let t: TestApp;
  useTestApp((app) => (t = app));

  it('needs no API key for the PUT (the URL carries the token)', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain', fileName: 'a.txt' });
    const response = await t.app.inject({
      method: 'PUT',
      url: pathOf(uploadUrl),
      headers: { 'content-type': 'text/plain' },
      payload: 'anonymous',
    });
    expect(fileOf(response).displayName).toBe('a.txt');
  });

  it('still needs the API key to generate the URL', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/site-media/v1/files/generate-upload-url',
      payload: { mimeType: 'text/plain', fileName: 'a.txt' },
    });
    expectAppError(response, 401, 'UNAUTHENTICATED');
  });

  it('is single-use: a second PUT answers 403', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain', fileName: 'once.txt' });
    fileOf(await put(t, uploadUrl, 'first'));
    expectAppError(await put(t, uploadUrl, 'second'), 403, 'PERMISSION_DENIED');
    const files = await listFiles(t);
    expect(files.length).toBe(1);
    expect(files[0]!.hash).toBe(sha256Hex('first'));
  });

  it('is single-use under concurrent PUTs: exactly one succeeds', async () => {
    const uploadUrl = await generate(t, { mimeType: 'text/plain', fileName: 'race.txt' });
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) => put(t, uploadUrl, `attempt ${i}`)),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 403, 403, 403, 403]);
    expect((await listFiles(t)).length).toBe(1);
    expect((await storedBlobs(t)).length).toBe(1);
  });

  it('answers 403 for an unknown or garbage token', async () => {
    for (const token of ['nope', 'a'.repeat(43), `${'a'.repeat(43)}.png`]) {
      const response = await t.app.inject({
        method: 'PUT',
        url: `/upload/v1/${token}`,
        headers: { 'content-type': 'text/plain' },
        payload: 'x',
      });
      expect4xx(response);
      expect([400, 403]).toContain(response.statusCode);
    }
    expect(await allFiles(t)).toEqual([]);
  });

  // Guards long upload tokens: past Fastify's default maxParamLength, still the contract's error shape.
  it('answers a long (150-character) garbage token in the contract error shape', async () => {
    const response = await t.app.inject({
      method: 'PUT',
      url: `/upload/v1/${'x'.repeat(150)}`,
      headers: { 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect4xx(response);
  });

  it('expires: a URL made with a 0-minute lifetime answers 403', async () => {
    const shortLived = await createTestApp({ uploadUrlTtlMinutes: 0 });
    try {
      const uploadUrl = await generate(shortLived, { mimeType: 'text/plain', fileName: 'late.txt' });
      expectAppError(await put(shortLived, uploadUrl, 'too late'), 403, 'PERMISSION_DENIED');
      expect(await listFiles(shortLived)).toEqual([]);
    } finally {
      await shortLived.close();
    }
  });

  it('expires after uploadUrlTtlMinutes (default 60)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date('2030-01-01T00:00:00.000Z');
    vi.setSystemTime(start);
    const early = await generate(t, { mimeType: 'text/plain', fileName: 'early.txt' });
    const late = await generate(t, { mimeType: 'text/plain', fileName: 'late.txt' });

    vi.setSystemTime(new Date(start.getTime() + 59 * 60_000));
    fileOf(await put(t, early, 'in time'));

    vi.setSystemTime(new Date(start.getTime() + 61 * 60_000));
    expectAppError(await put(t, late, 'too late'), 403, 'PERMISSION_DENIED');
    expect((await listFiles(t)).map((f) => f.displayName)).toEqual(['early.txt']);
  });
});
