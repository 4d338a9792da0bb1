import type { MetadataStore } from './metadata-store.ts';
import type { TusUploadTable } from './schema.ts';

/** A resumable upload on S3 as the tus store works with it. */
export interface TusUploadState {
  id: string;
  fileId: string;
  blobKey: string;
  multipartId: string;
  size: number;
  partSize: number;
  metadata: Record<string, string | null>;
  createdAt: string;
  received: number;
  /** `[partNumber, etag]` of the parts uploaded so far. */
  parts: Array<[number, string]>;
  /** The first bytes (up to the sniffed length), once received. */
  head: Buffer | undefined;
}

function stateOf(row: TusUploadTable): TusUploadState {
  return {
    id: row.id,
    fileId: row.file_id,
    blobKey: row.blob_key,
    multipartId: row.multipart_id,
    // PostgreSQL's bigint comes back as a string.
    size: Number(row.size),
    partSize: Number(row.part_size),
    metadata: JSON.parse(row.metadata) as Record<string, string | null>,
    createdAt: row.created_at,
    received: Number(row.received),
    parts: JSON.parse(row.parts) as Array<[number, string]>,
    head: row.head === null ? undefined : Buffer.from(row.head, 'base64'),
  };
}

/**
 * The state of resumable uploads on S3 (`services/tus/s3-store.ts`), shared by every instance: the metadata database
 * already coordinates them, and one row read per request is cheaper than the `.info` object @tus/s3-store reads
 * from the bucket. Progress is one conditional update (`received` must be what the writer started from), so two
 * instances writing the same upload at once cannot both advance it.
 */
export class TusUploadStore {
  constructor(private readonly store: MetadataStore) {}

  private get db() {
    return this.store.db;
  }

  async insert(state: TusUploadState): Promise<void> {
    await this.db
      .insertInto('tus_uploads')
      .values({
        id: state.id,
        file_id: state.fileId,
        blob_key: state.blobKey,
        multipart_id: state.multipartId,
        size: state.size,
        part_size: state.partSize,
        metadata: JSON.stringify(state.metadata),
        created_at: state.createdAt,
        received: state.received,
        parts: JSON.stringify(state.parts),
        head: state.head === undefined ? null : state.head.toString('base64'),
      })
      .execute();
  }

  async get(id: string): Promise<TusUploadState | undefined> {
    const row = await this.db.selectFrom('tus_uploads').selectAll().where('id', '=', id).executeTakeFirst();
    return row && stateOf(row);
  }

  /**
   * Moves an upload from `from` bytes to `received`, with its parts and first bytes; false when it was not at
   * `from` any more (another writer moved it, or it was removed).
   */
  async advance(
    id: string,
    from: number,
    progress: { received: number; parts: Array<[number, string]>; head: Buffer | undefined },
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('tus_uploads')
      .set({
        received: progress.received,
        parts: JSON.stringify(progress.parts),
        head: progress.head === undefined ? null : progress.head.toString('base64'),
      })
      .where('id', '=', id)
      .where('received', '=', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('tus_uploads').where('id', '=', id).execute();
  }

  /** Uploads created before `before` (ISO), oldest first. */
  async createdBefore(before: string, limit = 1000): Promise<TusUploadState[]> {
    const rows = await this.db
      .selectFrom('tus_uploads')
      .selectAll()
      .where('created_at', '<', before)
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return rows.map(stateOf);
  }

  /** Blob keys of the uploads under way (their multipart uploads are not blob writes). */
  async blobKeys(): Promise<string[]> {
    const rows = await this.db.selectFrom('tus_uploads').select('blob_key').execute();
    return rows.map((row) => row.blob_key);
  }
}
