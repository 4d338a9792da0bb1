import path from 'node:path';
import { openTusS3Store, s3Options } from './app/storage.ts';
import type { BlobStore } from './blobs/blob-store.ts';
import { DiskBlobStore } from './blobs/disk-blob-store.ts';
import type { Config } from './config.ts';
import { BlobSweeper } from './services/blob-sweeper.ts';
import { DataCheckService, type DataCheckLimits } from './services/data-check-service.ts';
import { DiskTusLeftovers, s3TusLeftovers, type TusLeftoverSource } from './services/tus/leftovers.ts';
import { IntegrityStore } from './stores/integrity-store.ts';
import { openMetadataDb } from './stores/metadata-db.ts';
import { MetadataStore } from './stores/metadata-store.ts';

/** The grace period fsck uses when the server's sweeper is off (`BLOB_SWEEP_GRACE_MINUTES=off`). */
const DEFAULT_GRACE_MINUTES = 24 * 60;

export const DEFAULT_DATA_CHECK_LIMITS: DataCheckLimits = {
  stuckLockMs: 60 * 60_000,
  maxRunMs: 24 * 3600_000,
};

export interface OpenedDataCheck {
  service: DataCheckService;
  close(): Promise<void>;
}

/**
 * The data check over the stores the configuration names (the server's own settings: `DATA_DIR`,
 * `DATABASE_URL`, `S3_*`), without the rest of the server: no job runner, no start-up cleanup (the disk store's
 * temp area may hold a running server's uploads), no migration. Safe next to running servers.
 */
export async function openDataCheck(
  config: Config,
  limits: DataCheckLimits = DEFAULT_DATA_CHECK_LIMITS,
): Promise<OpenedDataCheck> {
  const store = new MetadataStore(await openMetadataDb(config));
  let blobs: BlobStore;
  let tus: TusLeftoverSource;
  const closers: Array<() => void> = [];
  if (config.s3) {
    const { S3BlobStore } = await import('./blobs/s3-blob-store.ts');
    const s3 = new S3BlobStore(s3Options(config.s3, config.maxFileSizeBytes));
    const tusStore = (await openTusS3Store(config, store.tusUploads))!;
    closers.push(
      () => s3.destroy(),
      () => tusStore.destroy(),
    );
    blobs = s3;
    tus = s3TusLeftovers(tusStore);
  } else {
    blobs = new DiskBlobStore(path.join(config.dataDir, 'blobs'));
    tus = new DiskTusLeftovers(path.join(config.dataDir, 'tus'), config.resumableUploadTtlMinutes * 60_000);
  }
  const integrity = new IntegrityStore(store);
  const graceMinutes = config.blobSweepGraceMinutes ?? DEFAULT_GRACE_MINUTES;
  const sweeper = new BlobSweeper(integrity, blobs, { graceMs: graceMinutes * 60_000 });
  return {
    service: new DataCheckService(integrity, blobs, sweeper, tus, limits),
    close: async () => {
      for (const close of closers) close();
      await store.close();
    },
  };
}
