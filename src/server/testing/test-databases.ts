import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { openPostgres } from '../stores/postgres.ts';
import type { Database } from '../stores/schema.ts';
import { openSqlite } from '../stores/sqlite.ts';

/**
 * A PostgreSQL database the server suites also run against when set, e.g.
 * `TEST_DATABASE_URL=postgres://postgres@127.0.0.1:55432/smm` (`scripts/services/postgres.sh start`).
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

export interface TestSchema {
  name: string;
  /** `TEST_DATABASE_URL` with `search_path` set to the schema: every connection sees only its tables. */
  url: string;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh empty schema in the test database: a new database for one test at the cost of a `create schema`.
 * pg_trgm is installed once per database, in `public`, before any migration runs: a migration would otherwise
 * install it in the first test's schema, and dropping that schema would take the extension from the others.
 */
export async function createTestSchema(baseUrl: string, prefix = 'smm_test'): Promise<TestSchema> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withClient(baseUrl, async (client) => {
    await client.query('create extension if not exists pg_trgm schema public').catch(async (error) => {
      // Two test files may create it at the same moment; the loser fails although it exists now.
      const { rowCount } = await client.query(`select 1 from pg_extension where extname = 'pg_trgm'`);
      if (!rowCount) throw error;
    });
    await client.query(`create schema ${name}`);
  });
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await withClient(baseUrl, (client) => client.query(`drop schema if exists ${name} cascade`));
    },
  };
}

export interface TestDatabase {
  name: 'SQLite' | 'PostgreSQL';
  /** True when the suite cannot run here (PostgreSQL without `TEST_DATABASE_URL`). */
  unavailable: boolean;
  /** A new, empty database and how to throw it away (after closing the Kysely instance). */
  open(): Promise<{ db: Kysely<Database>; drop: () => Promise<void> }>;
}

/** The databases a shared suite runs on: SQLite always, PostgreSQL when `TEST_DATABASE_URL` is set. */
export const testDatabases: readonly TestDatabase[] = [
  {
    name: 'SQLite',
    unavailable: false,
    open: () => Promise.resolve({ db: openSqlite(':memory:'), drop: () => Promise.resolve() }),
  },
  {
    name: 'PostgreSQL',
    unavailable: TEST_DATABASE_URL === undefined,
    open: async () => {
      const schema = await createTestSchema(TEST_DATABASE_URL!);
      return { db: openPostgres(schema.url), drop: () => schema.drop() };
    },
  },
];
