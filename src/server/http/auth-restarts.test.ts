import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListFoldersResponse } from '../../contract/index.ts';
import { buildApp } from '../app.ts';
import { createTestApp, TEST_API_KEY } from '../testing/test-app.ts';
import { configFor, signIn, withSession } from '../testing/auth.ts';

// Sessions and API keys across restarts over the same data dir.

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
