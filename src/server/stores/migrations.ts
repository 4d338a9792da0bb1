import {
  Migrator,
  sql,
  type ColumnDataType,
  type Expression,
  type Kysely,
  type Migration,
  type MigrationProvider,
} from 'kysely';
import { dialectOf } from './dialect.ts';
import { createStorageTotals } from './storage-totals-schema.ts';

/**
 * The type of every text column. SQLite compares text byte by byte (BINARY); PostgreSQL would use the
 * database's locale, where 'B' < 'a' may not hold and punctuation may be ignored. Keyset paging needs the index
 * order, the ORDER BY and the row-value comparison to agree on one total order, and cursors should page alike
 * on both: so on PostgreSQL text columns are `COLLATE "C"` (byte order of UTF-8, like SQLite), whatever the
 * database's locale.
 */
function textType(db: Kysely<unknown>): ColumnDataType | Expression<unknown> {
  return dialectOf(db) === 'postgres' ? sql`text collate "C"` : 'text';
}

/**
 * Schema migrations, in order. Written with Kysely's schema builder where it can, so the same list runs on
 * SQLite and PostgreSQL; where the SQL differs a migration branches on the dialect (the SQLite side is what
 * shipped). Never edit a migration that has shipped: add a new one.
 */
const migrations: Record<string, Migration> = {
  '0001-initial': {
    async up(db: Kysely<unknown>) {
      const text = textType(db);
      for (const table of ['folders', 'files'] as const) {
        let builder = db.schema
          .createTable(table)
          .addColumn('id', text, (c) => c.primaryKey())
          .addColumn('parent_folder_id', text, (c) => c.notNull())
          .addColumn('location_id', text, (c) => c.notNull())
          .addColumn('root', text, (c) => c.notNull())
          .addColumn('scope', text, (c) => c.notNull())
          .addColumn('state', text, (c) => c.notNull())
          .addColumn('trash_batch', text)
          .addColumn('display_name', text, (c) => c.notNull())
          .addColumn('sort_name', text, (c) => c.notNull())
          .addColumn('created_date', text, (c) => c.notNull())
          .addColumn('updated_date', text, (c) => c.notNull());
        if (table === 'files') {
          builder = builder
            .addColumn('search_text', text, (c) => c.notNull())
            .addColumn('mime_type', text, (c) => c.notNull())
            .addColumn('media_type', text, (c) => c.notNull())
            .addColumn('size_in_bytes', 'bigint', (c) => c.notNull())
            .addColumn('hash', text, (c) => c.notNull())
            .addColumn('private', 'integer', (c) => c.notNull())
            .addColumn('labels', text, (c) => c.notNull())
            .addColumn('operation_status', text, (c) => c.notNull())
            .addColumn('failure_reason', text)
            .addColumn('source_url', text)
            .addColumn('media', text, (c) => c.notNull())
            .addColumn('external_info', text)
            .addColumn('blob_key', text, (c) => c.notNull());
        }
        await builder.execute();

        // One index per sort order for each kind of listing, ending in id: every page is one range scan
        // (keyset paging), whatever the depth.
        const sorts =
          table === 'files' ? ['sort_name', 'updated_date', 'size_in_bytes'] : ['sort_name', 'updated_date'];
        for (const sort of sorts) {
          await db.schema
            .createIndex(`${table}_location_${sort}`)
            .on(table)
            .columns(['location_id', sort, 'id'])
            .execute();
          await db.schema
            .createIndex(`${table}_scope_${sort}`)
            .on(table)
            .columns(['scope', sort, 'id'])
            .execute();
        }
        // Subtree walks (move, trash, restore, delete) follow parent links.
        await db.schema.createIndex(`${table}_parent`).on(table).column('parent_folder_id').execute();
        await db.schema.createIndex(`${table}_trash_batch`).on(table).column('trash_batch').execute();
      }

      await db.schema
        .createTable('upload_tokens')
        .addColumn('token_hash', text, (c) => c.primaryKey())
        .addColumn('params', text, (c) => c.notNull())
        .addColumn('expires_at', text, (c) => c.notNull())
        .addColumn('claimed_at', text)
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', text, (c) => c.primaryKey())
        .addColumn('csrf_token', text, (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('expires_at', text, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('login_tokens')
        .addColumn('token_hash', text, (c) => c.primaryKey())
        .addColumn('expires_at', text, (c) => c.notNull())
        .execute();
    },
  },
  '0002-zip-downloads': {
    async up(db: Kysely<unknown>) {
      const text = textType(db);
      // Zip download URLs never expire, so their rows are kept for good; the token itself is never stored.
      await db.schema
        .createTable('zip_downloads')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('kind', text, (c) => c.notNull())
        .addColumn('params', text, (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .execute();
    },
  },
  '0003-files-search-trigram': {
    async up(db: Kysely<unknown>) {
      // A substring search (`search` matches anywhere in name, MIME type and labels) cannot use a B-tree.
      if (dialectOf(db) === 'postgres') {
        // pg_trgm's GIN index answers `search_text LIKE '%term%'` itself (3+ characters; the rows it returns
        // are rechecked, so results are exact) and PostgreSQL keeps it current: no shadow table, no triggers.
        // pg_trgm is a trusted extension: the database owner may create it. It may already be installed in
        // another schema than ours (one extension per database): name its operator class with that schema.
        await sql`create extension if not exists pg_trgm`.execute(db);
        const { rows } = await sql<{ schema: string }>`
          select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
          where e.extname = 'pg_trgm'`.execute(db);
        const opclass = sql.id(rows[0]?.schema ?? 'public', 'gin_trgm_ops');
        await sql`create index files_search_trgm on files using gin (search_text ${opclass})`.execute(db);
        return;
      }
      // On SQLite an FTS5 trigram index over `search_text` finds the rows that contain a term of 3+ characters
      // without reading the table; it follows `files` through triggers. It is keyed by the files' rowid, which
      // only a VACUUM can change: after one, run `INSERT INTO files_fts(files_fts) VALUES('rebuild')`.
      await sql`create virtual table files_fts using fts5(search_text, content='files', content_rowid='rowid', tokenize='trigram')`.execute(
        db,
      );
      await sql`create trigger files_fts_insert after insert on files begin
        insert into files_fts(rowid, search_text) values (new.rowid, new.search_text);
      end`.execute(db);
      await sql`create trigger files_fts_delete after delete on files begin
        insert into files_fts(files_fts, rowid, search_text) values ('delete', old.rowid, old.search_text);
      end`.execute(db);
      await sql`create trigger files_fts_update after update of search_text on files begin
        insert into files_fts(files_fts, rowid, search_text) values ('delete', old.rowid, old.search_text);
        insert into files_fts(rowid, search_text) values (new.rowid, new.search_text);
      end`.execute(db);
      await sql`insert into files_fts(files_fts) values ('rebuild')`.execute(db);
    },
  },
  '0004-uploads-usage-jobs': {
    async up(db: Kysely<unknown>) {
      const text = textType(db);
      // A resumable (tus) upload is tied to the token it was created with.
      await db.schema.alterTable('upload_tokens').addColumn('upload_id', text).execute();
      await db.schema.createIndex('upload_tokens_upload').on('upload_tokens').column('upload_id').execute();

      // The bytes the site uses, kept up to date by every insert and purge of a file (same transaction).
      await db.schema
        .createTable('site_usage')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .execute();
      await sql`insert into site_usage (id, bytes) select 'site', coalesce(sum(size_in_bytes), 0) from files`.execute(
        db,
      );

      await db.schema
        .createTable('jobs')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('kind', text, (c) => c.notNull())
        .addColumn('payload', text, (c) => c.notNull())
        .addColumn('state', text, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('run_after', text, (c) => c.notNull())
        .addColumn('locked_until', text)
        .addColumn('last_error', text)
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('updated_at', text, (c) => c.notNull())
        .execute();
      // Claiming reads the next due queued job, or a running one whose lock ran out.
      await db.schema
        .createIndex('jobs_state_run_after')
        .on('jobs')
        .columns(['state', 'run_after'])
        .execute();
      await db.schema
        .createIndex('jobs_state_locked_until')
        .on('jobs')
        .columns(['state', 'locked_until'])
        .execute();
    },
  },
  '0005-file-assets': {
    async up(db: Kysely<unknown>) {
      // Renditions made by media processing (thumbnail, preview, 480p.mp4, hls, mp3...): JSON keyed by asset key.
      await db.schema
        .alterTable('files')
        .addColumn('assets', 'text', (c) => c.notNull().defaultTo('{}'))
        .execute();
    },
  },
  '0006-files-root-size': {
    async up(db: Kysely<unknown>) {
      // The Visitor Uploads quota sums the sizes of one root's files: an index range scan, no table reads.
      await db.schema.createIndex('files_root_size').on('files').columns(['root', 'size_in_bytes']).execute();
    },
  },
  '0007-upload-claim-leases': {
    async up(db: Kysely<unknown>) {
      const text = textType(db);
      // Claims on upload tokens become leases (`claim_expires_at`, renewed by their holder, `claim_id`), and a
      // finalized resumable upload remembers its file so that finalize can be repeated.
      await db.schema.alterTable('upload_tokens').addColumn('claim_expires_at', text).execute();
      await db.schema.alterTable('upload_tokens').addColumn('claim_id', text).execute();
      await db.schema.alterTable('upload_tokens').addColumn('file_id', text).execute();
      // Claims made before leases existed belong to processes that are gone (this one is starting): free them.
      await sql`update upload_tokens set claim_expires_at = claimed_at where claimed_at is not null`.execute(
        db,
      );
    },
  },
  '0008-image-variants': {
    async up(db: Kysely<unknown>) {
      const text = textType(db);
      // Where `fill` centres its crop unless the URL says otherwise: JSON `{x, y}` in percent; null: the centre.
      await db.schema.alterTable('files').addColumn('focal_point', text).execute();
      // Rendered transformations (`/media/<id>/v1/...`) kept in the blob store; evicted least recently used.
      await db.schema
        .createTable('image_variants')
        .addColumn('key', text, (c) => c.primaryKey())
        .addColumn('file_id', text, (c) => c.notNull())
        .addColumn('blob_key', text, (c) => c.notNull())
        .addColumn('mime_type', text, (c) => c.notNull())
        .addColumn('size_in_bytes', 'bigint', (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('last_used_at', text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('image_variants_file').on('image_variants').column('file_id').execute();
      await db.schema
        .createIndex('image_variants_last_used')
        .on('image_variants')
        .columns(['last_used_at', 'key'])
        .execute();
    },
  },
  '0009-alt-text': {
    async up(db: Kysely<unknown>) {
      // An image's alt text (the contract's `media.image.image.altText`), kept beside `media` rather than in it:
      // processing rewrites `media` when it finishes, and must not undo an alt text written meanwhile.
      await db.schema.alterTable('files').addColumn('alt_text', textType(db)).execute();
    },
  },
  '0010-share-links': {
    async up(db: Kysely<unknown>) {
      const text = textType(db);
      // Share links of files (`/download/v1/share/<id>`): a row per live link, checked on every use, so deleting
      // the row revokes the link on every instance at once. Expired rows are removed by the cleanup.
      await db.schema
        .createTable('share_links')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('file_id', text, (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('expires_at', text, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('share_links_file')
        .on('share_links')
        .columns(['file_id', 'expires_at'])
        .execute();
      await db.schema.createIndex('share_links_expires').on('share_links').column('expires_at').execute();
    },
  },
  '0011-bulk-operations': {
    async up(db: Kysely<unknown>) {
      const text = textType(db);
      // An action over every item of a listing ("Select all N", then Restore / Move...), run in batches by a
      // job: the filter, the snapshot instant, and a keyset cursor advanced in each batch's own transaction, so
      // a crash resumes after the last committed batch.
      await db.schema
        .createTable('bulk_operations')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('action', text, (c) => c.notNull())
        .addColumn('filter', text, (c) => c.notNull())
        .addColumn('started_at', text, (c) => c.notNull())
        .addColumn('status', text, (c) => c.notNull())
        .addColumn('phase', text, (c) => c.notNull())
        .addColumn('cursor_date', text)
        .addColumn('cursor_id', text)
        .addColumn('done_folders', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('done_files', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('total_folders', 'integer', (c) => c.notNull())
        .addColumn('total_files', 'integer', (c) => c.notNull())
        .addColumn('total_estimated', 'integer', (c) => c.notNull())
        .addColumn('error', text)
        .addColumn('updated_at', text, (c) => c.notNull())
        .addColumn('finished_at', text)
        .execute();
    },
  },
  '0012-bulk-undo': {
    async up(db: Kysely<unknown>) {
      const text = textType(db);
      // What a bulk operation changed, item by item, written in each batch's own transaction: what its undo
      // (`POST .../bulk-operations/{id}/undo`) reverses. `after_date` is the `updated_date` the operation gave the
      // item, so the undo can tell an item changed since (moved again, renamed, trashed) and leave it alone.
      await db.schema
        .createTable('bulk_operation_items')
        .addColumn('operation_id', text, (c) => c.notNull())
        .addColumn('kind', text, (c) => c.notNull())
        .addColumn('item_id', text, (c) => c.notNull())
        .addColumn('before_parent_id', text)
        .addColumn('before_root', text)
        .addColumn('after_date', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('bulk_operation_items_pk', ['operation_id', 'kind', 'item_id'])
        .execute();
      // The undo of an operation points at it; unique, so two undo requests at once start one undo.
      await db.schema.alterTable('bulk_operations').addColumn('undo_of', text).execute();
      await db.schema
        .createIndex('bulk_operations_undo_of')
        .on('bulk_operations')
        .column('undo_of')
        .unique()
        .execute();
    },
  },
  '0013-file-revision': {
    async up(db: Kysely<unknown>) {
      // How many times a file's bytes were replaced (Replace keeps the id): the `v` of its served URLs, so
      // browsers and CDNs holding the old bytes under a long max-age fetch the new ones. 0: never replaced.
      await db.schema
        .alterTable('files')
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // The blob sweeper asks which rows name a blob as their original: a replaced file's bytes live under keys
      // its id's layout alone does not vouch for (see ReplaceStore.referencedBlobKeys).
      await db.schema.createIndex('files_blob_key').on('files').column('blob_key').execute();
    },
  },
  '0014-duplicates': {
    async up(db: Kysely<unknown>) {
      // Identical bytes are found by their SHA-256 (`files.hash`, computed at ingest): an upload's duplicate is
      // one index lookup, oldest first (what "Use existing" and "Replace" pick).
      await db.schema.createIndex('files_hash').on('files').columns(['hash', 'created_date', 'id']).execute();
      // The Duplicates view pages groups of identical live files, largest first: a walk of this index in
      // (size, hash) order, grouped, without reading the table (identical bytes have the same size).
      await db.schema
        .createIndex('files_state_size_hash')
        .on('files')
        .columns(['state', 'size_in_bytes', 'hash'])
        .execute();
    },
  },
  '0015-storage-totals': {
    async up(db: Kysely<unknown>) {
      // The Storage page's aggregates, kept by triggers on `files` (see storage-totals-schema.ts).
      await createStorageTotals(db);
    },
  },
  '0016-visitor-moderation': {
    async up(db: Kysely<unknown>) {
      const text = textType(db);
      // A visitor's upload waits for review (1) until it is approved or rejected (null). Files that were there
      // before this migration count as reviewed: an upgrade does not flood the queue with old uploads. The
      // index holds the queue in its order, so counting and listing it reads only the new files.
      await db.schema.alterTable('files').addColumn('visitor_new', 'integer').execute();
      await db.schema
        .createIndex('files_visitor_new')
        .on('files')
        .columns(['visitor_new', 'root', 'state', 'created_date', 'id'])
        .execute();
      // The site's moderation settings (one row): the Site Files folder Approve moved files into last.
      await db.schema
        .createTable('visitor_moderation')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('approve_folder_id', text)
        .addColumn('updated_at', text, (c) => c.notNull())
        .execute();
    },
  },
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
