import { describe, expect, it, vi } from 'vitest';
import type { ListFoldersResponse } from '../../contract/index.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';
import { expectAppError, sessionCookie, signIn, withSession } from '../testing/auth.ts';

// Browser sessions: the cookie, CSRF tokens, signing out, expiry.

describe('browser sessions', () => {
  let t: TestApp;
  useTestApp((app) => (t = app));

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
