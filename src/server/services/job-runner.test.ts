import { afterEach, describe, expect, it } from 'vitest';
import { isoIn, nowIso } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { MetadataStore } from '../stores/metadata-store.ts';
import { waitFor } from '../testing/helpers.ts';
import {
  createTestSchema,
  TEST_DATABASE_URL,
  testDatabases,
  type TestDatabase,
} from '../testing/test-databases.ts';
import { openPostgres } from '../stores/postgres.ts';
import { JobRunner, PermanentJobError, type JobRunnerOptions } from './job-runner.ts';

const quiet = { warn: () => {}, error: () => {} };
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function newStoreOn(database: TestDatabase): Promise<MetadataStore> {
  const { db, drop } = await database.open();
  const store = new MetadataStore(db);
  cleanups.push(drop, () => store.close());
  await store.migrate();
  return store;
}

function newRunner(store: MetadataStore, options: Partial<JobRunnerOptions> = {}): JobRunner {
  const runner = new JobRunner(
    store,
    { concurrency: 2, lockMs: 60_000, pollMs: 20, retryBaseMs: 1, ...options },
    quiet,
  );
  cleanups.push(() => runner.stop());
  return runner;
}

async function stateOf(store: MetadataStore, id: string) {
  return (await store.jobs.getJob(id))!;
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

// SQLite always, PostgreSQL too when TEST_DATABASE_URL is set.
for (const database of testDatabases) {
  describe.skipIf(database.unavailable)(`JobRunner on ${database.name}`, () => {
    const newStore = () => newStoreOn(database);

    /** Two instances' stores over one database (SQLite: one store, as instances share its one file). */
    async function twoInstances(): Promise<[MetadataStore, MetadataStore]> {
      if (database.name === 'SQLite') {
        const store = await newStore();
        return [store, store];
      }
      const schema = await createTestSchema(TEST_DATABASE_URL!);
      const a = new MetadataStore(openPostgres(schema.url));
      const b = new MetadataStore(openPostgres(schema.url));
      cleanups.push(
        () => schema.drop(),
        () => a.close(),
        () => b.close(),
      );
      await a.migrate();
      return [a, b];
    }

    it('runs an enqueued job with its payload and marks it done', async () => {
      const store = await newStore();
      const runner = newRunner(store);
      const seen: unknown[] = [];
      runner.register<{ n: number }>('echo', { run: async (payload) => void seen.push(payload) });
      runner.start();
      const id = await runner.enqueue('echo', { n: 42 });
      runner.wake();
      await waitFor(async () => (await stateOf(store, id)).state === 'done', 'the job to finish');
      expect(seen).toEqual([{ n: 42 }]);
      const job = await stateOf(store, id);
      expect(job.attempts).toBe(1);
      expect(job.locked_until).toBeNull();
    });

    it('enqueues inside the caller transaction: a rolled back change leaves no job', async () => {
      const store = await newStore();
      const runner = newRunner(store);
      let id = '';
      await store
        .transaction(async () => {
          id = await runner.enqueue('echo', {});
          throw new Error('rolled back');
        })
        .catch(() => {});
      expect(await store.jobs.getJob(id)).toBeUndefined();
    });

    it('retries a failing job with back-off until it succeeds', async () => {
      const store = await newStore();
      const runner = newRunner(store);
      let calls = 0;
      runner.register('flaky', {
        maxAttempts: 3,
        run: async () => {
          calls++;
          if (calls < 3) throw new Error(`failure ${calls}`);
        },
      });
      runner.start();
      const id = await runner.enqueue('flaky', {});
      await waitFor(async () => (await stateOf(store, id)).state === 'done', 'the job to succeed');
      expect(calls).toBe(3);
      const job = await stateOf(store, id);
      expect(job.attempts).toBe(3);
      expect(job.last_error).toBe('failure 2');
    });

    it('a throwing handler ends FAILED after its attempts (onFailed once) and does not block the next job', async () => {
      const store = await newStore();
      const runner = newRunner(store, { concurrency: 1 });
      const failures: unknown[] = [];
      runner.register('boom', {
        maxAttempts: 2,
        run: async () => {
          throw new Error('always broken');
        },
        onFailed: async (payload, error) => void failures.push([payload, (error as Error).message]),
      });
      const done: string[] = [];
      runner.register<{ name: string }>('fine', { run: async ({ name }) => void done.push(name) });
      const bad = await runner.enqueue('boom', { which: 'bad' });
      const good = await runner.enqueue('fine', { name: 'after' });
      runner.start();
      await waitFor(async () => (await stateOf(store, bad)).state === 'failed', 'the bad job to fail');
      await waitFor(async () => (await stateOf(store, good)).state === 'done', 'the next job to run');
      const job = await stateOf(store, bad);
      expect(job.attempts).toBe(2);
      expect(job.last_error).toBe('always broken');
      expect(failures).toEqual([[{ which: 'bad' }, 'always broken']]);
      expect(done).toEqual(['after']);
    });

    it('a PermanentJobError fails the job at once', async () => {
      const store = await newStore();
      const runner = newRunner(store);
      let calls = 0;
      runner.register('permanent', {
        maxAttempts: 5,
        run: async () => {
          calls++;
          throw new PermanentJobError('the source is gone');
        },
      });
      runner.start();
      const id = await runner.enqueue('permanent', {});
      await waitFor(async () => (await stateOf(store, id)).state === 'failed', 'the job to fail');
      expect(calls).toBe(1);
    });

    it('a job left running by a crashed runner is taken over once its lock has run out', async () => {
      const store = await newStore();
      const crashed = newRunner(store);
      const id = await crashed.enqueue('resize', { file: 'a' });
      // The crashed runner claimed it with a lock that is now past, and never finished.
      const claim = await store.jobs.claimNextJob(['resize'], nowIso(), isoIn(-1));
      expect(claim?.id).toBe(id);
      expect(claim?.state).toBe('running');

      const runs: number[] = [];
      const runner = newRunner(store);
      runner.register('resize', { run: async (_payload, context) => void runs.push(context.attempt) });
      runner.start();
      await waitFor(async () => (await stateOf(store, id)).state === 'done', 'the job to be taken over');
      expect(runs).toEqual([2]);
    });

    it('a job whose lock still holds is left alone', async () => {
      const store = await newStore();
      const runner = newRunner(store);
      const held = await runner.enqueue('resize', { file: 'held' });
      await store.jobs.claimNextJob(['resize'], nowIso(), isoIn(3600_000));
      const seen: string[] = [];
      runner.register<{ file: string }>('resize', { run: async ({ file }) => void seen.push(file) });
      const other = await runner.enqueue('resize', { file: 'other' });
      runner.start();
      await waitFor(async () => (await stateOf(store, other)).state === 'done', 'the other job to run');
      expect(seen).toEqual(['other']);
      expect((await stateOf(store, held)).state).toBe('running');
    });

    it('gives up on a job that crashed its runners more often than its attempts allow', async () => {
      const store = await newStore();
      const runner = newRunner(store);
      const id = await runner.enqueue('crashy', {});
      for (let i = 0; i < 2; i++) await store.jobs.claimNextJob(['crashy'], nowIso(), isoIn(-1));
      let ran = false;
      let failedWith = '';
      runner.register('crashy', {
        maxAttempts: 2,
        run: async () => void (ran = true),
        onFailed: async (_payload, error) => void (failedWith = (error as Error).message),
      });
      runner.start();
      await waitFor(async () => (await stateOf(store, id)).state === 'failed', 'the job to be given up');
      expect(ran).toBe(false);
      expect(failedWith).toContain('gave up');
    });

    it('claims atomically: one job goes to one claimant', async () => {
      const store = await newStore();
      const runner = newRunner(store);
      await runner.enqueue('k', {});
      const claims = await Promise.all(
        Array.from({ length: 5 }, () => store.jobs.claimNextJob(['k'], nowIso(), isoIn(60_000))),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('runs at most `concurrency` jobs at a time, and only kinds it has handlers for', async () => {
      const store = await newStore();
      const runner = newRunner(store, { concurrency: 2 });
      let running = 0;
      let most = 0;
      const gate = deferred();
      runner.register('slow', {
        run: async () => {
          running++;
          most = Math.max(most, running);
          await gate.promise;
          running--;
        },
      });
      const ids = await Promise.all([1, 2, 3, 4].map(() => runner.enqueue('slow', {})));
      const foreign = await runner.enqueue('someone-elses-kind', {});
      runner.start();
      await waitFor(() => running === 2, 'two jobs to run');
      gate.resolve();
      for (const id of ids)
        await waitFor(async () => (await stateOf(store, id)).state === 'done', 'all jobs');
      expect(most).toBe(2);
      expect((await stateOf(store, foreign)).state).toBe('queued');
    });

    it('renews the lock of a long job', async () => {
      const store = await newStore();
      const runner = newRunner(store, { lockMs: 90 });
      const gate = deferred();
      let started = false;
      runner.register('long', {
        run: async () => {
          started = true;
          await gate.promise;
        },
      });
      const id = await runner.enqueue('long', {});
      runner.start();
      await waitFor(() => started, 'the job to start');
      const first = (await stateOf(store, id)).locked_until!;
      await waitFor(async () => (await stateOf(store, id)).locked_until! > first, 'the lock to be renewed');
      gate.resolve();
      await waitFor(async () => (await stateOf(store, id)).state === 'done', 'the job to finish');
    });

    it('a job claimed by an instance that died is taken over soon after a restart (default lease)', async () => {
      const store = await newStore();
      const { jobLockMs } = loadConfig({});
      const id = await newRunner(store).enqueue('work', {});
      // The dead instance's claim, with the default lease, never renewed.
      const claimed = await store.jobs.claimNextJob(['work'], nowIso(), isoIn(jobLockMs));
      expect(claimed?.id).toBe(id);
      const runner = newRunner(store, { lockMs: jobLockMs });
      runner.register('work', { run: async () => {} });
      runner.start();
      // Two leases at most: a restart does not wait minutes for a process that is gone.
      await waitFor(
        async () => (await stateOf(store, id)).state === 'done',
        'the job taken over',
        2 * jobLockMs,
      );
      expect((await stateOf(store, id)).attempts).toBe(2);
    }, 120_000);

    it('a long job on a live instance is never taken over by another, even one whose clock runs ahead', async () => {
      const [store, other] = await twoInstances();
      const lockMs = 300;
      const gate = deferred();
      let runs = 0;
      const handler = { run: async () => void (runs++, await gate.promise) };
      const live = newRunner(store, { lockMs });
      live.register('long', handler);
      const id = await live.enqueue('long', {});
      live.start();
      await waitFor(() => runs === 1, 'the job to start');
      // Ten minutes ahead: leases are compared on the database's clock, not each instance's.
      const ahead = newRunner(other, { lockMs, clock: () => Date.now() + 10 * 60_000 });
      ahead.register('long', handler);
      ahead.start();
      const first = (await stateOf(store, id)).locked_until!;
      // Several leases go by while the job runs.
      await waitFor(
        async () => Date.parse((await stateOf(store, id)).locked_until!) > Date.parse(first) + 4 * lockMs,
        'the lease renewed several times',
      );
      expect(runs).toBe(1);
      gate.resolve();
      await waitFor(async () => (await stateOf(store, id)).state === 'done', 'the job to finish');
      expect((await stateOf(store, id)).attempts).toBe(1);
    });

    it('stop() aborts running jobs and hands them back to the queue, attempt not counted', async () => {
      const store = await newStore();
      const runner = newRunner(store);
      let started = false;
      runner.register('waits', {
        run: (_payload, context) =>
          new Promise<void>((_resolve, reject) => {
            started = true;
            context.signal.addEventListener('abort', () => reject(new Error('aborted')));
          }),
      });
      const id = await runner.enqueue('waits', {});
      runner.start();
      await waitFor(() => started, 'the job to start');
      await runner.stop();
      const job = await stateOf(store, id);
      expect(job.state).toBe('queued');
      expect(job.attempts).toBe(0);
    });
  });
}
