import { sql } from 'kysely';
import type { MetadataStore } from './metadata-store.ts';
import type { JobRow } from './schema.ts';

/** The job queue: claims with a lock and a fencing token (`attempts`), on the database's clock. */
export class JobStore {
  constructor(private readonly store: MetadataStore) {}

  /** The store's connection, or its open transaction (see `MetadataStore.db`). */
  private get db() {
    return this.store.db;
  }

  private get dialect() {
    return this.store.dialect;
  }

  async enqueueJob(job: { id: string; kind: string; payload: string; runAfter: string; now: string }) {
    await this.db
      .insertInto('jobs')
      .values({
        id: job.id,
        kind: job.kind,
        payload: job.payload,
        state: 'queued',
        attempts: 0,
        run_after: job.runAfter,
        locked_until: null,
        last_error: null,
        created_at: job.now,
        updated_at: job.now,
      })
      .execute();
  }

  getJob(id: string): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Claims the next due job of one of `kinds` in one statement: a queued job whose `run_after` has come, or a
   * running one whose lock ran out (its runner died). The claim counts as an attempt; `attempts` after it is
   * the claim's fencing token for complete/fail/extend.
   */
  claimNextJob(kinds: readonly string[], now: string, lockedUntil: string): Promise<JobRow | undefined> {
    if (kinds.length === 0) return Promise.resolve(undefined);
    const next = this.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', 'in', kinds)
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'queued'), eb('run_after', '<=', now)]),
          eb.and([eb('state', '=', 'running'), eb('locked_until', '<=', now)]),
        ]),
      )
      .orderBy('run_after')
      .orderBy('id')
      .limit(1)
      // On PostgreSQL two claimers may read the same next job; the second would then wait for the first's row
      // lock and update the row again (the `id = ...` still holds). Locking the row as it is read, and skipping
      // rows other claimers hold, gives each claimer a different job. SQLite has one writer: nothing to do.
      .$if(this.dialect === 'postgres', (qb) => qb.forUpdate().skipLocked());
    return this.db
      .updateTable('jobs')
      .set({ state: 'running', attempts: sql`attempts + 1`, locked_until: lockedUntil, updated_at: now })
      .where('id', '=', next)
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * The database's clock: job leases written by one instance are compared by another, so every instance reads
   * the time from the one database rather than trusting its own clock. SQLite is one host's file: its clock.
   */
  async databaseNow(): Promise<string> {
    if (this.dialect !== 'postgres') return new Date().toISOString();
    const { rows } = await sql<{ now: Date | string }>`select now() as now`.execute(this.db);
    return new Date(rows[0]!.now).toISOString();
  }

  /** Keeps a long job's claim; false when the claim was lost (another runner took the job over). */
  async extendJobLock(id: string, attempts: number, lockedUntil: string): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set({ locked_until: lockedUntil })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('attempts', '=', attempts)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async completeJob(id: string, attempts: number, now: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ state: 'done', locked_until: null, updated_at: now })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('attempts', '=', attempts)
      .execute();
  }

  /** Records a failed attempt: queued again after `retryAt`, or failed for good when it is null. */
  async failJob(id: string, attempts: number, error: string, retryAt: string | null, now: string) {
    await this.db
      .updateTable('jobs')
      .set({
        state: retryAt === null ? 'failed' : 'queued',
        run_after: retryAt ?? sql`run_after`,
        locked_until: null,
        last_error: error,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('attempts', '=', attempts)
      .execute();
  }

  /** Hands a job back unfinished (the runner is stopping); the attempt does not count. */
  async releaseJob(id: string, attempts: number, now: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ state: 'queued', attempts: attempts - 1, locked_until: null, updated_at: now })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('attempts', '=', attempts)
      .execute();
  }
}
