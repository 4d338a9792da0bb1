import { CompiledQuery, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/test-databases.ts';
import { BulkStore, type BulkFilter } from './bulk-store.ts';
import { MetadataStore } from './metadata-store.ts';
import type { FileRow } from './schema.ts';
import { fileRow } from '../testing/file-row.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Items trashed together: one `updated_date` for all, images and other types mixed. */
const TRASHED_AT = '2026-03-01T10:00:00.000Z';

function trashedFile(i: number): FileRow {
  const image = i % 3 === 0;
  return fileRow(i, `item ${i}`, {
    location_id: 'trash-root',
    scope: 'TRASH_ROOT',
    state: 'DELETED',
    trash_batch: 'b1',
    mime_type: image ? 'image/png' : 'text/plain',
    media_type: image ? 'IMAGE' : 'DOCUMENT',
    size_in_bytes: 1,
    hash: '',
    created_date: TRASHED_AT,
    updated_date: TRASHED_AT,
  });
}

const images: BulkFilter = { folderId: 'trash-root', state: 'DELETED', mediaTypes: ['IMAGE'] };

for (const database of testDatabases) {
  describe.skipIf(database.unavailable)(`BulkStore batches on ${database.name}`, () => {
    async function storeWithTrash(count: number): Promise<MetadataStore> {
      const { db, drop } = await database.open();
      const store = new MetadataStore(db);
      cleanups.push(drop, () => store.close());
      await store.migrate();
      for (let i = 0; i < count; i++) await store.files.insertFile(trashedFile(i));
      return store;
    }

    it('walks items that share one date in id order, batch after batch, each once', async () => {
      const store = await storeWithTrash(60);
      const bulk = new BulkStore(store);
      const seen: string[] = [];
      let cursor: { date: string; id: string } | null = null;
      for (;;) {
        const rows = await bulk.nextBatch('files', images, '2026-12-31T00:00:00.000Z', cursor, 4);
        if (rows.length === 0) break;
        seen.push(...rows.map((r) => r.id));
        const last = rows.at(-1)!;
        cursor = { date: last.updated_date, id: last.id };
      }
      const expected = Array.from({ length: 60 }, (_, i) => trashedFile(i))
        .filter((f) => f.media_type === 'IMAGE')
        .map((f) => f.id);
      expect(seen).toEqual(expected);
    });

    // Restoring every image of a trash emptied in one go: each batch used to walk again, from the start of
    // their date, every item the operation had passed over, so batches grew slower as it went.
    it('seeks a batch to its (date, id) cursor, not to the date alone (SQLite plan)', async () => {
      const store = await storeWithTrash(30);
      if (store.dialect !== 'sqlite') return; // PostgreSQL compares row values in its B-tree the same way
      await sql`analyze`.execute(store.db);
      const query = new BulkStore(store).nextBatchQuery(
        'files',
        images,
        '2026-12-31T00:00:00.000Z',
        { date: TRASHED_AT, id: 'f0015' },
        8,
      );
      const { sql: text, parameters } = query.compile();
      const { rows } = await store.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${text}`, [...parameters]),
      );
      expect(rows.map((r) => r.detail)).toEqual([
        'SEARCH files USING INDEX files_location_updated_date (location_id=? AND (updated_date,id)>(?,?) AND updated_date<?)',
      ]);
    });
  });
}
