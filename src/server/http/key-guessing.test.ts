import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { expectAppError } from '../testing/helpers.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';

const ATTACKER = '203.0.113.66';
const OWNER = '198.51.100.7';

describe('API key guessing is throttled per client', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp();
  });

  afterEach(async () => {
    await t.close();
  });

  function signIn(apiKey: string, from: string) {
    return t.app.inject({ method: 'POST', url: '/auth/session', payload: { apiKey }, remoteAddress: from });
  }

  function listFolders(authorization: string, from: string) {
    return t.app.inject({
      method: 'GET',
      url: '/site-media/v1/folders',
      headers: { authorization },
      remoteAddress: from,
    });
  }

  function expectThrottled(response: Awaited<ReturnType<typeof signIn>>) {
    expectAppError(response, 429, 'RESOURCE_EXHAUSTED');
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  }

  it('sign-in: after 10 wrong keys, 429 with Retry-After, even for the right key; other clients still sign in', async () => {
    for (let i = 0; i < 10; i++) expectAppError(await signIn(`guess-${i}`, ATTACKER), 401, 'UNAUTHENTICATED');
    expectThrottled(await signIn('guess-10', ATTACKER));
    // Even the right key: otherwise the throttle would still tell a guesser when it hit.
    const right = await signIn(TEST_API_KEY, ATTACKER);
    expectThrottled(right);
    expect(right.cookies).toEqual([]);
    // The owner, elsewhere, is not locked out.
    expect((await signIn(TEST_API_KEY, OWNER)).statusCode).toBe(200);
  });

  it('the admin API: wrong keys in Authorization are counted too, with sign-in failures, per client', async () => {
    for (let i = 0; i < 5; i++) expectAppError(await signIn(`guess-${i}`, ATTACKER), 401, 'UNAUTHENTICATED');
    for (let i = 5; i < 10; i++) {
      expectAppError(await listFolders(`Bearer guess-${i}`, ATTACKER), 401, 'UNAUTHENTICATED');
    }
    expectThrottled(await listFolders('guess-10', ATTACKER));
    expectThrottled(await listFolders(TEST_API_KEY, ATTACKER));
    expectThrottled(await signIn(TEST_API_KEY, ATTACKER));
    expect((await listFolders(TEST_API_KEY, OWNER)).statusCode).toBe(200);
  });

  it('a session keeps working from a throttled address (a cookie is no key guess)', async () => {
    const session = await signIn(TEST_API_KEY, ATTACKER);
    const cookie = session.cookies.find((c) => c.name === 'smm_session')!;
    for (let i = 0; i < 11; i++) await signIn(`guess-${i}`, ATTACKER);
    expectThrottled(await signIn(TEST_API_KEY, ATTACKER));
    const list = await t.app.inject({
      method: 'GET',
      url: '/site-media/v1/folders',
      cookies: { smm_session: cookie.value },
      remoteAddress: ATTACKER,
    });
    expect(list.statusCode, list.body).toBe(200);
  });

  it('a successful sign-in clears the client’s failures (a few typos do not add up)', async () => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 9; i++) expectAppError(await signIn(`typo-${i}`, OWNER), 401, 'UNAUTHENTICATED');
      expect((await signIn(TEST_API_KEY, OWNER)).statusCode).toBe(200);
    }
  });
});

describe('MEDIA_API_KEY strength', () => {
  it('refuses a key under 16 characters, with a message that says so', () => {
    expect(() => loadConfig({ MEDIA_API_KEY: 'short-key' })).toThrow(/MEDIA_API_KEY.*16 characters/);
    expect(() => loadConfig({}, { apiKey: '123456789012345' })).toThrow(/MEDIA_API_KEY/);
    expect(loadConfig({ MEDIA_API_KEY: '1234567890123456' }).apiKey).toBe('1234567890123456');
    // Unset: one is generated (32 random bytes) into DATA_DIR/api-key.
    expect(loadConfig({}).apiKey).toBeUndefined();
  });

  it('the server refuses to start with a short key', { timeout: 120_000 }, () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-short-key-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
        env: { ...process.env, MEDIA_API_KEY: 'admin', PORT: '0', DATA_DIR: dataDir, DATABASE_URL: '' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).toMatch(/MEDIA_API_KEY must be at least 16 characters/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
