import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { MetadataStore } from './metadata-store.ts';
import type { Database, FileTable, FocalPointColumn, ImageVariantRow } from './schema.ts';

/** The schema with the image columns `FileTable` leaves out (see `FocalPointColumn`). */
type ImageDatabase = Omit<Database, 'files'> & { files: FileTable & FocalPointColumn };

/** Focal points in percent of the image (image-kit's `focalPoint` option uses the same scale). */
export interface StoredFocalPoint {
  x: number;
  y: number;
}

/** What a transformation needs of a file. */
export type TransformSourceRow = Pick<
  FileTable & FocalPointColumn,
  'id' | 'private' | 'hash' | 'media_type' | 'blob_key' | 'focal_point' | 'assets' | 'media'
>;

/**
 * SQL of image transformations: the cached variants (`image_variants`) and files' focal points. Runs on the
 * metadata store's connection, so it joins the store's transactions.
 */
export class ImageStore {
  private transformSourceQuery: CompiledQuery | undefined;

  constructor(private readonly store: MetadataStore) {}

  private get db(): Kysely<ImageDatabase> {
    return this.store.db as unknown as Kysely<ImageDatabase>;
  }

  /** What a transformation needs of a file, in one query. */
  async transformSource(fileId: string): Promise<TransformSourceRow | undefined> {
    // PostgreSQL rejects a parameter holding a NUL; no id can hold one, so it names no file (as the
    // PostgreSQL plugin `NulMatchesNothing` makes it for built queries, which this one is not).
    if (fileId.includes('\0')) return undefined;
    this.transformSourceQuery ??= this.db
      .selectFrom('files')
      .select(['id', 'private', 'hash', 'media_type', 'blob_key', 'focal_point', 'assets', 'media'])
      .where('id', '=', '')
      .compile();
    // Every cached image hit runs this: the SQL is built and compiled once, only the id changes. The same
    // text runs in or out of a transaction (`this.db` is either).
    const result = await this.db.executeQuery<TransformSourceRow>({
      ...this.transformSourceQuery,
      parameters: [fileId],
    });
    return result.rows[0];
  }

  async focalPoint(fileId: string): Promise<StoredFocalPoint | null> {
    const row = await this.db
      .selectFrom('files')
      .select('focal_point')
      .where('id', '=', fileId)
      .executeTakeFirst();
    return row?.focal_point ? (JSON.parse(row.focal_point) as StoredFocalPoint) : null;
  }

  /** False when there is no such file. */
  async setFocalPoint(fileId: string, focal: StoredFocalPoint | null): Promise<boolean> {
    const result = await this.db
      .updateTable('files')
      .set({ focal_point: focal ? JSON.stringify(focal) : null })
      .where('id', '=', fileId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  getVariant(key: string): Promise<ImageVariantRow | undefined> {
    return this.db.selectFrom('image_variants').selectAll().where('key', '=', key).executeTakeFirst();
  }

  /** Another instance may have rendered the same variant meanwhile: the first row stays. */
  async insertVariant(row: ImageVariantRow): Promise<void> {
    await this.db
      .insertInto('image_variants')
      .values(row)
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }

  async touchVariant(key: string, now: string): Promise<void> {
    await this.db.updateTable('image_variants').set({ last_used_at: now }).where('key', '=', key).execute();
  }

  async variantBytes(): Promise<number> {
    const row = await this.db
      .selectFrom('image_variants')
      .select(sql<number | string | null>`sum(size_in_bytes)`.as('bytes'))
      .executeTakeFirst();
    return Number(row?.bytes ?? 0);
  }

  /** The least recently used variants, oldest first. */
  leastRecentlyUsed(limit: number): Promise<ImageVariantRow[]> {
    return this.db
      .selectFrom('image_variants')
      .selectAll()
      .orderBy('last_used_at')
      .orderBy('key')
      .limit(limit)
      .execute();
  }

  /** Removes variant rows and returns those it removed (another instance may have been first). */
  async deleteVariants(keys: readonly string[]): Promise<ImageVariantRow[]> {
    if (keys.length === 0) return [];
    return this.db.deleteFrom('image_variants').where('key', 'in', keys).returningAll().execute();
  }

  /** Removes the variants of files that no longer exist (purged) and returns their blob keys. */
  async takeOrphanVariants(): Promise<string[]> {
    const rows = await this.db
      .deleteFrom('image_variants')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('files').select('files.id').whereRef('files.id', '=', 'image_variants.file_id'),
          ),
        ),
      )
      .returning('blob_key')
      .execute();
    return rows.map((r) => r.blob_key);
  }
}
