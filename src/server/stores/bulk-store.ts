import { sql } from 'kysely';
import type { MediaType } from '../../contract/index.ts';
import type { MetadataStore } from './metadata-store.ts';
import type { BulkOperationRow, BulkOperationTable, FileRow, FolderRow } from './schema.ts';

/** Which items a bulk operation acts on: the direct items of one listing, as `item-count` counts them. */
export interface BulkFilter {
  /** The listing's folder (`trash-root` for the trash's top level). */
  folderId: string;
  state: 'OK' | 'DELETED';
  /** Files of these types only (then no folders). */
  mediaTypes?: MediaType[] | undefined;
  exceptFolderIds?: string[] | undefined;
  exceptFileIds?: string[] | undefined;
  /** MOVE: where the items go. */
  destinationFolderId?: string | undefined;
}

export interface KeysetCursor {
  date: string;
  id: string;
}

/**
 * The rows of bulk operations, and the batches they work through. A batch is the next items of the listing in
 * `(updated_date, id)` order, which the `<table>_location_updated_date` index holds: one range scan per batch,
 * whatever the size of the folder, with no sort. Joins the MetadataStore's transaction, like every store.
 */
export class BulkStore {
  constructor(private readonly store: MetadataStore) {}

  async insert(row: BulkOperationTable): Promise<void> {
    await this.store.db.insertInto('bulk_operations').values(row).execute();
  }

  get(id: string): Promise<BulkOperationRow | undefined> {
    return this.store.db.selectFrom('bulk_operations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * The next items of the listing after `cursor` that were last changed at or before `startedAt` (the
   * snapshot): items acted on leave the listing, items changed since the start are left alone.
   */
  async nextBatch(
    kind: 'folders' | 'files',
    filter: BulkFilter,
    startedAt: string,
    cursor: KeysetCursor | null,
    limit: number,
  ): Promise<(FileRow | FolderRow)[]> {
    // Typed as files; for folders only the columns both tables share are read.
    return this.nextBatchQuery(kind, filter, startedAt, cursor, limit).execute();
  }

  /** The query of `nextBatch` (tests read its plan). */
  nextBatchQuery(
    kind: 'folders' | 'files',
    filter: BulkFilter,
    startedAt: string,
    cursor: KeysetCursor | null,
    limit: number,
  ) {
    const except = (kind === 'files' ? filter.exceptFileIds : filter.exceptFolderIds) ?? [];
    let q = this.store.db
      .selectFrom(kind as 'files')
      .selectAll()
      .where('location_id', '=', filter.folderId)
      .where('state', '=', filter.state)
      .where('updated_date', '<=', startedAt);
    // A row value, not `date > d OR (date = d AND id > i)`: both databases seek the index to the pair, where the
    // OR form seeks to the date only and walks again every item left behind at that date (items trashed
    // together share one), so a batch cost more the further the operation went.
    if (cursor) q = q.where(sql<boolean>`(updated_date, id) > (${cursor.date}, ${cursor.id})`);
    if (kind === 'files' && filter.mediaTypes?.length) q = q.where('media_type', 'in', filter.mediaTypes);
    if (except.length > 0) q = q.where('id', 'not in', except);
    return q.orderBy('updated_date').orderBy('id').limit(limit);
  }

  /** Records a batch done: in the batch's own transaction, so the cursor never runs ahead of the changes. */
  async advance(
    id: string,
    phase: BulkOperationRow['phase'],
    cursor: KeysetCursor | null,
    done: { folders: number; files: number },
    now: string,
  ): Promise<void> {
    await this.store.db
      .updateTable('bulk_operations')
      .set((eb) => ({
        phase,
        cursor_date: cursor?.date ?? null,
        cursor_id: cursor?.id ?? null,
        done_folders: eb('done_folders', '+', done.folders),
        done_files: eb('done_files', '+', done.files),
        updated_at: now,
      }))
      .where('id', '=', id)
      .execute();
  }

  async finish(id: string, status: 'DONE' | 'FAILED', error: string | null, now: string): Promise<void> {
    await this.store.db
      .updateTable('bulk_operations')
      .set({ status, phase: 'done', error, updated_at: now, finished_at: now })
      .where('id', '=', id)
      .where('status', '=', 'RUNNING')
      .execute();
  }

  /** Moves live files under a live folder (one statement per batch). */
  async moveFiles(
    ids: readonly string[],
    target: { id: string; root: FileRow['root'] },
    now: string,
  ): Promise<void> {
    if (ids.length === 0) return;
    await this.store.db
      .updateTable('files')
      .set({
        parent_folder_id: target.id,
        location_id: target.id,
        root: target.root,
        scope: target.root,
        updated_date: now,
      })
      .where('id', 'in', [...ids])
      .where('state', '=', 'OK')
      .execute();
  }

  /** Removes operations that ended before `before` (their progress is of no use any more). */
  async deleteFinished(before: string): Promise<void> {
    await this.store.db
      .deleteFrom('bulk_operations')
      .where('status', '!=', 'RUNNING')
      .where('finished_at', '<', before)
      .execute();
  }
}
