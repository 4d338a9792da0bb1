import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MediaType } from '../../contract/index.ts';
import { nowIso } from '../clock.ts';
import { ApiError, invalid, notFound } from '../errors.ts';
import { BulkStore, type BulkFilter, type KeysetCursor } from '../stores/bulk-store.ts';
import { BulkUndoStore } from '../stores/bulk-undo-store.ts';
import type { ContentsStore } from '../stores/contents-store.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { BulkAction, BulkOperationRow, FileRow, FolderRow } from '../stores/schema.ts';
import { BATCH_TARGET_MS, FIRST_BATCH, nextBatchSize } from './bulk-batch-size.ts';
import { undoItems, undoRecords } from './bulk-undo.ts';
import { isRootId, newId, type FolderService } from './folder-service.ts';
import { PermanentJobError, type JobContext, type JobRunner } from './job-runner.ts';
import type { TrashService } from './trash-service.ts';

const BULK_JOB = 'bulk-operation';
/** An ended operation can still be read this long (a page left open, a client polling late). */
const FINISHED_KEPT_MS = 7 * 24 * 3600_000;

interface BulkPayload {
  operationId: string;
}

export interface BulkOptions {
  /** Items per batch at most: each batch is one short transaction (see `BATCH_TARGET_MS`). */
  batchSize: number;
  /** Pause between batches, so other requests' transactions get their turn. */
  batchPauseMs: number;
}

export interface BulkRequest {
  action: BulkAction;
  folderId: string;
  mediaTypes?: MediaType[] | undefined;
  exceptFolderIds?: string[] | undefined;
  exceptFileIds?: string[] | undefined;
  destinationFolderId?: string | undefined;
}

/** A bulk operation as the API answers it. */
export interface BulkOperation {
  id: string;
  action: BulkAction;
  status: BulkOperationRow['status'];
  folderId: string;
  mediaTypes: MediaType[];
  destinationFolderId: string | null;
  startedDate: string;
  finishedDate: string | null;
  /** Items acted on so far (a folder counts once, whatever it holds). */
  processed: { folders: number; files: number };
  /** The listing's count when the operation started; the items acted on may end up fewer (see docs/api.md). */
  total: { folders: number; files: number; estimated: boolean };
  error: string | null;
  /** UNDO: the operation it reverses. */
  undoOf: string | null;
}

function toWire(row: BulkOperationRow): BulkOperation {
  const filter = JSON.parse(row.filter) as BulkFilter;
  return {
    id: row.id,
    action: row.action,
    status: row.status,
    folderId: filter.folderId,
    mediaTypes: filter.mediaTypes ?? [],
    destinationFolderId: filter.destinationFolderId ?? null,
    startedDate: row.started_at,
    finishedDate: row.finished_at,
    processed: { folders: Number(row.done_folders), files: Number(row.done_files) },
    total: {
      folders: Number(row.total_folders),
      files: Number(row.total_files),
      estimated: Number(row.total_estimated) === 1,
    },
    error: row.error,
    undoOf: row.undo_of,
  };
}

const stateOf = (action: BulkAction): 'OK' | 'DELETED' =>
  action === 'RESTORE' || action === 'DELETE_FOREVER' ? 'DELETED' : 'OK';

/**
 * "Select all N" then an action, for every item of a listing, loaded in the browser or not: one request starts
 * it, a durable job (`bulk-operation`) works through the listing in batches, each batch one transaction that
 * also advances the operation's keyset cursor. A crash loses at most the batch under way (rolled back), and
 * the job resumes after the last committed one when the runner claims it again.
 *
 * What it acts on: the listing as it was when the operation started. Items whose last change (`updated_date`)
 * is after the start (new uploads, items moved in or renamed since) are left alone; items that left the
 * listing meanwhile are not touched. Each batch reads its items again in its own transaction.
 */
