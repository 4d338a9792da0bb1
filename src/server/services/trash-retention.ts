import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { BlobStore } from '../blobs/blob-store.ts';
import { ImageStore } from '../stores/image-store.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import { TrashRetentionStore, type TrashEntry } from '../stores/trash-retention-store.ts';
import { blobKeysOf } from './processing/assets.ts';

const DAY_MS = 24 * 60 * 60_000;

/** Rows deleted per transaction: short transactions, so requests get the database between them. */
const DEFAULT_BATCH = 200;

export interface RetentionPurgeResult {
  /** Trash entries (items trashed on their own, with what went along) deleted forever. */
  entries: number;
  files: number;
  /** Transactions it took. */
  batches: number;
}

/**
 * Deletes for good what has been in the trash longer than `TRASH_RETENTION_DAYS` (rows and bytes), as part of
 * the periodic cleanup. Each trash entry is due on its own, counted from when it was moved to the trash: a file
 * trashed on its own before its folder keeps its date, and stays restorable when the folder goes first.
 *
 * Crash-safe by construction: each batch is one transaction that re-checks that what it deletes is still due,
 * and bytes are deleted only after their rows are committed. Killed mid-way, what was not committed is still in
 * the trash and still due (the next cleanup finishes it), and blobs whose rows are gone are removed by the blob
 * sweeper. A folder entry goes file batch by file batch, then its (by then empty) subtree and itself last, so an
 * interrupted folder is still a due trash entry. Between batches it yields to requests.
 */
export class TrashRetention {
  private readonly store: TrashRetentionStore;
  private readonly batchSize: number;
  private running: Promise<RetentionPurgeResult> | undefined;
  private stopped = false;

  constructor(
    private readonly metadata: MetadataStore,
    private readonly blobs: BlobStore,
    /** 0: keep forever. */
    readonly retentionDays: number,
    private readonly log: { warn: (obj: object, msg: string) => void },
    options: { batchSize?: number } = {},
  ) {
    this.store = new TrashRetentionStore(metadata);
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
  }

  /** When an item moved to the trash at `trashedAt` is deleted forever; null when the trash is kept forever. */
  purgeDateOf(trashedAt: string): string | null {
    if (this.retentionDays === 0) return null;
    return new Date(Date.parse(trashedAt) + this.retentionDays * DAY_MS).toISOString();
  }

  /**
   * Deletes the entries due at `now` (tests move it instead of waiting). One purge at a time: a call meanwhile
   * waits for the one under way, then runs with its own `now`.
   */
  async purgeDue(now = Date.now()): Promise<RetentionPurgeResult> {
    while (this.running) await this.running.catch(() => {});
    const running = this.run(now).finally(() => {
      this.running = undefined;
    });
    this.running = running;
    return running;
  }

  /** Ends a purge under way after its current batch (the server is closing), and waits for it. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => {});
  }

  private async run(now: number): Promise<RetentionPurgeResult> {
    const result: RetentionPurgeResult = { entries: 0, files: 0, batches: 0 };
    if (this.retentionDays === 0) return result;
    const cutoff = new Date(now - this.retentionDays * DAY_MS).toISOString();
    while (!this.stopped) {
      const due = await this.store.dueEntries(cutoff, this.batchSize);
      if (due.length === 0) break;
      const files = due.filter((e) => e.kind === 'files');
      if (files.length > 0) {
        const done = await this.purgeFiles(files, cutoff);
        result.entries += done;
        result.files += done;
        result.batches++;
        await yieldToRequests();
      }
      for (const folder of due.filter((e) => e.kind === 'folders')) {
        if (this.stopped) break;
        const done = await this.purgeFolder(folder, cutoff, result);
        if (done) result.entries++;
      }
    }
    return result;
  }

  /** File entries, in one transaction; returns how many were still due. */
  private async purgeFiles(entries: TrashEntry[], cutoff: string): Promise<number> {
    const { purged, count } = await this.metadata.transaction(async (store) => {
      const ids: string[] = [];
      for (const entry of entries) if (await this.store.isDue(entry, cutoff)) ids.push(entry.id);
      if (ids.length === 0) return { purged: [], count: 0 };
      const rows = await store.trash.purge(ids, []);
      return { purged: await this.withVariants(rows.flatMap(blobKeysOf)), count: ids.length };
    });
    await this.deleteBlobs(purged);
    return count;
  }

  /** A folder entry: its batch's files a transaction at a time, then the folders. False if no longer due. */
  private async purgeFolder(entry: TrashEntry, cutoff: string, result: RetentionPurgeResult) {
    for (;;) {
      if (this.stopped) return false;
      const step = await this.metadata.transaction(async (store) => {
        if (!(await this.store.isDue(entry, cutoff))) return { state: 'gone' as const, keys: [], files: 0 };
        const ids = await this.store.batchFileIds(entry.id, this.batchSize);
        // The files first, a batch at a time; the folders (rows only) once none is left, the entry with them.
        const rows =
          ids.length > 0 ? await store.trash.purge(ids, []) : await store.trash.purge([], [entry.id]);
        const keys = await this.withVariants(rows.flatMap(blobKeysOf));
        return { state: ids.length > 0 ? ('more' as const) : ('done' as const), keys, files: ids.length };
      });
      result.batches++;
      result.files += step.files;
      await this.deleteBlobs(step.keys);
      await yieldToRequests();
      if (step.state !== 'more') return step.state === 'done';
    }
  }

  /** Rendered image variants of purged files go with them (their rows in the same transaction). */
  private async withVariants(keys: string[]): Promise<string[]> {
    if (keys.length === 0) return keys;
    return [...keys, ...(await new ImageStore(this.metadata).takeOrphanVariants())];
  }

  private async deleteBlobs(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    try {
      await this.blobs.delete(keys);
    } catch (error) {
      // The rows are gone: the blob sweeper removes these once past its grace period.
      this.log.warn({ err: error, count: keys.length }, 'could not remove the blobs of purged trash');
    }
    this.metadata.keepSlack();
  }
}
