import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { DiskBlobStore } from './blobs/disk-blob-store.ts';
import { S3BlobStore } from './blobs/s3-blob-store.ts';
import type { Config } from './config.ts';
import { MetadataStore } from './stores/metadata-store.ts';
import { openPostgres } from './stores/postgres.ts';
import type { Database } from './stores/schema.ts';
import { openSqlite } from './stores/sqlite.ts';

/** Tables of stores whose rows `Database` leaves out (each area's store declares its own). */
type TableName = keyof Database | 'share_links' | 'visitor_moderation';

/** Every table, each with its (single-column) primary key: the order rows are read and batches resume in. */
const TABLES: ReadonlyArray<{ name: TableName; key: string }> = [
  { name: 'folders', key: 'id' },
  { name: 'files', key: 'id' },
  { name: 'upload_tokens', key: 'token_hash' },
  { name: 'sessions', key: 'id_hash' },
  { name: 'login_tokens', key: 'token_hash' },
  { name: 'zip_downloads', key: 'id' },
  { name: 'site_usage', key: 'id' },
  { name: 'jobs', key: 'id' },
  // A bulk operation under way goes on after the move (its job is copied above).
  { name: 'bulk_operations', key: 'id' },
  // Not `bulk_operation_items`: what an ended operation changed serves only its undo, minutes later.
  { name: 'share_links', key: 'id' },
  // The folder Approve remembers (the review of visitor uploads; new files are a column of `files`).
  { name: 'visitor_moderation', key: 'id' },
];

export interface MigrationReport {
  tables: Record<string, { source: number; copied: number; target: number }>;
  blobs: { source: number; copied: number; skipped: number };
}

export interface DataMigrationOptions {
  /** The single-machine install: `metadata.sqlite` and `blobs/` in it. */
  fromDataDir: string;
  /** Where to: `databaseUrl` (PostgreSQL) and `s3` must be set. */
  target: Pick<Config, 'databaseUrl' | 's3'>;
  batchSize?: number;
  log?: (message: string) => void;
}

type Row = Record<string, unknown>;

/**
 * Copies a single-machine install (SQLite + blobs on disk) into PostgreSQL + S3: migrates both schemas to the
 * latest version, copies every table's rows in primary-key order (keyset batches, never OFFSET; rows already
 * in the target are kept), then every blob (originals, renditions, streams) that the bucket lacks or holds at
 * another size, streamed. Safe to run again after a failure or with the source still changing: each run
 * copies what is missing. Resolves with the counts; throws when the target ends up with fewer rows or blobs
 * than the source.
 */
export async function migrateData(options: DataMigrationOptions): Promise<MigrationReport> {
  const { fromDataDir, target } = options;
  const batchSize = options.batchSize ?? 500;
  const log = options.log ?? (() => {});
  if (target.databaseUrl === undefined)
    throw new Error('DATABASE_URL must be set (the PostgreSQL to copy to)');
  if (target.s3 === undefined)
    throw new Error('S3_ENDPOINT and S3_BUCKET must be set (the bucket to copy to)');
  const sqliteFile = path.join(fromDataDir, 'metadata.sqlite');
  if (!fs.existsSync(sqliteFile)) throw new Error(`No SQLite database at ${sqliteFile}`);

  const source = openSqlite(sqliteFile);
  const destination = openPostgres(target.databaseUrl);
  const s3 = target.s3;
  const blobs = new S3BlobStore({
    endpoint: s3.endpoint,
    region: s3.region,
    bucket: s3.bucket,
    forcePathStyle: s3.forcePathStyle,
    keyPrefix: s3.keyPrefix,
    maxParts: s3.maxParts,
    ...(s3.accessKeyId !== undefined &&
      s3.secretAccessKey !== undefined && {
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      }),
  });
  const report: MigrationReport = { tables: {}, blobs: { source: 0, copied: 0, skipped: 0 } };
  try {
    // The source at the latest schema too (as the server would do at its next start), so the columns match.
    await new MetadataStore(source).migrate();
    await new MetadataStore(destination).migrate();
    await blobs.ensureBucket();

    for (const table of TABLES) {
      report.tables[table.name] = await copyTable(source, destination, table.name, table.key, batchSize);
      const counts = report.tables[table.name]!;
      log(`${table.name}: ${counts.source} rows, ${counts.copied} copied, ${counts.target} in the target`);
    }

    const root = path.join(fromDataDir, 'blobs');
    const disk = new DiskBlobStore(root);
    for (const key of blobKeysBelow(root)) {
      report.blobs.source++;
      const localPath = path.join(root, key);
      const { size } = fs.statSync(localPath);
      if ((await blobs.size(key)) === size) {
        report.blobs.skipped++;
        continue;
      }
      // Streamed from the disk store, in bounded memory, whatever the size.
      await blobs.put(key, await disk.get(key));
      report.blobs.copied++;
      if (report.blobs.copied % 100 === 0) log(`blobs: ${report.blobs.copied} copied`);
    }
    log(
      `blobs: ${report.blobs.source} on disk, ${report.blobs.copied} copied, ${report.blobs.skipped} there already`,
    );

    const short = Object.entries(report.tables).filter(([, counts]) => counts.target < counts.source);
    if (short.length > 0) {
      throw new Error(
        `The target has fewer rows than the source in: ${short.map(([name]) => name).join(', ')}`,
      );
    }
    return report;
  } finally {
    blobs.destroy();
    await source.destroy();
    await destination.destroy();
  }
}

/** Copies a table in batches of `batchSize` rows in key order; keeps rows the target has already. */
async function copyTable(
  source: Kysely<Database>,
  destination: Kysely<Database>,
  table: TableName,
  key: string,
  batchSize: number,
): Promise<{ source: number; copied: number; target: number }> {
  // Kysely's table and column types are per table; this loop is the same for all of them.
  const from = source as unknown as Kysely<Record<string, Row>>;
  const to = destination as unknown as Kysely<Record<string, Row>>;
  let copied = 0;
  let after: unknown;
  for (;;) {
    let query = from.selectFrom(table).selectAll().orderBy(key).limit(batchSize);
    if (after !== undefined) query = query.where(key, '>', after);
    const rows = await query.execute();
    if (rows.length === 0) break;
    const result = await to
      .insertInto(table)
      .values(rows)
      .onConflict((conflict) =>
        // The migration seeds the usage counter; the source's is the one that counts the copied files.
        table === 'site_usage'
          ? conflict.column(key).doUpdateSet((eb) => ({ bytes: eb.ref('excluded.bytes') }))
          : conflict.column(key).doNothing(),
      )
      .executeTakeFirst();
    copied += Number(result.numInsertedOrUpdatedRows ?? 0);
    after = rows.at(-1)![key];
    if (rows.length < batchSize) break;
  }
  const count = async (db: Kysely<Record<string, Row>>) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { source: await count(from), copied, target: await count(to) };
}

/** Blob keys of a disk store: every file below its root, its temp area left out. */
function blobKeysBelow(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  const keys: string[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const key = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (key.startsWith('.tmp/')) continue;
    keys.push(key);
  }
  return keys.sort();
}
