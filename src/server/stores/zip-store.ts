import type { MetadataStore } from './metadata-store.ts';
import type { FileRow, ZipDownloadRow } from './schema.ts';
import { applyPage, type KeysetPosition } from './sql-helpers.ts';

/** The columns of a file a zip needs: its entry's name, bytes, size and date, and whether it has bytes yet. */
export type ZipFileRow = Pick<
  FileRow,
  'id' | 'sort_name' | 'display_name' | 'blob_key' | 'size_in_bytes' | 'created_date' | 'hash'
>;

/** Zip downloads: their records, and the lean page of a folder's files a zip streams. */
export class ZipStore {
  constructor(private readonly store: MetadataStore) {}

  /** The store's connection, or its open transaction (see `MetadataStore.db`). */
  private get db() {
    return this.store.db;
  }

  async insertZipDownload(row: ZipDownloadRow): Promise<void> {
    await this.db.insertInto('zip_downloads').values(row).execute();
  }

  getZipDownload(id: string): Promise<ZipDownloadRow | undefined> {
    return this.db.selectFrom('zip_downloads').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * One keyset page of a folder's live public files in name order, with only the columns a zip needs: a zip
   * walks up to 1000 rows, and whole rows (media metadata, search text) were most of what it allocated.
   */
  listZipFiles(locationId: string, after: KeysetPosition | null, limit: number): Promise<ZipFileRow[]> {
    const qb = this.db
      .selectFrom('files')
      .select(['id', 'sort_name', 'display_name', 'blob_key', 'size_in_bytes', 'created_date', 'hash'])
      .where('private', '=', 0);
    const filter = { locationId, state: 'OK' as const };
    return applyPage(
      qb,
      { filter, column: 'sort_name', order: 'ASC', after, limit },
      'search_text',
    ).execute();
  }
}
