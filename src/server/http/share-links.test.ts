import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.ts';
import { expectAppError } from '../testing/helpers.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';

interface ShareLink {
  id: string;
  fileId: string;
  url: string;
  createdDate: string;
  expiresDate: string;
}

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

/** An authenticated call to `/site-media-ext/v1<path>` on `app` (the test app unless given another instance). */
function ext(method: InjectOptions['method'], apiPath: string, body?: unknown, app: App = t) {
  return app.app.inject({
    method,
    url: `/site-media-ext/v1${apiPath}`,
    headers: { authorization: TEST_API_KEY },
    ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
  });
}

async function createLink(fileId: string, expiresIn = 'DAY', app: App = t): Promise<ShareLink> {
  const response = await ext('POST', `/files/${fileId}/share-links`, { expiresIn }, app);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ shareLink: ShareLink }>().shareLink;
}

async function listLinks(fileId: string, app: App = t): Promise<ShareLink[]> {
  const response = await ext('GET', `/files/${fileId}/share-links`, undefined, app);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ shareLinks: ShareLink[] }>().shareLinks;
}

/** Opens a share link with no credentials at all, as its recipient would. */
function open(
  url: string,
  app: App = t,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const parsed = new URL(url);
  return app.app.inject({ method: 'GET', url: `${parsed.pathname}${parsed.search}`, headers });
}

function expectRefused(response: LightMyRequestResponse, reason: string): void {
  expectAppError(response, 403, 'PERMISSION_DENIED');
  expect(response.json().details.applicationError.data.reason).toBe(reason);
}

