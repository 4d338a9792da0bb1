import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { checkBlobKey, type BlobEntry, type BlobStore } from '../blobs/blob-store.ts';
import type { IntegrityStore } from '../stores/integrity-store.ts';
import { fileIdOfBlobKey } from './processing/assets.ts';

/** Where files' blobs live (`tus/` on S3 is the resumable uploads' own, expired by them). */
export const SWEPT_PREFIXES = ['originals/', 'renditions/'] as const;

/** Blobs checked against the rows (and removed) per round: one query and one batch delete each. */
const DEFAULT_BATCH = 500;

export interface BlobSweeperOptions {
  /**
   * A blob written less than this long ago is never removed: an upload's original and a file's renditions are
   * stored before the row that owns them is committed, and a slow upload's stays young until it is.
   */
  graceMs: number;
  batchSize?: number;
}

/** One round of the walk: the blobs of it no file owns, split by age. */
export interface OrphanBatch {
  /** Blobs listed in this round. */
  checked: number;
  /** Older than the grace period: safe to remove. */
  stale: BlobEntry[];
  /** Younger: maybe an upload or processing whose row is not committed yet. */
  recent: BlobEntry[];
}

export interface SweepResult {
  checked: number;
  deleted: number;
  bytesDeleted: number;
  /** Rounds (row lookups) it took. */
  batches: number;
}

/**
 * Removes blobs that no file row owns any more: what a crash between delete-forever's row delete and its blob
 * delete leaves (the rows go first, so a crash never leaves a row without bytes), or a failed blob delete. A
 * blob is owned when the file its key names (`originals/ab/<id>`, `renditions/ab/<id>/...`) has a row, live or
 * trashed; keys of no known layout are never touched. Walks the store page by page and checks the rows a batch
 * at a time, yielding to requests between batches, so a large store is swept without stalling the server.
 */
export class BlobSweeper {
  private readonly batchSize: number;
  private running: Promise<SweepResult> | undefined;
  private stopped = false;

  constructor(
    private readonly integrity: IntegrityStore,
    private readonly blobs: BlobStore,
    private readonly options: BlobSweeperOptions,
  ) {
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
  }

  get graceMs(): number {
    return this.options.graceMs;
  }

  /**
   * The unowned blobs, a batch at a time. `now` is when the grace period is counted from (tests and fsck move
   * it). With `includeRecent` false, young blobs are not even looked up (the sweeper has no use for them).
   */
  async *orphans(now = Date.now(), includeRecent = true): AsyncGenerator<OrphanBatch> {
    const cutoff = now - this.options.graceMs;
    for (const prefix of SWEPT_PREFIXES) {
      let batch: BlobEntry[] = [];
      let listed = 0;
      for await (const entry of this.blobs.list(prefix)) {
        listed++;
        if (!includeRecent && entry.lastModified.getTime() > cutoff) continue;
        batch.push(entry);
        if (batch.length >= this.batchSize) {
          yield await this.unowned(batch, listed, cutoff);
          batch = [];
          listed = 0;
        }
      }
      if (batch.length > 0 || listed > 0) yield await this.unowned(batch, listed, cutoff);
    }
  }

  private async unowned(batch: BlobEntry[], checked: number, cutoff: number): Promise<OrphanBatch> {
    const owners = new Map<BlobEntry, string>();
    for (const entry of batch) {
      const id = fileIdOfBlobKey(entry.key);
      // A file put there by hand under a name no key can have: leave it (deleting it would fail every sweep).
      if (id !== undefined && isBlobKey(entry.key)) owners.set(entry, id);
    }
    const existing = await this.integrity.existingFileIds([...owners.values()]);
    // A replaced file's bytes: the new ones under a key of their own, the old ones under the id's layout but
    // owned by the trashed version's row. A row naming the key as its original owns it too.
    const unclaimed = [...owners].filter(([, id]) => !existing.has(id)).map(([entry]) => entry.key);
    const referenced =
      unclaimed.length > 0 ? await this.integrity.referencedBlobKeys(unclaimed) : new Set<string>();
    const stale: BlobEntry[] = [];
    const recent: BlobEntry[] = [];
    for (const [entry, id] of owners) {
      if (existing.has(id) || referenced.has(entry.key)) continue;
      (entry.lastModified.getTime() <= cutoff ? stale : recent).push(entry);
    }
    return { checked, stale, recent };
  }

  /** Removes the unowned blobs older than the grace period. One sweep at a time: a call meanwhile joins it. */
  sweep(now = Date.now()): Promise<SweepResult> {
    this.running ??= this.run(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Ends a sweep under way after its current batch (the server is closing), and waits for it. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => {});
  }

  private async run(now: number): Promise<SweepResult> {
    const result: SweepResult = { checked: 0, deleted: 0, bytesDeleted: 0, batches: 0 };
    for await (const batch of this.orphans(now, false)) {
      if (this.stopped) break;
      result.checked += batch.checked;
      result.batches++;
      if (batch.stale.length > 0) {
        await this.blobs.delete(batch.stale.map((entry) => entry.key));
        result.deleted += batch.stale.length;
        result.bytesDeleted += batch.stale.reduce((sum, entry) => sum + entry.size, 0);
      }
      await yieldToRequests();
    }
    return result;
  }
}

function isBlobKey(key: string): boolean {
  try {
    checkBlobKey(key);
    return true;
  } catch {
    return false;
  }
}
