import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CachedStatementsDatabase } from './sqlite-statements.ts';

const opened: SQLite.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

function database(): { raw: SQLite.Database; cached: CachedStatementsDatabase } {
  const raw = new SQLite(':memory:');
  opened.push(raw);
  raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
  raw.prepare('INSERT INTO t (id, name) VALUES (?, ?), (?, ?)').run(1, 'a', 2, 'b');
  return { raw, cached: new CachedStatementsDatabase(raw) };
}

describe('prepared statements kept by SQL text (Kysely over better-sqlite3)', () => {
  it('prepares a query once and answers it with its parameters each time', () => {
    const { cached } = database();
    const first = cached.prepare('SELECT name FROM t WHERE id = ?');
    expect(first.all([1])).toEqual([{ name: 'a' }]);
    const again = cached.prepare('SELECT name FROM t WHERE id = ?');
    expect(again).toBe(first);
    expect(again.all([2])).toEqual([{ name: 'b' }]);
  });

  it('prepares a fresh statement while the kept one is being iterated (a streamed query)', () => {
    const { cached } = database();
    const sql = 'SELECT id FROM t ORDER BY id';
    const outer = cached.prepare(sql).iterate([]);
    expect(outer.next().value).toEqual({ id: 1 });
    const inner = cached.prepare(sql);
    expect(inner.all([])).toEqual([{ id: 1 }, { id: 2 }]);
    expect(outer.next().value).toEqual({ id: 2 });
    outer.return?.();
  });

  it('sees schema changes made after the statement was prepared', () => {
    const { raw, cached } = database();
    expect(cached.prepare('SELECT * FROM t WHERE id = ?').all([1])).toEqual([{ id: 1, name: 'a' }]);
    raw.exec("ALTER TABLE t ADD COLUMN focal TEXT DEFAULT 'c'");
    expect(cached.prepare('SELECT * FROM t WHERE id = ?').all([1])).toEqual([
      { id: 1, name: 'a', focal: 'c' },
    ]);
  });

  it('closes the database', () => {
    const { raw, cached } = database();
    cached.prepare('SELECT 1');
    cached.close();
    expect(raw.open).toBe(false);
  });
});
