import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, expect } from 'vitest';
import { openMetadataDb } from '../stores/metadata-db.ts';
import type { Database } from '../stores/schema.ts';
import { startChildServer, type ChildServer } from './child-servers.ts';
import { TEST_S3 } from './test-app.ts';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from './test-databases.ts';

export interface CrashHarnessOptions {
  /** Names the temporary data dir and the bucket "folder". */
  name: string;
  apiKey: string;
  /** Settings of the server processes, on top of the data dir, database, bucket and API key. */
  env?: Record<string, string>;
  /**
   * The bucket "folder" of the servers' blobs: by default one of their own; a test that also builds an app
   * in-process over the same data dir passes `sameAsTestApp` (what `createTestApp` derives from the data dir).
   */
  keyPrefix?: 'own' | 'sameAsTestApp';
}

/**
 * The set-up of a crash test: server processes (`start`, killed with `kill -9`) over one data dir, one
 * database (a fresh PostgreSQL schema when `TEST_DATABASE_URL` is set) and one bucket "folder", and a direct
 * connection to that database to look at what each crash left. Registers its own `beforeEach`/`afterEach`:
 * call it in a `describe`.
 */
export function useCrashHarness(options: CrashHarnessOptions) {
  let dataDir = '';
  let schema: TestSchema | undefined;
  let env: Record<string, string> = {};
  let db: Kysely<Database> | undefined;
  const servers: ChildServer[] = [];

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `smm-${options.name}-`));
    schema = TEST_DATABASE_URL ? await createTestSchema(TEST_DATABASE_URL) : undefined;
    const keyPrefix =
      options.keyPrefix === 'sameAsTestApp'
        ? path.basename(dataDir)
        : `${options.name}-${randomBytes(4).toString('hex')}`;
    env = {
      DATA_DIR: dataDir,
      MEDIA_API_KEY: options.apiKey,
      STATIC_DIR: path.join(dataDir, 'no-web-app'),
      DATABASE_URL: schema?.url ?? '',
      ...options.env,
      ...(TEST_S3 && { S3_KEY_PREFIX: `${TEST_S3.keyPrefix}${keyPrefix}` }),
    };
  });

  afterEach(async () => {
    for (const server of servers.splice(0)) await server.kill();
    await db?.destroy();
    db = undefined;
    await schema?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    get dataDir() {
      return dataDir;
    },
    get databaseUrl() {
      return schema?.url;
    },
    /** The servers' database, opened (and migrated) on first use. */
    db: async (): Promise<Kysely<Database>> => {
      db ??= await openMetadataDb({ dataDir, databaseUrl: schema?.url });
      return db;
    },
    /** Starts a server process over the shared data; it is killed after the test at the latest. */
    start: async (): Promise<ChildServer> => {
      const server = await startChildServer(env);
      servers.push(server);
      return server;
    },
    /** `kill -9` of one server, which the test then no longer owns. */
    kill: async (server: ChildServer): Promise<void> => {
      await server.kill();
      servers.splice(servers.indexOf(server), 1);
    },
    /** Every server still running, killed. */
    killAll: async (): Promise<void> => {
      for (const server of servers.splice(0)) await server.kill();
    },
    /** A JSON call with the API key that must succeed (2xx); resolves with its parsed answer. */
    call: async <T>(server: ChildServer, method: string, url: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${server.base}${url}`, {
        method,
        headers: {
          authorization: options.apiKey,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      expect(response.ok, text).toBe(true);
      return JSON.parse(text) as T;
    },
  };
}
