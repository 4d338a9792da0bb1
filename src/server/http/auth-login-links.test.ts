import { describe, expect, it, vi } from 'vitest';
import { buildApp } from '../app.ts';
import { TEST_API_KEY, type TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';
import { sessionCookie, configFor, withSession } from '../testing/auth.ts';

// One-time login links (GET /login?token=).

describe('one-time login links', () => {
  let t: TestApp;
  useTestApp((app) => (t = app));

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
