/**
 * The database a list-latency run measures (`list-latency.ts`): SQLite in the data dir, or a fresh schema in a
 * PostgreSQL database; how it is seeded, and how the SQL of a listing and its plan are read back.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql, type LogEvent } from 'kysely';
import pg from 'pg';
import type { SqlDialect } from '../src/server/stores/dialect.ts';
import { MetadataStore } from '../src/server/stores/metadata-store.ts';
import type { Database } from '../src/server/stores/schema.ts';
import { createTestSchema } from '../src/server/testing/test-databases.ts';
import { seedPostgres, seedSqlite, type Placement } from './list-latency-rows.ts';
import type { Scenario } from './list-latency-scenarios.ts';

/** The metadata database one size runs on, and the bench's own connections to it. */
export interface Target {
  dialect: SqlDialect;
  /** What `buildApp` is given; unset: SQLite in the data dir. */
  databaseUrl: string | undefined;
  /** A second Kysely over the app's database (read-only on SQLite), logging its queries to `log` if given. */
  open(log?: (event: LogEvent) => void): Kysely<Database>;
  /** Seeds the rows while the app is closed. */
  seed(total: number, placement: Placement): Promise<void>;
  /** How big the seeded database is, for the log. */
  describeSize(): Promise<string>;
  /** Throws the database away (the data dir is removed by the caller). */
  drop(): Promise<void>;
}

export function sqliteTarget(dataDir: string): Target {
  const dbFile = path.join(dataDir, 'metadata.sqlite');
  const mb = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size / 1024 ** 2 : 0);
  return {
    dialect: 'sqlite',
    databaseUrl: undefined,
    open: (log) =>
      new Kysely<Database>({
        dialect: new SqliteDialect({ database: new SQLite(dbFile, { readonly: true }) }),
        ...(log ? { log } : {}),
      }),
    seed: (total, placement) => seedSqlite(dbFile, total, placement),
    describeSize: () =>
      Promise.resolve(
        `metadata.sqlite is ${mb(dbFile).toFixed(0)} MB (WAL ${mb(`${dbFile}-wal`).toFixed(0)} MB)`,
      ),
    drop: () => Promise.resolve(),
  };
}

/**
 * A fresh schema in the database at `baseUrl`, as the tests make them (`createTestSchema`): pg_trgm installed in
 * `public` first, so the migration finds it there rather than installing it in this schema (dropping the schema
 * would then take the extension from every other schema of the database).
 */
export async function postgresTarget(baseUrl: string): Promise<Target> {
  const created = await createTestSchema(baseUrl, 'smm_bench');
  const schema = created.name;
  const url = new URL(created.url);
  const open = (log?: (event: LogEvent) => void) =>
    new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 2 }) }),
      ...(log ? { log } : {}),
    });
  return {
    dialect: 'postgres',
    databaseUrl: url.toString(),
    open,
    seed: async (total, placement) => {
      const db = open();
      try {
        await seedPostgres(db, total, placement);
      } finally {
        await db.destroy();
      }
    },
    describeSize: async () => {
      const db = open();
      try {
        const { rows } = await sql<{ version: string; table: string; indexes: string; trgm: string }>`
          select current_setting('server_version') as version,
            pg_size_pretty(pg_table_size('files')) as table,
            pg_size_pretty(pg_indexes_size('files')) as indexes,
            pg_size_pretty(pg_relation_size('files_search_trgm')) as trgm`.execute(db);
        const r = rows[0]!;
        return `PostgreSQL ${r.version}, schema ${schema}: files ${r.table}, its indexes ${r.indexes} (of which files_search_trgm ${r.trgm})`;
      } finally {
        await db.destroy();
      }
    },
    drop: () => created.drop(),
  };
}

/** Captures the SQL and parameters `store.listFiles` runs, through a second, logging Kysely over the same database. */
export async function sqlOf(
  target: Target,
  query: Scenario['store'],
  limit: number,
): Promise<{ sql: string; parameters: readonly unknown[] }> {
  let captured: { sql: string; parameters: readonly unknown[] } | undefined;
  const db = target.open((event) => {
    if (event.level === 'query') captured = { sql: event.query.sql, parameters: event.query.parameters };
  });
  await new MetadataStore(db).files.listFiles({ ...query, limit });
  await db.destroy();
  if (!captured) throw new Error('no query captured');
  return captured;
}

/** How the plans are asked for: SQLite's query plan; PostgreSQL's plan as run, with row counts but no times. */
export const EXPLAIN: Record<SqlDialect, { prefix: string; column: string }> = {
  sqlite: { prefix: 'explain query plan', column: 'detail' },
  postgres: { prefix: 'explain (analyze, costs off, timing off, summary off)', column: 'QUERY PLAN' },
};

export async function explain(
  target: Target,
  query: { sql: string; parameters: readonly unknown[] },
): Promise<string> {
  const { prefix, column } = EXPLAIN[target.dialect];
  const db = target.open();
  try {
    const { rows } = await db.executeQuery<Record<string, string>>(
      CompiledQuery.raw(`${prefix} ${query.sql}`, [...query.parameters]),
    );
    return rows.map((r) => r[column]).join('\n');
  } finally {
    await db.destroy();
  }
}
