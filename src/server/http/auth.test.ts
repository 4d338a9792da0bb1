import fs from 'node:fs';
import path from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApplicationErrorBody, Folder, ListFoldersResponse } from '../../contract/index.ts';
import { buildApp, type App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';

// ---- helpers ---------------------------------------------------------------------------------------------

const SESSION_COOKIE = 'smm_session';

interface Cookie {
  name: string;
  value: string;
  httpOnly?: boolean;
  sameSite?: string;
  secure?: boolean;
  path?: string;
  maxAge?: number;
  expires?: Date;
}

function expectAppError(response: LightMyRequestResponse, status: number, code: string): void {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json<ApplicationErrorBody>();
  expect(typeof body.message).toBe('string');
  expect(typeof body.details.applicationError.code).toBe('string');
  expect(body.details.applicationError.code).toBe(code);
}

function sessionCookie(response: LightMyRequestResponse): Cookie | undefined {
  return (response.cookies as Cookie[]).find((c) => c.name === SESSION_COOKIE);
}

/** A config over an existing data dir, as main.ts would build it (env without MEDIA_API_KEY unless given). */
/** The configuration of a restart over the same data dir (and the same database, on PostgreSQL). */
function configFor(t: TestApp, env: NodeJS.ProcessEnv = {}, apiKey?: string) {
  return loadConfig(env, {
    dataDir: t.dataDir,
    databaseUrl: t.config.databaseUrl,
    staticDir: undefined,
    publicUrl: 'http://media.test',
    ...(apiKey === undefined ? {} : { apiKey }),
  });
}

async function signIn(
  app: App['app'],
  apiKey = TEST_API_KEY,
): Promise<{ cookie: string; csrfToken: string }> {
  const response = await app.inject({ method: 'POST', url: '/auth/session', payload: { apiKey } });
  expect(response.statusCode, response.body).toBe(200);
  const cookie = sessionCookie(response);
  expect(cookie).toBeDefined();
  return { cookie: cookie!.value, csrfToken: response.json<{ csrfToken: string }>().csrfToken };
}

function withSession(
  app: App['app'],
  cookie: string,
  options: { method: InjectOptions['method']; url: string; payload?: unknown; csrf?: string },
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: options.method,
    url: options.url,
    cookies: { [SESSION_COOKIE]: cookie },
    headers: options.csrf === undefined ? {} : { 'x-csrf-token': options.csrf },
    ...(options.payload === undefined ? {} : { payload: options.payload as InjectOptions['payload'] }),
  });
}

/**
 * Every endpoint of the contract under /site-media/v1, with a body that would be acceptable. Endpoints the
 * server does not have (yet) are left out by `hasRoute`.
 */
