import type { FastifyBaseLogger } from 'fastify';
import { nowIso } from '../clock.ts';
import type { Config } from '../config.ts';
import { BlobSweeper } from '../services/blob-sweeper.ts';
import { IntegrityStore } from '../stores/integrity-store.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { Services } from './services.ts';

/** The blob sweep lists the whole store: at most this often, however often the rest of the cleanup runs. */
const SWEEP_EVERY_MS = 60 * 60_000;

/**
 * The periodic cleanup: expired tokens, sessions and old jobs; resumable uploads never finalized (their bytes
 * too); blobs no row owns any more (a crash mid delete-forever), once past their grace period; trash past its
 * retention. `cleanup(now)` runs it once (`now`: when trash retention is counted from; tests move it); `start`
 * runs it every `CLEANUP_INTERVAL_MINUTES` until `stop`.
 */
export function periodicCleanup(
  config: Config,
  store: MetadataStore,
  blobs: BlobStore,
  s: Pick<Services, 'resumable' | 'bulk' | 'shares' | 'retention'>,
  log: FastifyBaseLogger,
) {
  const sweeper = new BlobSweeper(new IntegrityStore(store), blobs, {
    graceMs: (config.blobSweepGraceMinutes ?? 0) * 60_000,
  });
  let lastSweep: number | undefined;
  const cleanup = async (now = Date.now()): Promise<void> => {
    // The SQLite slack file, used up on a full disk, comes back once there is room again.
    store.keepSlack();
    await Promise.all([
      store.deleteExpired(nowIso()),
      s.resumable.cleanupExpired(),
      s.bulk.cleanup(),
      s.shares.deleteExpired(),
    ]);
    const purged = await s.retention.purgeDue(now);
    if (purged.entries > 0) {
      log.info({ entries: purged.entries, files: purged.files }, 'deleted trash past its retention');
    }
    if (config.blobSweepGraceMinutes === null) return;
    if (lastSweep !== undefined && Date.now() - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = Date.now();
    const swept = await sweeper.sweep();
    if (swept.deleted > 0) {
      log.info(
        { deleted: swept.deleted, bytes: swept.bytesDeleted, checked: swept.checked },
        'removed blobs no file owns',
      );
    }
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    sweeper,
    cleanup,
    start(): void {
      timer = setInterval(
        () => {
          cleanup().catch((error: unknown) => log.warn({ err: error }, 'cleanup failed'));
        },
        Math.max(1, config.cleanupIntervalMinutes) * 60_000,
      );
      timer.unref();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await Promise.all([sweeper.stop(), s.retention.stop()]);
    },
  };
}
