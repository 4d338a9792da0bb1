import { PostgresAdapter, type QueryExecutor } from 'kysely';

/** The SQL dialects the metadata store runs on. */
export type SqlDialect = 'sqlite' | 'postgres';

/**
 * Which SQL a Kysely instance speaks, read from its adapter: migrations and the store branch on it where the
 * two dialects differ (search index, planner hints, row locks).
 */
export function dialectOf(db: { getExecutor(): QueryExecutor }): SqlDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** True for a `postgres://` or `postgresql://` connection URL. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}
