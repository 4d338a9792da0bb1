import type { Kysely } from 'kysely';
import type { MetadataStore } from './metadata-store.ts';
import type { Database, FileRow, FileTable, RevisionColumn } from './schema.ts';

/** The schema with `files.revision` (migration 0013), which `FileTable` leaves out (see `RevisionColumn`). */
type RevisionDatabase = Omit<Database, 'files'> & { files: FileTable & RevisionColumn };

export type RevisedFileRow = FileRow & RevisionColumn;

/**
 * SQL of Replace (a file's new bytes under the same id): its revision counter, the transformation cache of the
 * bytes it replaces, and which blobs rows name as their original. Runs on the metadata store's connection, so
 * it joins the store's transactions.
 */
export class ReplaceStore {
  constructor(private readonly store: MetadataStore) {}

  private get db(): Kysely<RevisionDatabase> {
    return this.store.db as unknown as Kysely<RevisionDatabase>;
  }

  getFile(id: string): Promise<RevisedFileRow | undefined> {
    return this.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async setRevision(id: string, revision: number): Promise<void> {
    await this.db.updateTable('files').set({ revision }).where('id', '=', id).execute();
  }

  /** Removes the cached transformations of a file (rendered from bytes it no longer has); returns their blobs. */
  async takeVariantsOf(fileId: string): Promise<string[]> {
    const rows = await this.db
      .deleteFrom('image_variants')
      .where('file_id', '=', fileId)
      .returning('blob_key')
      .execute();
    return rows.map((row) => row.blob_key);
  }

  /**
   * Of these blob keys, those some file row names as its original. A replaced file's earlier bytes stay under its
   * id's key layout but belong to the trashed version's row, and its new bytes are under a key of their own.
   */
  async referencedBlobKeys(keys: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += 500) {
      const rows = await this.db
        .selectFrom('files')
        .select('blob_key')
        .where('blob_key', 'in', keys.slice(i, i + 500))
        .execute();
      for (const row of rows) found.add(row.blob_key);
    }
    return found;
  }
}
