import path from 'node:path';
import type { Kysely } from 'kysely';
import { isPostgresUrl } from './dialect.ts';
import type { Database } from './schema.ts';
import { openSqlite } from './sqlite.ts';

/**
 * The metadata database the configuration asks for: PostgreSQL when `databaseUrl` is a `postgres://` URL,
 * else the embedded SQLite database in `dataDir` (the default).
 */
export async function openMetadataDb(config: {
  databaseUrl?: string | undefined;
  dataDir: string;
}): Promise<Kysely<Database>> {
  if (config.databaseUrl !== undefined && isPostgresUrl(config.databaseUrl)) {
    // Loaded only when used: the pg driver is memory the embedded default does not need.
    const { openPostgres } = await import('./postgres.ts');
    return openPostgres(config.databaseUrl);
  }
  return openSqlite(path.join(config.dataDir, 'metadata.sqlite'));
}