export class BulkService {
  constructor(
    private readonly store: MetadataStore,
    private readonly contents: ContentsStore,
    private readonly folders: FolderService,
    private readonly trash: TrashService,
    private readonly jobs: JobRunner,
    private readonly options: BulkOptions,
  ) {
    jobs.register<BulkPayload>(BULK_JOB, {
      // A crash counts as an attempt; every batch is resumable, so crashes and retries are cheap.
      maxAttempts: 10,
      run: (payload, context) => this.run(payload.operationId, context),
      onFailed: async (payload, error) => {
        const message = error instanceof Error ? error.message : String(error);
        await new BulkStore(this.store).finish(payload.operationId, 'FAILED', message, nowIso());
      },
    });
  }

  async start(request: BulkRequest): Promise<BulkOperation> {
    const state = stateOf(request.action);
    const mediaTypes = request.mediaTypes?.length ? [...new Set(request.mediaTypes)] : undefined;
    const filter: BulkFilter = {
      folderId: request.folderId,
      state,
      mediaTypes,
      exceptFolderIds: request.exceptFolderIds,
      exceptFileIds: request.exceptFileIds,
      destinationFolderId: request.destinationFolderId,
    };
    const row = await this.store.transaction(async (store) => {
      await this.folders.requireListable(request.folderId, state);
      if (state === 'OK' && !isRootId(request.folderId)) {
        const folder = await store.folders.getFolder(request.folderId);
        if (folder?.state !== 'OK') {
          throw new ApiError('FAILED_PRECONDITION', `Folder ${request.folderId} is in the trash`);
        }
      }
      if (request.action === 'MOVE') await this.checkDestination(filter);
      else if (request.destinationFolderId !== undefined) {
        throw invalid('destinationFolderId', 'only MOVE takes a destination');
      }
      const count = await this.contents.count({ locationId: request.folderId, state, mediaTypes });
      const now = nowIso();
      const id = newId();
      const inserted = {
        id,
        action: request.action,
        filter: JSON.stringify(filter),
        started_at: now,
        status: 'RUNNING' as const,
        phase: mediaTypes ? ('files' as const) : ('folders' as const),
        cursor_date: null,
        cursor_id: null,
        done_folders: 0,
        done_files: 0,
        total_folders: Math.max(0, count.folders - (request.exceptFolderIds?.length ?? 0)),
        total_files: Math.max(0, count.files - (request.exceptFileIds?.length ?? 0)),
        total_estimated: count.estimated ? 1 : 0,
        error: null,
        updated_at: now,
        finished_at: null,
        undo_of: null,
      };
      await new BulkStore(store).insert(inserted);
      // In the same transaction: the operation exists exactly when its job does.
      await this.jobs.enqueue(BULK_JOB, { operationId: id } satisfies BulkPayload);
      return inserted;
    });
    this.jobs.wake();
    return toWire(row);
  }

  /**
   * Starts the undo of an ended operation: a bulk operation of its own (action UNDO, same batches, progress
   * and crash safety) that reverses, item by item, what the operation recorded it changed, leaving alone the
   * items changed since (bulk-undo.ts). Asking again answers the undo already started (`created` false).
   */
  async undo(id: string): Promise<{ operation: BulkOperation; created: boolean }> {
    const result = await this.store.transaction(async (store) => {
      const bulk = new BulkStore(store);
      const undoStore = new BulkUndoStore(store);
      const original = await bulk.get(id);
      if (!original) throw notFound('Bulk operation', id);
      if (original.action === 'UNDO' || original.action === 'DELETE_FOREVER') {
        throw new ApiError('FAILED_PRECONDITION', `A ${original.action} operation cannot be undone`);
      }
      if (original.status === 'RUNNING') {
        throw new ApiError('FAILED_PRECONDITION', `Bulk operation ${id} is still running`);
      }
      const existing = await undoStore.undoOf(id);
      if (existing) return { row: existing, created: false };
      const count = await undoStore.count(id);
      const now = nowIso();
      const row = {
        id: newId(),
        action: 'UNDO' as const,
        // The original's listing and destination: what a client refreshes once the undo ended.
        filter: original.filter,
        started_at: now,
        status: 'RUNNING' as const,
        phase: 'folders' as const,
        cursor_date: null,
        cursor_id: null,
        done_folders: 0,
        done_files: 0,
        total_folders: count.folders,
        total_files: count.files,
        total_estimated: 0,
        error: null,
        updated_at: now,
        finished_at: null,
        undo_of: id,
      };
      await bulk.insert(row);
      await this.jobs.enqueue(BULK_JOB, { operationId: row.id } satisfies BulkPayload);
      return { row, created: true };
    });
    if (result.created) this.jobs.wake();
    return { operation: toWire(result.row), created: result.created };
  }

