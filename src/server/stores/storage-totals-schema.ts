import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect.ts';

/**
 * Migration 0015: the aggregates the Storage page reads instead of scanning `files`.
 *
 * - `storage_totals`: files and bytes per (scope, media_type). `scope` is the area: `MEDIA_ROOT` (Site Files),
 *   `VISITOR_UPLOADS_ROOT`, `TRASH_ROOT` (a trashed file has that scope wherever it came from).
 * - `storage_folders`: files and bytes of the live files directly in each folder (root ids included). The top
 *   folders add these up over each top-level folder's live subtree: a walk of the folders, never of the files.
 * - `storage_hashes`: live files per content hash (and their size); `storage_duplicates` the waste, the bytes
 *   of every live copy beyond the first of each hash, moved by one copy's size as a group grows or shrinks.
 *
 * They are kept by database triggers on `files`, not by the repositories: files change in many places (insert,
 * purge, moves between roots, subtree trash and restore, processing that learns the size, a replaced file...),
 * and a trigger cannot be forgotten by the next write path. The trigger bodies are the same statements on both
 * databases (SQLite trigger bodies, a PL/pgSQL function on PostgreSQL), generated below from one template.
 * `StorageStore.recompute` rebuilds them from `files` (the data check's repair).
 */

const LIVE = (row: string) => `${row}.scope <> 'TRASH_ROOT'`;
const HASHED = (row: string) => `${LIVE(row)} and ${row}.hash <> ''`;

/** The statements that count `row` (`new` or `old`) in (+1) or out (-1) of every aggregate. */
export function aggregateStatements(row: 'new' | 'old', sign: 1 | -1): string[] {
  const n = sign;
  const bytes = `${sign === 1 ? '' : '-'}${row}.size_in_bytes`;
  const totals = `insert into storage_totals (scope, media_type, file_count, bytes)
    select ${row}.scope, ${row}.media_type, ${n}, ${bytes} where true
    on conflict (scope, media_type) do update
    set file_count = storage_totals.file_count + excluded.file_count, bytes = storage_totals.bytes + excluded.bytes`;
  const folders = `insert into storage_folders (folder_id, file_count, bytes)
    select ${row}.parent_folder_id, ${n}, ${bytes} where ${LIVE(row)}
    on conflict (folder_id) do update
    set file_count = storage_folders.file_count + excluded.file_count, bytes = storage_folders.bytes + excluded.bytes`;
  const hashCount = `insert into storage_hashes (hash, file_count, size_in_bytes)
    select ${row}.hash, ${n}, ${row}.size_in_bytes where ${HASHED(row)}
    on conflict (hash) do update set file_count = storage_hashes.file_count + excluded.file_count`;
  // A copy beyond the first adds its group's size to the waste: after counting it in (count now > 1), or
  // before counting it out (count still > 1).
  const waste = `update storage_duplicates
    set duplicate_files = duplicate_files + ${n},
      wasted_bytes = wasted_bytes + ${n} * (select size_in_bytes from storage_hashes where hash = ${row}.hash)
    where ${HASHED(row)} and (select file_count from storage_hashes where hash = ${row}.hash) > 1`;
  // Empty groups and folders go, so the tables stay as small as what they count.
  const cleanup = [
    `delete from storage_hashes where hash = ${row}.hash and file_count <= 0`,
    `delete from storage_folders where folder_id = ${row}.parent_folder_id and file_count <= 0`,
  ];
  return sign === 1 ? [totals, folders, hashCount, waste] : [totals, folders, waste, hashCount, ...cleanup];
}

/** Columns whose change moves a file between aggregates. */
const WATCHED = ['scope', 'media_type', 'size_in_bytes', 'hash', 'parent_folder_id'] as const;

