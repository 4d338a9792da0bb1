import { type Kysely, type Migration } from 'kysely';
import { createStorageTotals } from '../storage-totals-schema.ts';
import { textType } from './text-type.ts';

/**
 * Migrations 0009-0016, in order: alt text, share links, bulk operations and their undo, revisions,
 * duplicates, storage totals, visitor moderation. Never edit one that has shipped: add a new one, at the end of
 * `../migrations.ts`.
 */
export const migrations0009to0016: Record<string, Migration> = {
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
};
