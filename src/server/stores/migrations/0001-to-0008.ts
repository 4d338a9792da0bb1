import { sql, type Kysely, type Migration } from 'kysely';
import { dialectOf } from '../dialect.ts';
import { textType } from './text-type.ts';

/**
 * Migrations 0001-0008, in order: the first schema, zip downloads, search, usage and jobs, assets, image
 * variants. Never edit one that has shipped: add a new one, at the end of
 * `../migrations.ts`.
 */
export const migrations0001to0008: Record<string, Migration> = {
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
};
