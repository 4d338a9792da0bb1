import type { MetadataStore } from '../stores/metadata-store.ts';
import type { JobRow } from '../stores/schema.ts';
import { newId } from './folder-service.ts';

/** What a handler gets besides its payload. */
export interface JobContext {
  jobId: string;
  /** 1 on the first run. */
  attempt: number;
  /** Aborted when the runner stops: end soon; the job is handed back and runs again after a restart. */
  signal: AbortSignal;
}

/** How one kind of job is run. */
export interface JobHandler<P = unknown> {
  run(payload: P, context: JobContext): Promise<void>;
  /** Runs (claims) at most this many times; default 3. A claim that a crash interrupted counts. */
  maxAttempts?: number;
  /** Called once when the job fails for good (attempts used up, or a `PermanentJobError`). */
  onFailed?(payload: P, error: unknown, context: JobContext): Promise<void>;
}

/** A failure retrying cannot fix (a 404 source, a file over the limit): the job fails at once. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

export interface JobRunnerOptions {
  /** Jobs run at the same time, at most. */
  concurrency: number;
  /** How long a claim holds without renewal; renewed every third of it while the job runs. */
  lockMs: number;
  /** How often an idle runner looks for due jobs (`wake()` makes it look at once). */
  pollMs: number;
  /** Delay before the first retry; doubled for each further attempt (at most an hour). */
  retryBaseMs: number;
  /** This process's clock (tests skew it); job times follow the database's clock, see `syncClock`. */
  clock?: () => number;
}

/** How often the runner re-reads the database's clock. */
const CLOCK_SYNC_MS = 60_000;

interface Logger {
  warn: (obj: object, msg: string) => void;
  error: (obj: object, msg: string) => void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Durable background jobs over the `jobs` table: handlers are registered by kind, jobs are enqueued in the
 * caller's transaction (so a job exists exactly when the change that needs it was committed), claimed
 * atomically one at a time, retried with exponential back-off, and failed for good after their attempts.
 * A job left `running` by a process that died is claimed again once its lock runs out; a long job keeps its
 * lock by renewing it. Generic: imports use it now, media processing can add its kinds later.
 */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler<unknown>>();
  private readonly active = new Set<Promise<void>>();
  private readonly controllers = new Set<AbortController>();
  private running = false;
  private pumping = false;
  private pumpAgain = false;
  private timer: NodeJS.Timeout | undefined;
  /** The database's clock minus ours, as last read. */
  private clockOffsetMs = 0;
  private clockSyncedAt = -Infinity;

  constructor(
    private readonly store: MetadataStore,
    private readonly options: JobRunnerOptions,
    private readonly log: Logger,
  ) {}

  private localNow(): number {
    return (this.options.clock ?? Date.now)();
  }

  /** An instant on the database's clock, `ms` from now, as stored. */
  private isoIn(ms = 0): string {
    return new Date(this.localNow() + this.clockOffsetMs + ms).toISOString();
  }

  /**
   * Job leases are short (30 s) and compared across instances: a clock running ahead would take over a live
   * instance's job, one running behind would hold a dead one's. So times follow the database's clock, read
   * again now and then (the round trip's time is within a lease's slack).
   */
  private async syncClock(): Promise<void> {
    if (this.localNow() - this.clockSyncedAt < CLOCK_SYNC_MS) return;
    try {
      const before = this.localNow();
      const database = Date.parse(await this.store.jobs.databaseNow());
      const after = this.localNow();
      this.clockOffsetMs = database - (before + after) / 2;
      this.clockSyncedAt = after;
    } catch (error) {
      this.log.warn({ err: error }, "could not read the database's clock");
    }
  }

  register<P>(kind: string, handler: JobHandler<P>): void {
    if (this.handlers.has(kind)) throw new Error(`A handler for job kind ${kind} is registered already`);
    this.handlers.set(kind, handler);
  }