const ENDPOINTS: {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  route: string;
  url: string;
  body?: unknown;
}[] = [
  { method: 'POST', route: '/folders', url: '/folders', body: { displayName: 'x' } },
  { method: 'GET', route: '/folders/:folderId', url: '/folders/media-root' },
  { method: 'GET', route: '/folders', url: '/folders' },
  { method: 'POST', route: '/folders/search', url: '/folders/search', body: {} },
  {
    method: 'PATCH',
    route: '/folders/:folderId',
    url: '/folders/abc',
    body: { folder: { id: 'abc', displayName: 'y' } },
  },
  {
    method: 'POST',
    route: '/folders/:folderId/generate-download-url',
    url: '/folders/media-root/generate-download-url',
    body: {},
  },
  {
    method: 'POST',
    route: '/bulk/folders/delete',
    url: '/bulk/folders/delete',
    body: { folderIds: ['abc'] },
  },
  {
    method: 'POST',
    route: '/bulk/trash-bin/folders/restore',
    url: '/bulk/trash-bin/folders/restore',
    body: { folderIds: ['abc'] },
  },
  { method: 'GET', route: '/trash-bin/folders', url: '/trash-bin/folders' },
  { method: 'POST', route: '/folders/query', url: '/folders/query', body: { query: {} } },
  {
    method: 'POST',
    route: '/files/generate-upload-url',
    url: '/files/generate-upload-url',
    body: { mimeType: 'text/plain', fileName: 'a.txt' },
  },
  {
    method: 'POST',
    route: '/files/generate-resumable-upload-url',
    url: '/files/generate-resumable-upload-url',
    body: { mimeType: 'text/plain', fileName: 'a.txt', uploadProtocol: 'TUS' },
  },
  {
    method: 'POST',
    route: '/files/import',
    url: '/files/import',
    body: { url: 'https://example.com/a.png' },
  },
  {
    method: 'POST',
    route: '/bulk/files/import-v2',
    url: '/bulk/files/import-v2',
    body: { importFileRequests: [{ url: 'https://example.com/a.png' }] },
  },
  { method: 'GET', route: '/files/get-file-by-id', url: '/files/get-file-by-id?fileId=abc' },
  { method: 'POST', route: '/files/get-files', url: '/files/get-files', body: { fileIds: ['abc'] } },
  {
    method: 'PATCH',
    route: '/files/update-file-descriptor',
    url: '/files/update-file-descriptor',
    body: { file: { id: 'abc', displayName: 'b.txt' } },
  },
  { method: 'GET', route: '/files', url: '/files' },
  { method: 'POST', route: '/files/search', url: '/files/search', body: {} },
  { method: 'POST', route: '/files/query', url: '/files/query', body: { query: {} } },
  {
    method: 'POST',
    route: '/files/generate-file-download-url',
    url: '/files/generate-file-download-url',
    body: { fileId: 'abc' },
  },
  {
    method: 'POST',
    route: '/files/generate-download-url',
    url: '/files/generate-download-url',
    body: { fileIds: ['abc'] },
  },
  {
    method: 'POST',
    route: '/files/generate-video-stream-url',
    url: '/files/generate-video-stream-url',
    body: { fileId: 'abc' },
  },
  { method: 'POST', route: '/bulk/files/delete', url: '/bulk/files/delete', body: { fileIds: ['abc'] } },
  {
    method: 'POST',
    route: '/bulk/trash-bin/files/restore',
    url: '/bulk/trash-bin/files/restore',
    body: { fileIds: ['abc'] },
  },
  { method: 'GET', route: '/trash-bin/files', url: '/trash-bin/files' },
];

/** The endpoints this server has today. */
function implemented(t: TestApp) {
  return ENDPOINTS.filter((e) => t.app.hasRoute({ method: e.method, url: `/site-media/v1${e.route}` }));
}

// ---- tests -----------------------------------------------------------------------------------------------

