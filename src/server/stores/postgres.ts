import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

/**
 * int8 (`bigint`: sizes, usage, `count(*)`) arrives as a string by default because it may exceed 2^53. Ours
 * never do, and SQLite hands back numbers: parse them as numbers so rows look the same on both. Per pool, so
 * other users of `pg` in the process keep the default.
 */
function typeParser(id: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (id === (pg.types.builtins.INT8 as number)) return Number;
  return pg.types.getTypeParser(id, format) as (value: string) => unknown;
}
const types: pg.CustomTypesConfig = { getTypeParser: typeParser as typeof pg.types.getTypeParser };

/**
 * Opens a PostgreSQL database through a connection pool. The URL may carry libpq-style parameters, e.g.
 * `?options=-c%20search_path%3Dmedia` to keep the tables in another schema than `public`.
 */
export function openPostgres(url: string, options: { maxConnections?: number } = {}): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types });
  // An idle connection that breaks (server restart, network) is dropped by the pool and the next query opens a
  // new one; without a listener its 'error' event would crash the process.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
