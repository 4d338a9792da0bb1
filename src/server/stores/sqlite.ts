import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { Database } from './schema.ts';
import { SqliteSlack } from './sqlite-slack.ts';
import { CachedStatementsDatabase } from './sqlite-statements.ts';

/** The slack of each SQLite database this process opened (none for `:memory:`). */
const slacks = new WeakMap<Kysely<Database>, SqliteSlack>();

export function isSqliteFull(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_FULL';
}

/**
 * Kysely's SQLite driver, for a disk that fills:
 * - SQLite rolls a transaction back by itself on some errors (`SQLITE_FULL`, `SQLITE_IOERR`...). Kysely then
 *   sends ROLLBACK anyway, which fails with "cannot rollback - no transaction is active", and throws that
 *   instead of the error that mattered. Here ROLLBACK is sent only while a transaction is open.
 * - A statement outside a transaction that fails with `SQLITE_FULL` is tried once more after the slack file
 *   is deleted (whole transactions are retried by `MetadataStore.transaction`).
 */
class FullDiskSqliteDriver extends SqliteDriver {
  constructor(
    private readonly database: SQLite.Database,
    private readonly slack: SqliteSlack | undefined,
  ) {
    super({ database: new CachedStatementsDatabase(database) });
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    const { database, slack } = this;
    return {
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        const alone = !database.inTransaction;
        try {
          return await connection.executeQuery<R>(query);
        } catch (error) {
          if (!(alone && isSqliteFull(error) && slack?.release())) throw error;
          return connection.executeQuery<R>(query);
        }
      },
      streamQuery: <R>(query: CompiledQuery, chunkSize?: number) =>
        connection.streamQuery<R>(query, chunkSize),
    };
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.database.inTransaction) await super.rollbackTransaction(connection);
  }
}

class FullDiskSqliteDialect extends SqliteDialect {
  constructor(
    private readonly database: SQLite.Database,
    private readonly slack: SqliteSlack | undefined,
  ) {
    super({ database });
  }

  override createDriver(): Driver {
    return new FullDiskSqliteDriver(this.database, this.slack);
  }
}

/** Opens (creating if needed) the embedded SQLite database in `dataDir`. */
export function openSqlite(file: string): Kysely<Database> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const connection = new SQLite(file);
  // WAL lets readers run while a writer commits; NORMAL sync is durable across process crashes in WAL mode.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('cache_size = -65536');
  const slack = file === ':memory:' ? undefined : new SqliteSlack(`${file}-slack`);
  slack?.ensure();
  const db = new Kysely<Database>({ dialect: new FullDiskSqliteDialect(connection, slack) });
  if (slack) slacks.set(db, slack);
  return db;
}

/** Deletes the slack file of a SQLite database (see `SqliteSlack`); true when there was one. */
export function releaseSlack(db: Kysely<Database>): boolean {
  return slacks.get(db)?.release() ?? false;
}

/** Makes the slack file of a SQLite database again when it is gone and there is room. */
export function ensureSlack(db: Kysely<Database>): void {
  slacks.get(db)?.ensure();
}