describe('API key authentication', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  it('has at least the core endpoints (sanity check of the endpoint table)', () => {
    const routes = implemented(t).map((e) => `${e.method} ${e.route}`);
    for (const core of [
      'POST /folders',
      'GET /folders',
      'PATCH /folders/:folderId',
      'POST /bulk/folders/delete',
      'POST /files/generate-upload-url',
      'GET /files/get-file-by-id',
      'GET /files',
      'POST /files/search',
      'POST /files/generate-file-download-url',
      'POST /bulk/files/delete',
      'GET /trash-bin/files',
    ]) {
      expect(routes).toContain(core);
    }
  });

  const wrongKeys: [string, Record<string, string>][] = [
    ['no Authorization header', {}],
    ['a wrong key', { authorization: 'wrong-key' }],
    ['a wrong Bearer key', { authorization: 'Bearer wrong-key' }],
    ['an empty header', { authorization: '' }],
    ['the key with a suffix', { authorization: `${TEST_API_KEY}x` }],
    ['a prefix of the key', { authorization: TEST_API_KEY.slice(0, -1) }],
    ['Basic scheme', { authorization: `Basic ${TEST_API_KEY}` }],
    ['the key in another header', { 'x-api-key': TEST_API_KEY }],
  ];
  it.each(wrongKeys)('answers 401 UNAUTHENTICATED on every endpoint with %s', async (_what, headers) => {
    // Each from its own address: one client's wrong keys are throttled after a few (key-guessing.test.ts).
    for (const [i, endpoint] of implemented(t).entries()) {
      const response = await t.app.inject({
        method: endpoint.method,
        url: `/site-media/v1${endpoint.url}`,
        headers,
        remoteAddress: `10.0.${i >> 8}.${i & 255}`,
        ...(endpoint.body === undefined ? {} : { payload: endpoint.body as InjectOptions['payload'] }),
      });
      expect(response.statusCode, `${endpoint.method} ${endpoint.url}: ${response.body}`).toBe(401);
      expectAppError(response, 401, 'UNAUTHENTICATED');
    }
    // Nothing was created by any of them.
    expect((await t.ok<ListFoldersResponse>('GET', '/folders')).folders).toEqual([]);
  });

  it('answers 401 before looking at the body (malformed JSON without a key is still 401)', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/site-media/v1/folders',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expectAppError(response, 401, 'UNAUTHENTICATED');
  });

  it.each([
    ['the raw key', TEST_API_KEY],
    ['Bearer <key>', `Bearer ${TEST_API_KEY}`],
    ['bearer <key> (any case)', `bearer ${TEST_API_KEY}`],
  ])('accepts %s in Authorization', async (_what, authorization) => {
    const list = await t.app.inject({
      method: 'GET',
      url: '/site-media/v1/folders',
      headers: { authorization },
    });
    expect(list.statusCode, list.body).toBe(200);
    const create = await t.app.inject({
      method: 'POST',
      url: '/site-media/v1/folders',
      headers: { authorization },
      payload: { displayName: 'made with key' },
    });
    expect(create.statusCode, create.body).toBe(200);
    expect(create.json<{ folder: Folder }>().folder.displayName).toBe('made with key');
  });

  it('needs no CSRF token with the API key', async () => {
    const response = await t.api('POST', '/folders', { displayName: 'no csrf needed' });
    expect(response.statusCode).toBe(200);
  });

  it('sends X-Wix-Request-Id on every answer, a different one each time', async () => {
    const file = await t.upload('x');
    const responses = [
      await t.api('GET', '/folders'),
      await t.api('GET', '/folders'),
      await t.app.inject({ method: 'GET', url: '/site-media/v1/folders' }),
      await t.api('GET', '/files/get-file-by-id?fileId=nope'),
      await t.api('POST', '/folders', { displayName: '' }),
      await t.api('GET', '/no/such/route'),
      await t.app.inject({ method: 'GET', url: new URL(String(file.url)).pathname }),
      await t.app.inject({ method: 'GET', url: '/auth/session' }),
      await t.app.inject({ method: 'GET', url: '/healthz' }),
    ];
    const ids = responses.map((r) => r.headers['x-wix-request-id']);
    for (const [i, id] of ids.entries()) {
      expect(typeof id, `response ${i}`).toBe('string');
      expect(String(id).length, `response ${i}`).toBeGreaterThan(0);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('does not take the request id from the client', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/site-media/v1/folders',
      headers: { authorization: TEST_API_KEY, 'x-wix-request-id': 'injected', 'request-id': 'injected' },
    });
    expect(response.headers['x-wix-request-id']).not.toBe('injected');
  });
});