  /**
   * Adds a job. Inside a `store.transaction` it commits (or not) with the rest of it; call `wake()` after the
   * transaction to start it without waiting for the next poll.
   */
  async enqueue(kind: string, payload: unknown, options: { delayMs?: number } = {}): Promise<string> {
    const id = newId();
    await this.syncClock();
    await this.store.jobs.enqueueJob({
      id,
      kind,
      payload: JSON.stringify(payload),
      runAfter: this.isoIn(options.delayMs ?? 0),
      now: this.isoIn(),
    });
    return id;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Looks for due jobs now. */
  wake(): void {
    if (this.running) void this.pump();
  }

  /** Stops claiming, asks running jobs to end (they are handed back to the queue) and waits for them. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    for (const controller of this.controllers) controller.abort(new Error('the job runner is stopping'));
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  /** Claims and starts jobs while there are free slots and due jobs. One pump at a time. */
  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      await this.syncClock();
      do {
        this.pumpAgain = false;
        while (this.running && this.active.size < this.options.concurrency) {
          const job = await this.store.jobs.claimNextJob(
            [...this.handlers.keys()],
            this.isoIn(),
            this.isoIn(this.options.lockMs),
          );
          if (!job) break;
          const run: Promise<void> = this.execute(job).finally(() => {
            this.active.delete(run);
            this.wake();
          });
          this.active.add(run);
        }
      } while (this.pumpAgain && this.running);
    } catch (error) {
      this.log.error({ err: error }, 'could not claim a job');
    } finally {
      this.pumping = false;
    }
  }

  private async execute(job: JobRow): Promise<void> {
    const handler = this.handlers.get(job.kind);
    if (!handler) return;
    const controller = new AbortController();
    this.controllers.add(controller);
    const context: JobContext = { jobId: job.id, attempt: job.attempts, signal: controller.signal };
    const maxAttempts = handler.maxAttempts ?? 3;
    const heartbeat = setInterval(() => {
      this.store.jobs.extendJobLock(job.id, job.attempts, this.isoIn(this.options.lockMs)).then(
        (held) => {
          if (!held) controller.abort(new Error('the job was taken over by another runner'));
        },
        (error: unknown) => this.log.warn({ err: error, jobId: job.id }, 'could not renew a job lock'),
      );
    }, this.options.lockMs / 3);
    heartbeat.unref();
    let payload: unknown;
    try {
      payload = JSON.parse(job.payload);
      if (job.attempts > maxAttempts) {
        throw new PermanentJobError(
          `gave up after ${maxAttempts} attempts (the last one was interrupted by a stop or crash)`,
        );
      }
      await handler.run(payload, context);
      await this.store.jobs.completeJob(job.id, job.attempts, this.isoIn());
    } catch (error) {
      if (!this.running && controller.signal.aborted) {
        // Stopping: hand the job back as it was; it runs again after a restart.
        await this.store.jobs.releaseJob(job.id, job.attempts, this.isoIn()).catch(() => {});
        return;
      }
      const permanent = error instanceof PermanentJobError || job.attempts >= maxAttempts;
      const message = messageOf(error);
      if (!permanent) {
        const delay = Math.min(this.options.retryBaseMs * 2 ** (job.attempts - 1), 3600_000);
        this.log.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, err: message }, 'job failed');
        await this.store.jobs
          .failJob(job.id, job.attempts, message, this.isoIn(delay), this.isoIn())
          .catch((e: unknown) => this.log.error({ err: e }, 'could not record a job failure'));
        return;
      }
      this.log.warn({ jobId: job.id, kind: job.kind, err: message }, 'job failed for good');
      try {
        await handler.onFailed?.(payload, error, context);
      } catch (hookError) {
        this.log.error({ err: hookError, jobId: job.id }, 'the failure hook of a job failed');
      }
      await this.store.jobs
        .failJob(job.id, job.attempts, message, null, this.isoIn())
        .catch((e: unknown) => this.log.error({ err: e }, 'could not record a job failure'));
    } finally {
      clearInterval(heartbeat);
      this.controllers.delete(controller);
    }
  }
}
