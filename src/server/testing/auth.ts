import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ApplicationErrorBody } from '../../contract/index.ts';
import { type App } from '../app.ts';
import { loadConfig } from '../config.ts';
import { TEST_API_KEY, type TestApp } from './test-app.ts';

// Helpers of the authentication suites (src/server/http/auth-*.test.ts): session cookies, sign-in, restarts.

export const SESSION_COOKIE = 'smm_session';

export interface Cookie {
  name: string;
  value: string;
  httpOnly?: boolean;
  sameSite?: string;
  secure?: boolean;
  path?: string;
  maxAge?: number;
  expires?: Date;
}

export function expectAppError(response: LightMyRequestResponse, status: number, code: string): void {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json<ApplicationErrorBody>();
  expect(typeof body.message).toBe('string');
  expect(typeof body.details.applicationError.code).toBe('string');
  expect(body.details.applicationError.code).toBe(code);
}

export function sessionCookie(response: LightMyRequestResponse): Cookie | undefined {
  return (response.cookies as Cookie[]).find((c) => c.name === SESSION_COOKIE);
}

/** A config over an existing data dir, as main.ts would build it (env without MEDIA_API_KEY unless given). */
/** The configuration of a restart over the same data dir (and the same database, on PostgreSQL). */
export function configFor(t: TestApp, env: NodeJS.ProcessEnv = {}, apiKey?: string) {
  return loadConfig(env, {
    dataDir: t.dataDir,
    databaseUrl: t.config.databaseUrl,
    staticDir: undefined,
    publicUrl: 'http://media.test',
    ...(apiKey === undefined ? {} : { apiKey }),
  });
}

export async function signIn(
  app: App['app'],
  apiKey = TEST_API_KEY,
): Promise<{ cookie: string; csrfToken: string }> {
  const response = await app.inject({ method: 'POST', url: '/auth/session', payload: { apiKey } });
  expect(response.statusCode, response.body).toBe(200);
  const cookie = sessionCookie(response);
  expect(cookie).toBeDefined();
  return { cookie: cookie!.value, csrfToken: response.json<{ csrfToken: string }>().csrfToken };
}

export function withSession(
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
