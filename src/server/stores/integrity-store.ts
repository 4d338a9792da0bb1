import type { MetadataStore } from './metadata-store.ts';
import type { FileRow, JobRow } from './schema.ts';

/** Ids per `IN (...)` list: well below SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

/** The columns of a file the data check looks at. */
export type CheckedFileRow = Pick<
  FileRow,
  'id' | 'display_name' | 'blob_key' | 'hash' | 'operation_status' | 'failure_reason'
>;

/**
 * The queries of maintenance (the blob sweeper, `npm run fsck`): which blobs rows still own, files page by
 * page, jobs nobody runs. Over the metadata store's connection (and its transaction, when one is open); kept
 * apart from `MetadataStore` because no request path uses them.
 */
export class IntegrityStore {
  constructor(private readonly metadata: MetadataStore) {}

  /** Of these file ids, those that have a row (live or trashed). By primary key, a chunk at a time. */
  async existingFileIds(ids: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    const found = new Set<string>();
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await this.metadata.db
        .selectFrom('files')
        .select('id')
        .where('id', 'in', unique.slice(i, i + CHUNK))
        .execute();
      for (const row of rows) found.add(row.id);
    }
    return found;
  }

  /** Of these blob keys, those a file row names as its original (a replaced file's; see `ReplaceStore`). */
  referencedBlobKeys(keys: readonly string[]): Promise<Set<string>> {
    return this.metadata.replacements.referencedBlobKeys(keys);
  }

  /** A page of the files that should have bytes (an import not fetched yet has none), in id order. */
  filesWithBytes(after: string | null, limit: number): Promise<CheckedFileRow[]> {
    return this.metadata.db
      .selectFrom('files')
      .select(['id', 'display_name', 'blob_key', 'hash', 'operation_status', 'failure_reason'])
      .where('hash', '!=', '')
      .$if(after !== null, (qb) => qb.where('id', '>', after!))
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Marks files FAILED with a reason the owner sees (the row and its place in the tree stay). */
  async markFilesFailed(ids: readonly string[], reason: string): Promise<void> {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await this.metadata.db
        .updateTable('files')
        .set({ operation_status: 'FAILED', failure_reason: reason })
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .execute();
    }
  }

  /**
   * Running jobs that look abandoned: their lock ran out before `lockExpiredBefore` (the runner that held it is
   * gone and no live runner took the job over), or they were claimed before `claimedBefore` (running forever).
   * A claim sets `updated_at`; renewing the lock does not.
   */
  stuckJobs(lockExpiredBefore: string, claimedBefore: string, limit: number): Promise<JobRow[]> {
    return this.stuckJobsQuery(lockExpiredBefore, claimedBefore)
      .selectAll()
      .orderBy('updated_at')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async countStuckJobs(lockExpiredBefore: string, claimedBefore: string): Promise<number> {
    const row = await this.stuckJobsQuery(lockExpiredBefore, claimedBefore)
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  private stuckJobsQuery(lockExpiredBefore: string, claimedBefore: string) {
    return this.metadata.db
      .selectFrom('jobs')
      .where('state', '=', 'running')
      .where((eb) =>
        eb.or([eb('locked_until', '<', lockExpiredBefore), eb('updated_at', '<', claimedBefore)]),
      );
  }

  /**
   * Puts running jobs back in the queue, due now, with their attempts kept: a live runner claims them again,
   * and one that used up its attempts fails for good there (its failure hook marks the file). A runner still
   * holding one loses its claim at its next lock renewal and stops.
   */
  async requeueJobs(ids: readonly string[], note: string, now: string): Promise<number> {
    let requeued = 0;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const result = await this.metadata.db
        .updateTable('jobs')
        .set({ state: 'queued', locked_until: null, run_after: now, last_error: note, updated_at: now })
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .where('state', '=', 'running')
        .executeTakeFirst();
      requeued += Number(result.numUpdatedRows);
    }
    return requeued;
  }
}
