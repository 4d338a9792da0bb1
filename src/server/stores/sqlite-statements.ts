import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared; the app has a few hundred queries, and `IN (?, ?, ...)` lists vary. */
const MAX_STATEMENTS = 1000;

/**
 * The better-sqlite3 database as Kysely's SQLite dialect sees it, with prepared statements kept by SQL text.
 * Kysely's driver prepares every query it runs; compiling the SQL again each time was the largest single cost
 * of a cached image hit (`docs/benchmarks.md`). A prepared statement stays valid across schema changes
 * (SQLite prepares it again itself when the schema moved), and holds no result between runs. The one
 * statement that cannot be shared is one being iterated (a streamed query): then a fresh one is prepared.
 */
export class CachedStatementsDatabase implements SqliteDatabase {
  private readonly statements = new Map<string, SQLite.Statement>();

  constructor(private readonly database: SQLite.Database) {}

  prepare(sql: string): SqliteStatement {
    const cached = this.statements.get(sql);
    if (cached && !cached.busy) {
      // Most recently used last, so the oldest goes first past the limit.
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const statement = this.database.prepare(sql);
    if (!cached) {
      this.statements.set(sql, statement);
      if (this.statements.size > MAX_STATEMENTS) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
    }
    return statement;
  }

  close(): void {
    this.statements.clear();
    this.database.close();
  }
}