describe('share links', () => {
  it('a link to a private file downloads it under its name, without a session', async () => {
    const file = await t.upload('the private bytes', { fileName: 'plan.txt', private: true });
    expect((await t.app.inject({ method: 'GET', url: `/media/${file.id}` })).statusCode).toBe(403);

    const link = await createLink(file.id, 'WEEK');
    expect(link.url).toMatch(/^http:\/\/media\.test\/download\/v1\/share\/[\w-]+\?exp=\d+&sig=[\w-]+$/);
    expect(Date.parse(link.expiresDate) - Date.parse(link.createdDate)).toBe(7 * 24 * 3600_000);
    const response = await open(link.url);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('the private bytes');
    expect(response.headers['content-disposition']).toContain('attachment');
    expect(response.headers['content-disposition']).toContain('plan.txt');
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(await listLinks(file.id)).toEqual([link]);
  });

  it('a link to a public file is a download with the file name', async () => {
    const file = await t.upload('public bytes', { fileName: 'notes.txt' });
    const response = await open((await createLink(file.id, 'HOUR')).url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain('notes.txt');
  });

  it('a revoked link is refused at once, in JSON for clients and as a page for browsers', async () => {
    const file = await t.upload('bytes', { private: true });
    const kept = await createLink(file.id, 'MONTH');
    const revoked = await createLink(file.id, 'YEAR');
    expect((await listLinks(file.id)).map((l) => l.id)).toEqual([revoked.id, kept.id]);

    const response = await ext('DELETE', `/files/${file.id}/share-links/${revoked.id}`);
    expect(response.statusCode, response.body).toBe(200);
    expect((await listLinks(file.id)).map((l) => l.id)).toEqual([kept.id]);
    expectRefused(await open(revoked.url), 'REVOKED');
    const page = await open(revoked.url, t, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(page.statusCode).toBe(403);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('This link is no longer valid');
    expect((await open(kept.url)).statusCode).toBe(200);

    expectAppError(
      await ext('DELETE', `/files/${file.id}/share-links/${revoked.id}`),
      404,
      'RESOURCE_NOT_FOUND',
    );
  });

  it('a link expires at the time picked (injectable clock), leaves the list and is cleaned up', async () => {
    const file = await t.upload('bytes');
    const link = await createLink(file.id, 'HOUR');
    const later = Date.now() + 3600_000 + 1000;
    t.shares.now = () => later;
    expectRefused(await open(link.url), 'EXPIRED');
    expect(await listLinks(file.id)).toEqual([]);
    expect(await t.shares.deleteExpired()).toBe(1);
    expectRefused(await open(link.url), 'EXPIRED');
  });

  it('refuses changed links', async () => {
    const file = await t.upload('bytes');
    const link = new URL((await createLink(file.id)).url);
    const exp = link.searchParams.get('exp')!;
    expectRefused(await open(link.href.replace(`exp=${exp}`, `exp=${Number(exp) + 3600}`)), 'INVALID');
    expectRefused(await open(link.href.replace(/sig=[\w-]+/, 'sig=forged')), 'INVALID');
    expectRefused(await open(`${link.origin}/download/v1/share/nope?exp=${exp}&sig=x`), 'INVALID');
  });

  it('links to a trashed file stop while it is trashed; deleting it forever removes them', async () => {
    const file = await t.upload('bytes');
    const link = await createLink(file.id);
    await t.ok('POST', '/bulk/files/delete', { fileIds: [file.id] });
    expectRefused(await open(link.url), 'TRASHED');
    expectAppError(
      await ext('POST', `/files/${file.id}/share-links`, { expiresIn: 'DAY' }),
      409,
      'FAILED_PRECONDITION',
    );
    await t.ok('POST', '/bulk/trash-bin/files/restore', { fileIds: [file.id] });
    expect((await open(link.url)).statusCode).toBe(200);

    await t.ok('POST', '/bulk/files/delete', { fileIds: [file.id], permanent: true });
    expectRefused(await open(link.url), 'REVOKED');
    const rows = await t.store.db
      .selectFrom('share_links' as never)
      .select('id' as never)
      .execute();
    expect(rows).toEqual([]);
  });

  it('links survive a restart and are revoked across instances sharing the database', async () => {
    const file = await t.upload('shared bytes', { private: true });
    const link = await createLink(file.id);
    const other = await buildApp(t.config);
    try {
      expect((await open(link.url, other)).body).toBe('shared bytes');
      expect((await listLinks(file.id, other)).map((l) => l.id)).toEqual([link.id]);
      expect(
        (await ext('DELETE', `/files/${file.id}/share-links/${link.id}`, undefined, other)).statusCode,
      ).toBe(200);
      expectRefused(await open(link.url), 'REVOKED');
    } finally {
      await other.app.close();
    }
  });

  it('validates the expiry and needs the API key', async () => {
    const file = await t.upload('bytes');
    expect((await ext('POST', `/files/${file.id}/share-links`, { expiresIn: 'FOREVER' })).statusCode).toBe(
      400,
    );
    expectAppError(await ext('GET', '/files/missing/share-links'), 404, 'RESOURCE_NOT_FOUND');
    const anonymous = await t.app.inject({
      method: 'POST',
      url: `/site-media-ext/v1/files/${file.id}/share-links`,
      payload: { expiresIn: 'DAY' },
    });
    expectAppError(anonymous, 401, 'UNAUTHENTICATED');
  });
});

describe('set-private', () => {
  it('marks files private and public again, in bulk', async () => {
    const a = await t.upload('a');
    const b = await t.upload('b');
    const media = async (id: string) =>
      (await t.app.inject({ method: 'GET', url: `/media/${id}` })).statusCode;
    const set = await ext('POST', '/files/set-private', { fileIds: [a.id, b.id], private: true });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({ updatedFiles: 2 });
    expect(await media(a.id)).toBe(403);
    expect(await media(b.id)).toBe(403);
    const descriptor = await t.ok<{ file: { private: boolean; thumbnailUrl: string } }>(
      'GET',
      `/files/get-file-by-id?fileId=${a.id}`,
    );
    expect(descriptor.file.private).toBe(true);

    expect((await ext('POST', '/files/set-private', { fileIds: [a.id], private: false })).json()).toEqual({
      updatedFiles: 1,
    });
    expect(await media(a.id)).toBe(200);
    expect(await media(b.id)).toBe(403);
  });

  it('changes nothing when an id is unknown', async () => {
    const a = await t.upload('a');
    const response = await ext('POST', '/files/set-private', { fileIds: [a.id, 'nope'], private: true });
    expectAppError(response, 404, 'RESOURCE_NOT_FOUND');
    expect(response.json().details.applicationError.data.fileIds).toEqual(['nope']);
    expect((await t.app.inject({ method: 'GET', url: `/media/${a.id}` })).statusCode).toBe(200);
  });
});
