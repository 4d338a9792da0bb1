import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { dialectOf } from './dialect.ts';
import { migrations0001to0008 } from './migrations/0001-to-0008.ts';
import { migrations0009to0016 } from './migrations/0009-to-0016.ts';
import { textType } from './migrations/text-type.ts';

/**
 * Schema migrations, in order. Written with Kysely's schema builder where it can, so the same list runs on
 * SQLite and PostgreSQL; where the SQL differs a migration branches on the dialect (the SQLite side is what
 * shipped). Never edit a migration that has shipped: add a new one.
 *
 * A new migration goes at the end of this list, here. The earlier ones live in `migrations/`, a module per
 * range, spread in below in order; when this file nears ~400 lines, move its oldest entries into a new range
 * module (Kysely runs them by name order, so where an entry is written does not change when it runs).
 */
const migrations: Record<string, Migration> = {
  ...migrations0001to0008,
  ...migrations0009to0016,
  '0017-tus-s3-uploads': {
    async up(db: Kysely<unknown>) {
      const text = textType(db);
      // Resumable uploads on S3 (`services/tus/s3-store.ts`): the state every instance needs to continue one, read once per
      // request from here instead of from the bucket. `received` and `parts` move together in one statement, so an
      // instance that takes over resumes exactly where the last one stopped.
      await db.schema
        .createTable('tus_uploads')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('file_id', text, (c) => c.notNull())
        .addColumn('blob_key', text, (c) => c.notNull())
        .addColumn('multipart_id', text, (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('part_size', 'bigint', (c) => c.notNull())
        .addColumn('metadata', text, (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('received', 'bigint', (c) => c.notNull())
        .addColumn('parts', text, (c) => c.notNull())
        .addColumn('head', text)
        .execute();
      await db.schema.createIndex('tus_uploads_created').on('tus_uploads').column('created_at').execute();
    },
  },
};

class InCodeMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations);
  }
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  // On PostgreSQL Kysely looks for its migration table in every schema unless told which one: name the current
  // one, so a database holding several schemas (one per instance, or per test) migrates each on its own.
  const migrationTableSchema =
    dialectOf(db) === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({ db, provider: new InCodeMigrationProvider(), migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
}
