import type { Kysely } from 'kysely';
import type { MetadataStore } from './metadata-store.ts';
import type { Database } from './schema.ts';

/** A share link as stored: the link's id is its capability, checked against this row on every use. */
export interface ShareLinkRow {
  id: string;
  file_id: string;
  created_at: string;
  expires_at: string;
}

/** The schema with the table of migration 0010, which `Database` (shared by every store) leaves out. */
type SharingDatabase = Database & { share_links: ShareLinkRow };

/**
 * SQL of privacy and sharing: share links (`share_links`) and the `private` flag of files. Runs on the metadata
 * store's connection, so it joins the store's transactions.
 */
export class SharingStore {
  constructor(private readonly store: MetadataStore) {}

  private get db(): Kysely<SharingDatabase> {
    return this.store.db as unknown as Kysely<SharingDatabase>;
  }

  async insert(row: ShareLinkRow): Promise<void> {
    await this.db.insertInto('share_links').values(row).execute();
  }

  get(id: string): Promise<ShareLinkRow | undefined> {
    return this.db.selectFrom('share_links').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A file's links that have not expired, the one expiring last first. */
  liveOf(fileId: string, now: string): Promise<ShareLinkRow[]> {
    return this.db
      .selectFrom('share_links')
      .selectAll()
      .where('file_id', '=', fileId)
      .where('expires_at', '>', now)
      .orderBy('expires_at', 'desc')
      .orderBy('id')
      .execute();
  }

  /** False when there was no such link of that file. */
  async delete(fileId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('share_links')
      .where('id', '=', id)
      .where('file_id', '=', fileId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteExpired(now: string): Promise<number> {
    const result = await this.db.deleteFrom('share_links').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Links whose file was deleted forever; run in the purge's transaction, so they go with the file. */
  async deleteOrphans(): Promise<number> {
    const result = await this.db
      .deleteFrom('share_links')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('files').select('files.id').whereRef('files.id', '=', 'share_links.file_id'),
          ),
        ),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** The ids among `fileIds` that exist (in any state). */
  async existingFileIds(fileIds: readonly string[]): Promise<string[]> {
    if (fileIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('files')
      .select('id')
      .where('id', 'in', [...fileIds])
      .execute();
    return rows.map((row) => row.id);
  }

  /**
   * Marks files private or public. `updated_date` stays: it is a trashed file's "deleted" time, and a privacy
   * change is not an edit of the file.
   */
  async setPrivate(fileIds: readonly string[], isPrivate: boolean): Promise<number> {
    if (fileIds.length === 0) return 0;
    const result = await this.db
      .updateTable('files')
      .set({ private: isPrivate ? 1 : 0 })
      .where('id', 'in', [...fileIds])
      .where('private', '=', isPrivate ? 0 : 1)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