describe('browser sessions', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp();
  });

  afterEach(async () => {
    vi.useRealTimers();
    await t.close();
  });

  it('POST /auth/session with the key sets an HttpOnly, SameSite=Strict cookie and returns a csrfToken', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/session',
      payload: { apiKey: TEST_API_KEY },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ authenticated: boolean; csrfToken: string }>();
    expect(body.authenticated).toBe(true);
    expect(typeof body.csrfToken).toBe('string');
    expect(body.csrfToken.length).toBeGreaterThanOrEqual(16);

    const cookie = sessionCookie(response)!;
    expect(cookie.value.length).toBeGreaterThanOrEqual(16);
    expect(cookie.value).not.toContain(TEST_API_KEY);
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite?.toLowerCase()).toBe('strict');
    expect(cookie.path).toBe('/');
    expect(cookie.maxAge).toBeGreaterThan(0);
    // http:// public URL: no Secure flag (the browser would drop the cookie).
    expect(cookie.secure).toBeFalsy();
    const raw = String(response.headers['set-cookie']);
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/SameSite=Strict/i);
  });

  it('marks the cookie Secure when the public URL is https', async () => {
    const secure = await createTestApp({ publicUrl: 'https://media.example' });
    try {
      const response = await secure.app.inject({
        method: 'POST',
        url: '/auth/session',
        payload: { apiKey: TEST_API_KEY },
      });
      expect(sessionCookie(response)?.secure).toBe(true);
    } finally {
      await secure.close();
    }
  });

  it('refuses a wrong key with 401 and sets no cookie', async () => {
    for (const apiKey of ['wrong', '', `${TEST_API_KEY} `.repeat(2)]) {
      const response = await t.app.inject({ method: 'POST', url: '/auth/session', payload: { apiKey } });
      expectAppError(response, 401, 'UNAUTHENTICATED');
      expect(sessionCookie(response)).toBeUndefined();
    }
    const missing = await t.app.inject({ method: 'POST', url: '/auth/session', payload: {} });
    expect(missing.statusCode).toBeGreaterThanOrEqual(400);
    expect(missing.statusCode).toBeLessThan(500);
    expect(sessionCookie(missing)).toBeUndefined();
  });

  it('GET /auth/session tells whether the cookie is a session, with its csrfToken', async () => {
    const { cookie, csrfToken } = await signIn(t.app);
    const response = await withSession(t.app, cookie, { method: 'GET', url: '/auth/session' });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ authenticated: boolean; csrfToken: string }>()).toMatchObject({
      authenticated: true,
      csrfToken,
    });

    expectAppError(await t.app.inject({ method: 'GET', url: '/auth/session' }), 401, 'UNAUTHENTICATED');
    expectAppError(
      await withSession(t.app, 'garbage', { method: 'GET', url: '/auth/session' }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('two sign-ins are two sessions with different cookies and CSRF tokens', async () => {
    const a = await signIn(t.app);
    const b = await signIn(t.app);
    expect(a.cookie).not.toBe(b.cookie);
    expect(a.csrfToken).not.toBe(b.csrfToken);
    // A session's CSRF token does not work with the other session.
    const cross = await withSession(t.app, a.cookie, {
      method: 'POST',
      url: '/site-media/v1/folders',
      payload: { displayName: 'cross' },
      csrf: b.csrfToken,
    });
    expectAppError(cross, 403, 'PERMISSION_DENIED');
  });

  it('API GET with the session cookie works; without it, 401', async () => {
    await t.createFolder('visible');
    const { cookie } = await signIn(t.app);
    const response = await withSession(t.app, cookie, { method: 'GET', url: '/site-media/v1/folders' });
    expect(response.statusCode).toBe(200);
    expect(response.json<ListFoldersResponse>().folders.map((f) => f.displayName)).toEqual(['visible']);
    expectAppError(
      await withSession(t.app, `${cookie}x`, { method: 'GET', url: '/site-media/v1/folders' }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('API POST with the cookie needs the right X-CSRF-Token', async () => {
    const { cookie, csrfToken } = await signIn(t.app);
    const url = '/site-media/v1/folders';
    const payload = { displayName: 'csrf' };

    expectAppError(
      await withSession(t.app, cookie, { method: 'POST', url, payload }),
      403,
      'PERMISSION_DENIED',
    );
    expectAppError(
      await withSession(t.app, cookie, { method: 'POST', url, payload, csrf: '' }),
      403,
      'PERMISSION_DENIED',
    );
    expectAppError(
      await withSession(t.app, cookie, { method: 'POST', url, payload, csrf: `${csrfToken}x` }),
      403,
      'PERMISSION_DENIED',
    );
    expectAppError(
      await withSession(t.app, cookie, { method: 'POST', url, payload, csrf: cookie }),
      403,
      'PERMISSION_DENIED',
    );
    expect((await t.ok<ListFoldersResponse>('GET', '/folders')).folders).toEqual([]);

    const ok = await withSession(t.app, cookie, { method: 'POST', url, payload, csrf: csrfToken });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await t.ok<ListFoldersResponse>('GET', '/folders')).folders.map((f) => f.displayName)).toEqual([
      'csrf',
    ]);
  });

  it('PATCH and bulk delete with the cookie need the CSRF token too', async () => {
    const folder = await t.createFolder('target');
    const { cookie, csrfToken } = await signIn(t.app);
    const patch = { folder: { id: folder.id, displayName: 'renamed' } };
    expectAppError(
      await withSession(t.app, cookie, {
        method: 'PATCH',
        url: `/site-media/v1/folders/${folder.id}`,
        payload: patch,
      }),
      403,
      'PERMISSION_DENIED',
    );
    expectAppError(
      await withSession(t.app, cookie, {
        method: 'POST',
        url: '/site-media/v1/bulk/folders/delete',
        payload: { folderIds: [folder.id] },
      }),
      403,
      'PERMISSION_DENIED',
    );
    const folders = (await t.ok<ListFoldersResponse>('GET', '/folders')).folders;
    expect(folders.map((f) => f.displayName)).toEqual(['target']);

    const ok = await withSession(t.app, cookie, {
      method: 'PATCH',
      url: `/site-media/v1/folders/${folder.id}`,
      payload: patch,
      csrf: csrfToken,
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('DELETE /auth/session signs out: the cookie no longer works', async () => {
    const { cookie, csrfToken } = await signIn(t.app);

    // Signing out is a state change too: it needs the CSRF token.
    const forced = await withSession(t.app, cookie, { method: 'DELETE', url: '/auth/session' });
    expectAppError(forced, 403, 'PERMISSION_DENIED');
    expect((await withSession(t.app, cookie, { method: 'GET', url: '/auth/session' })).statusCode).toBe(200);

    const out = await withSession(t.app, cookie, { method: 'DELETE', url: '/auth/session', csrf: csrfToken });
    expect(out.statusCode, out.body).toBe(200);
    const cleared = sessionCookie(out);
    expect(cleared).toBeDefined();
    expect(cleared!.value).toBe('');

    expectAppError(
      await withSession(t.app, cookie, { method: 'GET', url: '/auth/session' }),
      401,
      'UNAUTHENTICATED',
    );
    expectAppError(
      await withSession(t.app, cookie, { method: 'GET', url: '/site-media/v1/folders' }),
      401,
      'UNAUTHENTICATED',
    );
    expectAppError(
      await withSession(t.app, cookie, {
        method: 'POST',
        url: '/site-media/v1/folders',
        payload: { displayName: 'after sign-out' },
        csrf: csrfToken,
      }),
      401,
      'UNAUTHENTICATED',
    );
    // Signing out without a session is harmless.
    expect((await t.app.inject({ method: 'DELETE', url: '/auth/session' })).statusCode).toBe(200);
  });

  it('signing out one session leaves another one alone', async () => {
    const a = await signIn(t.app);
    const b = await signIn(t.app);
    await withSession(t.app, a.cookie, { method: 'DELETE', url: '/auth/session', csrf: a.csrfToken });
    expect(
      (await withSession(t.app, b.cookie, { method: 'GET', url: '/site-media/v1/folders' })).statusCode,
    ).toBe(200);
  });

  it('sessions expire after sessionTtlDays (default 30)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date('2032-03-01T00:00:00.000Z').getTime();
    vi.setSystemTime(start);
    const { cookie } = await signIn(t.app);
    vi.setSystemTime(start + 29 * 86_400_000);
    expect(
      (await withSession(t.app, cookie, { method: 'GET', url: '/site-media/v1/folders' })).statusCode,
    ).toBe(200);
    vi.setSystemTime(start + 31 * 86_400_000);
    expectAppError(
      await withSession(t.app, cookie, { method: 'GET', url: '/site-media/v1/folders' }),
      401,
      'UNAUTHENTICATED',
    );
  });
});

describe('sessions and keys across restarts', () => {
  const cleanup: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('a session survives a restart over the same data dir', async () => {
    const first = await createTestApp();
    cleanup.push(() => first.close());
    const folder = await first.createFolder('persisted');
    const { cookie, csrfToken } = await signIn(first.app);
    await first.app.close();

    const second = await buildApp(configFor(first, {}, TEST_API_KEY));
    cleanup.push(() => second.app.close());
    const session = await withSession(second.app, cookie, { method: 'GET', url: '/auth/session' });
    expect(session.statusCode).toBe(200);
    expect(session.json<{ csrfToken: string }>().csrfToken).toBe(csrfToken);

    const list = await withSession(second.app, cookie, { method: 'GET', url: '/site-media/v1/folders' });
    expect(list.json<ListFoldersResponse>().folders.map((f) => f.id)).toEqual([folder.id]);
    const create = await withSession(second.app, cookie, {
      method: 'POST',
      url: '/site-media/v1/folders',
      payload: { displayName: 'after restart' },
      csrf: csrfToken,
    });
    expect(create.statusCode, create.body).toBe(200);
  });

  it('generates an API key when MEDIA_API_KEY is not set, keeps it in dataDir/api-key, and reuses it', async () => {
    const first = await createTestApp({ apiKey: undefined });
    cleanup.push(() => first.close());
    const keyFile = path.join(first.dataDir, 'api-key');
    expect(fs.existsSync(keyFile)).toBe(true);
    const stored = fs.readFileSync(keyFile, 'utf8').trim();
    expect(stored).toBe(first.apiKey);
    expect(stored).not.toBe(TEST_API_KEY);
    expect(stored.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(keyFile).mode & 0o077).toBe(0);

    const withGenerated = await first.app.inject({
      method: 'GET',
      url: '/site-media/v1/folders',
      headers: { authorization: stored },
    });
    expect(withGenerated.statusCode).toBe(200);
    expect((await first.api('GET', '/folders')).statusCode).toBe(401);
    await first.app.close();

    const second = await buildApp(configFor(first));
    cleanup.push(() => second.app.close());
    expect(second.apiKey).toBe(stored);
    expect(fs.readFileSync(keyFile, 'utf8').trim()).toBe(stored);
    const again = await second.app.inject({
      method: 'GET',
      url: '/site-media/v1/folders',
      headers: { authorization: `Bearer ${stored}` },
    });
    expect(again.statusCode).toBe(200);
  });

  it('MEDIA_API_KEY wins over the stored key', async () => {
    const first = await createTestApp({ apiKey: undefined });
    cleanup.push(() => first.close());
    const stored = first.apiKey;
    await first.app.close();

    const second = await buildApp(configFor(first, { MEDIA_API_KEY: 'from-the-environment' }));
    cleanup.push(() => second.app.close());
    const ok = await second.app.inject({
      method: 'GET',
      url: '/site-media/v1/folders',
      headers: { authorization: 'from-the-environment' },
    });
    expect(ok.statusCode).toBe(200);
    const old = await second.app.inject({
      method: 'GET',
      url: '/site-media/v1/folders',
      headers: { authorization: stored },
    });
    expect(old.statusCode).toBe(401);
  });
});

describe('one-time login links', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp();
  });

  afterEach(async () => {
    vi.useRealTimers();
    await t.close();
  });

  it('GET /login?token= signs in (302 to / with the cookie) once; a second use redirects to sign-in', async () => {
    const token = await t.auth.createLoginToken();
    const url = `/login?token=${encodeURIComponent(token)}`;

    const first = await t.app.inject({ method: 'GET', url });
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe('/');
    const cookie = sessionCookie(first);
    expect(cookie).toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite?.toLowerCase()).toBe('strict');
    expect(cookie!.path).toBe('/');

    // The cookie is a working session, with a CSRF token to read back.
    const session = await withSession(t.app, cookie!.value, { method: 'GET', url: '/auth/session' });
    expect(session.statusCode).toBe(200);
    const { csrfToken } = session.json<{ csrfToken: string }>();
    const create = await withSession(t.app, cookie!.value, {
      method: 'POST',
      url: '/site-media/v1/folders',
      payload: { displayName: 'via link' },
      csrf: csrfToken,
    });
    expect(create.statusCode, create.body).toBe(200);

    const second = await t.app.inject({ method: 'GET', url });
    expect(second.statusCode).toBe(302);
    expect(second.headers.location).toBe('/sign-in?error=login-link-expired');
    expect(sessionCookie(second)).toBeUndefined();
  });

  it('redirects a missing, unknown or repeated token to sign-in without a cookie', async () => {
    const token = await t.auth.createLoginToken();
    for (const url of [
      '/login',
      '/login?token=',
      '/login?token=not-a-token',
      `/login?token=${encodeURIComponent(token)}&token=${encodeURIComponent(token)}`,
    ]) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(302);
      expect(response.headers.location, url).toBe('/sign-in?error=login-link-expired');
      expect(sessionCookie(response), url).toBeUndefined();
    }
  });

  it('an expired login link does not sign in', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date('2032-03-01T00:00:00.000Z').getTime();
    vi.setSystemTime(start);
    const token = await t.auth.createLoginToken();
    vi.setSystemTime(start + 25 * 3600_000);
    const response = await t.app.inject({ method: 'GET', url: `/login?token=${encodeURIComponent(token)}` });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/sign-in?error=login-link-expired');
    expect(sessionCookie(response)).toBeUndefined();
  });

  it('a login link survives a restart', async () => {
    const token = await t.auth.createLoginToken();
    await t.app.close();
    const second = await buildApp(configFor(t, {}, TEST_API_KEY));
    try {
      const response = await second.app.inject({
        method: 'GET',
        url: `/login?token=${encodeURIComponent(token)}`,
      });
      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toBe('/');
      expect(sessionCookie(response)).toBeDefined();
    } finally {
      await second.app.close();
    }
  });
});
