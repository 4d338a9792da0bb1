import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { dialectOf } from './dialect.ts';
import { openMetadataDb } from './metadata-db.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('choosing the metadata database', () => {
  it('is SQLite in DATA_DIR unless DATABASE_URL is set', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-db-'));
    dirs.push(dataDir);
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.databaseUrl).toBeUndefined();
    const db = await openMetadataDb(config);
    expect(dialectOf(db)).toBe('sqlite');
    await db.destroy();
    expect(fs.existsSync(path.join(dataDir, 'metadata.sqlite'))).toBe(true);
  });

  it('is PostgreSQL for a postgres:// or postgresql:// DATABASE_URL', async () => {
    for (const url of ['postgres://u@127.0.0.1:1/db', 'postgresql://u:p@db.internal/media?sslmode=require']) {
      const config = loadConfig({ DATABASE_URL: url, DATA_DIR: '/nonexistent' });
      expect(config.databaseUrl).toBe(url);
      // The pool connects on the first query: choosing needs no server.
      const db = await openMetadataDb(config);
      expect(dialectOf(db)).toBe('postgres');
      await db.destroy();
    }
    expect(loadConfig({ DATABASE_URL: '  ' }).databaseUrl).toBeUndefined();
  });

  it('refuses a DATABASE_URL it cannot use rather than falling back to SQLite', () => {
    for (const url of ['mysql://u@host/db', 'sqlite:data.db', 'db.internal:5432']) {
      expect(() => loadConfig({ DATABASE_URL: url }), url).toThrow(/DATABASE_URL/);
    }
  });
});