export async function createStorageTotals(db: Kysely<unknown>): Promise<void> {
  const postgres = dialectOf(db) === 'postgres';
  const text = postgres ? sql`text collate "C"` : sql`text`;
  await sql`create table storage_totals (
    scope ${text} not null, media_type ${text} not null,
    file_count bigint not null, bytes bigint not null, primary key (scope, media_type))`.execute(db);
  await sql`create table storage_folders (
    folder_id ${text} primary key, file_count bigint not null, bytes bigint not null)`.execute(db);
  await sql`create table storage_hashes (
    hash ${text} primary key, file_count bigint not null, size_in_bytes bigint not null)`.execute(db);
  await sql`create table storage_duplicates (
    id ${text} primary key, duplicate_files bigint not null, wasted_bytes bigint not null)`.execute(db);
  await sql`insert into storage_duplicates (id, duplicate_files, wasted_bytes) values ('site', 0, 0)`.execute(
    db,
  );
  // The largest files: one walk of this index from its end (`files_scope_size_in_bytes` would need one per
  // scope, merged).
  await sql`create index files_size_id on files (size_in_bytes, id)`.execute(db);

  const insert = aggregateStatements('new', 1);
  const remove = aggregateStatements('old', -1);
  const changed = WATCHED.map((c) =>
    postgres ? `old.${c} is distinct from new.${c}` : `old.${c} is not new.${c}`,
  ).join(' or ');
  if (postgres) {
    const fn = (name: string, body: string[]) =>
      sql.raw(`create function ${name}() returns trigger language plpgsql
        set search_path from current as $$
        begin
          ${body.map((s) => `${s};`).join('\n')}
          return null;
        end $$`);
    await fn('storage_files_insert', insert).execute(db);
    await fn('storage_files_delete', remove).execute(db);
    await fn('storage_files_update', [...remove, ...insert]).execute(db);
    await sql`create trigger storage_files_insert after insert on files
      for each row execute function storage_files_insert()`.execute(db);
    await sql`create trigger storage_files_delete after delete on files
      for each row execute function storage_files_delete()`.execute(db);
    await sql
      .raw(
        `create trigger storage_files_update after update of ${WATCHED.join(', ')} on files
        for each row when (${changed}) execute function storage_files_update()`,
      )
      .execute(db);
  } else {
    const trigger = (head: string, body: string[]) =>
      sql.raw(`create trigger ${head} begin ${body.map((s) => `${s};`).join('\n')} end`);
    await trigger('storage_files_insert after insert on files', insert).execute(db);
    await trigger('storage_files_delete after delete on files', remove).execute(db);
    await trigger(`storage_files_update after update of ${WATCHED.join(', ')} on files when ${changed}`, [
      ...remove,
      ...insert,
    ]).execute(db);
  }
  await recomputeStorageTotals(db);
}

/** Rebuilds every aggregate from `files` (the migration's backfill, and the data check's repair). */
export async function recomputeStorageTotals(db: Kysely<unknown>): Promise<void> {
  for (const table of ['storage_totals', 'storage_folders', 'storage_hashes']) {
    await sql`delete from ${sql.table(table)}`.execute(db);
  }
  await sql`insert into storage_totals (scope, media_type, file_count, bytes)
    select scope, media_type, count(*), sum(size_in_bytes) from files group by scope, media_type`.execute(db);
  await sql`insert into storage_folders (folder_id, file_count, bytes)
    select parent_folder_id, count(*), sum(size_in_bytes) from files
    where scope <> 'TRASH_ROOT' group by parent_folder_id`.execute(db);
  await sql`insert into storage_hashes (hash, file_count, size_in_bytes)
    select hash, count(*), min(size_in_bytes) from files
    where scope <> 'TRASH_ROOT' and hash <> '' group by hash`.execute(db);
  await sql`update storage_duplicates set
    duplicate_files = (select coalesce(sum(file_count - 1), 0) from storage_hashes),
    wasted_bytes = (select coalesce(sum((file_count - 1) * size_in_bytes), 0) from storage_hashes)
    where id = 'site'`.execute(db);
}