  /** Forgets operations that ended more than a week ago (part of the periodic cleanup). */
  async cleanup(): Promise<void> {
    await new BulkStore(this.store).deleteFinished(new Date(Date.now() - FINISHED_KEPT_MS).toISOString());
    await new BulkUndoStore(this.store).deleteOrphans();
  }

  async get(id: string): Promise<BulkOperation> {
    const row = await new BulkStore(this.store).get(id);
    if (!row) throw notFound('Bulk operation', id);
    return toWire(row);
  }

  /**
   * MOVE goes to a live folder other than the listing's own. It may be one of the listing's sub-folders (or
   * below one): that folder and those above it then stay where they are (see `move`).
   */
  private async checkDestination(filter: BulkFilter) {
    const destinationId = filter.destinationFolderId;
    if (destinationId === undefined) throw invalid('destinationFolderId', 'MOVE needs a destination folder');
    const destination = await this.folders.destination(destinationId, 'destinationFolderId');
    if (destination.id === filter.folderId) {
      throw invalid('destinationFolderId', 'the items are in this folder already');
    }
    return destination;
  }

  /** The job: batch after batch until the listing (as of the start) holds nothing more to act on. */
  private async run(operationId: string, context: JobContext): Promise<void> {
    let size = Math.min(FIRST_BATCH, this.options.batchSize);
    for (;;) {
      context.signal.throwIfAborted();
      // Timed inside the transaction: the wait for its turn behind other requests is not the batch's cost
      // (counting it shrank the batches to one item while small requests came one after another).
      let elapsed = 0;
      const { more, blobKeys } = await this.store.transaction(async (store) => {
        const started = performance.now();
        const result = await this.batch(store, operationId, size);
        elapsed = performance.now() - started;
        return result;
      });
      size = nextBatchSize(size, elapsed, BATCH_TARGET_MS, this.options.batchSize);
      // Bytes of purged files go after the commit (a crash here leaves orphans for the blob sweeper).
      await this.trash.removeBlobs(blobKeys);
      if (!more) return;
      // Let other requests' transactions in between batches (store transactions run one at a time).
      await sleep(this.options.batchPauseMs, undefined, { signal: context.signal });
    }
  }

  private async batch(
    store: MetadataStore,
    operationId: string,
    size: number,
  ): Promise<{ more: boolean; blobKeys: string[] }> {
    const bulk = new BulkStore(store);
    const op = await bulk.get(operationId);
    if (!op || op.status !== 'RUNNING' || op.phase === 'done') return { more: false, blobKeys: [] };
    if (op.action === 'UNDO') return { more: await this.undoBatch(store, op, size), blobKeys: [] };
    const filter = JSON.parse(op.filter) as BulkFilter;
    const now = nowIso();
    const cursor: KeysetCursor | null =
      op.cursor_date !== null && op.cursor_id !== null ? { date: op.cursor_date, id: op.cursor_id } : null;
    const phase = op.phase;
    const rows = await bulk.nextBatch(phase, filter, op.started_at, cursor, size);
    if (rows.length === 0) {
      if (phase === 'folders') await bulk.advance(op.id, 'files', null, { folders: 0, files: 0 }, now);
      else await bulk.finish(op.id, 'DONE', null, now);
      return { more: phase === 'folders', blobKeys: [] };
    }
    const { acted, blobKeys } = await this.apply(store, op.action, phase, rows, filter, now);
    // What this batch changed, for an undo: in the batch's transaction, so it is exactly what was done.
    await new BulkUndoStore(store).record(undoRecords(op.id, op.action, phase, rows, acted, now));
    const count = acted.length;
    const last = rows[rows.length - 1]!;
    await bulk.advance(
      op.id,
      phase,
      { date: last.updated_date, id: last.id },
      phase === 'folders' ? { folders: count, files: 0 } : { folders: 0, files: count },
      now,
    );
    return { more: true, blobKeys };
  }

