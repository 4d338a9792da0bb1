import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import { safeEqual } from '../secrets.ts';
import type { AuthService } from '../services/auth-service.ts';
import { tooManyRequests } from './error-handler.ts';
import { parse } from './validation.ts';

export const SESSION_COOKIE = 'smm_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CookieOptions {
  /** The server is reached over https (`PUBLIC_URL`): cookies are `Secure`. */
  secureCookies: boolean;
  /** The picker may be framed by other sites (`PICKER_ALLOWED_ORIGINS` is set). */
  framedByOtherSites: boolean;
}

/**
 * `Strict` unless the picker is framed by other sites over https: a frame on another site only gets the cookie
 * with `SameSite=None` (which browsers accept only with `Secure`). Other sites' requests then carry the cookie,
 * so the CSRF token (below) is what keeps them from changing anything; they cannot read answers (no CORS).
 * Over plain http, `None` is refused by browsers: there only same-site hosts (any port) can frame it signed in.
 */
export function sessionSameSite(options: CookieOptions): 'strict' | 'none' {
  return options.secureCookies && options.framedByOtherSites ? 'none' : 'strict';
}

function setSessionCookie(reply: FastifyReply, value: string, maxAgeSeconds: number, options: CookieOptions) {
  void reply.setCookie(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: sessionSameSite(options),
    secure: options.secureCookies,
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

function tooManyKeys(reply: FastifyReply, waitMs: number): ApiError {
  return tooManyRequests(reply, waitMs, 'Too many wrong API keys from this address; try again later');
}

/**
 * Admits a request to the API: the admin key in `Authorization`, or the web app's session cookie. With the
 * cookie, state-changing requests must also carry the session's CSRF token in `X-CSRF-Token` (SameSite=Strict
 * keeps other sites' requests cookie-less, but not with the picker framed over https (SameSite=None); the token
 * also covers same-site subdomains).
 */
export function apiAuthHook(auth: AuthService) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const authorization = request.headers.authorization;
    // A key in the header is a guess like one at sign-in, and counts against the same per-client allowance.
    if (authorization) {
      const attempt = auth.tryKey(authorization, request.ip);
      if (attempt.result === 'valid') return;
      if (attempt.result === 'throttled') throw tooManyKeys(reply, attempt.retryAfterMs);
    }
    const session = await auth.session(request.cookies[SESSION_COOKIE]);
    if (!session) {
      throw new ApiError('UNAUTHENTICATED', 'Send the API key in the Authorization header, or sign in');
    }
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !safeEqual(header, session.csrfToken)) {
        throw new ApiError('PERMISSION_DENIED', 'Missing or wrong X-CSRF-Token header');
      }
    }
  };
}

/** Sign-in for the web app: a session from the API key or from a one-time login link. */
export function registerAuthRoutes(app: FastifyInstance, auth: AuthService, cookies: CookieOptions): void {
  app.get('/auth/session', async (request) => {
    const session = await auth.session(request.cookies[SESSION_COOKIE]);
    if (!session) throw new ApiError('UNAUTHENTICATED', 'Not signed in');
    return { authenticated: true, csrfToken: session.csrfToken };
  });

  app.post('/auth/session', async (request, reply) => {
    const { apiKey } = parse(z.object({ apiKey: z.string().max(1000) }), request.body);
    const attempt = auth.tryKey(apiKey, request.ip);
    if (attempt.result === 'throttled') throw tooManyKeys(reply, attempt.retryAfterMs);
    if (attempt.result === 'invalid') throw new ApiError('UNAUTHENTICATED', 'Invalid API key');
    const { cookie, session, maxAgeSeconds } = await auth.createSession();
    setSessionCookie(reply, cookie, maxAgeSeconds, cookies);
    return { authenticated: true, csrfToken: session.csrfToken };
  });

  app.delete('/auth/session', async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    const session = await auth.session(cookie);
    if (session) {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !safeEqual(header, session.csrfToken)) {
        throw new ApiError('PERMISSION_DENIED', 'Missing or wrong X-CSRF-Token header');
      }
      await auth.endSession(cookie);
    }
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return {};
  });

  // The one-time link printed at start. It is consumed on first use, so a leaked terminal log is harmless
  // once the owner has signed in.
  app.get('/login', async (request, reply) => {
    const { token } = request.query as { token?: unknown };
    if (typeof token !== 'string' || !(await auth.consumeLoginToken(token))) {
      return reply.redirect('/sign-in?error=login-link-expired');
    }
    const { cookie, maxAgeSeconds } = await auth.createSession();
    setSessionCookie(reply, cookie, maxAgeSeconds, cookies);
    void reply.header('Cache-Control', 'no-store');
    return reply.redirect('/');
  });
}