  /**
   * One batch of an UNDO: the next items its operation changed, each put back unless changed since. The
   * cursor is the last `item_id` done (`cursor_date` only marks it set).
   */
  private async undoBatch(store: MetadataStore, op: BulkOperationRow, size: number): Promise<boolean> {
    const bulk = new BulkStore(store);
    const now = nowIso();
    const original = op.undo_of === null ? undefined : await bulk.get(op.undo_of);
    const phase = op.phase === 'files' ? 'files' : 'folders';
    const items = original
      ? await new BulkUndoStore(store).nextItems(original.id, phase, op.cursor_id, size)
      : [];
    if (items.length === 0) {
      if (phase === 'folders') await bulk.advance(op.id, 'files', null, { folders: 0, files: 0 }, now);
      else await bulk.finish(op.id, 'DONE', null, now);
      return phase === 'folders';
    }
    const count = await undoItems(store, this.trash, original!.action, phase, items, now);
    await bulk.advance(
      op.id,
      phase,
      { date: now, id: items[items.length - 1]!.item_id },
      phase === 'folders' ? { folders: count, files: 0 } : { folders: 0, files: count },
      now,
    );
    return true;
  }

  /** One batch of the action, inside the batch's transaction; returns the ids of the items it acted on. */
  private async apply(
    store: MetadataStore,
    action: BulkAction,
    kind: 'folders' | 'files',
    rows: readonly (FileRow | FolderRow)[],
    filter: BulkFilter,
    now: string,
  ): Promise<{ acted: string[]; blobKeys: string[] }> {
    const ids = rows.map((r) => r.id);
    switch (action) {
      case 'TRASH':
        await store.trash.trash(kind, ids, now);
        return { acted: ids, blobKeys: [] };
      case 'RESTORE':
        return { acted: await this.trash.restoreIds(store, kind, ids, now), blobKeys: [] };
      case 'DELETE_FOREVER': {
        const blobKeys =
          kind === 'files'
            ? await this.trash.purgeRows(store, ids, [])
            : await this.trash.purgeRows(store, [], ids);
        return { acted: ids, blobKeys };
      }
      case 'MOVE':
        return { acted: await this.move(store, kind, rows, filter, now), blobKeys: [] };
      case 'UNDO':
        return { acted: [], blobKeys: [] };
    }
  }

  private async move(
    store: MetadataStore,
    kind: 'folders' | 'files',
    rows: readonly (FileRow | FolderRow)[],
    filter: BulkFilter,
    now: string,
  ): Promise<string[]> {
    let destination;
    try {
      destination = await this.checkDestination(filter);
    } catch (error) {
      // The destination was trashed, deleted or moved below the source since the start: retrying cannot help.
      if (error instanceof ApiError) {
        throw new PermanentJobError(
          `The destination folder cannot take the items any more: ${error.message}`,
        );
      }
      throw error;
    }
    if (kind === 'files') {
      await new BulkStore(store).moveFiles(
        rows.map((r) => r.id),
        destination,
        now,
      );
      return rows.map((r) => r.id);
    }
    // A folder never moves into itself or its own subtree: the destination and its ancestors stay.
    const staying = new Set([destination.id, ...(await store.folders.ancestorIds(destination.id))]);
    const moved: string[] = [];
    for (const row of rows) {
      if (staying.has(row.id)) continue;
      moved.push(row.id);
      await store.folders.updateFolder(row.id, {
        parent_folder_id: destination.id,
        location_id: destination.id,
        root: destination.root,
        scope: destination.root,
        updated_date: now,
      });
      if (row.root !== destination.root) await store.folders.setSubtreeRoot(row.id, destination.root);
    }
    return moved;
  }
}
