import path from 'node:path';
import { DiskBlobStore } from '../blobs/disk-blob-store.ts';
import { DiskSpaceProbe } from '../blobs/disk-space.ts';
import type { S3BlobStore } from '../blobs/s3-blob-store.ts';
import type { Config, S3Config } from '../config.ts';
import { StorageGuard } from '../services/storage-guard.ts';
import type { TusUploadStore } from '../stores/tus-upload-store.ts';

// Where the bytes go: blobs on disk or in S3, resumable uploads' parts, and the free-space reserve.

/** The S3 settings of `S3_*`. */
export function s3Options(s3: S3Config, maxFileSizeBytes: number) {
  return {
    maxParts: s3.maxParts,
    // Streams of unknown length (plain uploads, imports) must fit the largest file in the store's parts too.
    partSizeBytes: Math.max(8 * 1024 * 1024, Math.ceil(maxFileSizeBytes / s3.maxParts)),
    endpoint: s3.endpoint,
    region: s3.region,
    bucket: s3.bucket,
    forcePathStyle: s3.forcePathStyle,
    keyPrefix: s3.keyPrefix,
    ...(s3.accessKeyId !== undefined &&
      s3.secretAccessKey !== undefined && {
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      }),
  };
}

/** Where unfinished resumable uploads live in the bucket, next to the blobs (`originals/`, `renditions/`). */
export const TUS_S3_PREFIX = 'tus/';

/** The tus store in S3 when it is configured (loaded only then, like the S3 blob store). */
export async function openTusS3Store(config: Config, uploads: TusUploadStore) {
  if (!config.s3) return undefined;
  const [{ CheckedS3Store }, { s3ClientConfig }] = await Promise.all([
    import('../services/tus/s3-store.ts'),
    import('../blobs/s3-blob-store.ts'),
  ]);
  return new CheckedS3Store({
    client: s3ClientConfig(s3Options(config.s3, config.maxFileSizeBytes)),
    bucket: config.s3.bucket,
    maxParts: config.s3.maxParts,
    blobPrefix: config.s3.keyPrefix,
    prefix: config.s3.keyPrefix + TUS_S3_PREFIX,
    uploads,
    expiryMs: config.resumableUploadTtlMinutes * 60_000,
  });
}

/** Blobs in S3 when it is configured, else on disk under `DATA_DIR/blobs`. */
export async function openBlobStore(config: Config): Promise<DiskBlobStore | S3BlobStore> {
  if (config.s3) {
    // Loaded only when used: the AWS SDK is memory the embedded default does not need.
    const { S3BlobStore } = await import('../blobs/s3-blob-store.ts');
    const blobs = new S3BlobStore(s3Options(config.s3, config.maxFileSizeBytes));
    // Fail at start, not at the first upload, when the store is unreachable or the credentials are wrong.
    await blobs.ensureBucket();
    return blobs;
  }
  const blobs = new DiskBlobStore(path.join(config.dataDir, 'blobs'));
  // Temp files of writes cut short by a crash; nothing can be writing yet.
  await blobs.cleanTemp();
  return blobs;
}

/**
 * The free-space reserve over the volumes this machine keeps state on: the data dir (SQLite, processing temp
 * files) and, with blobs on disk, the blob and tus directories (they may be mounts of their own). With
 * PostgreSQL and S3 nothing is watched.
 */
export function storageGuard(config: Config): StorageGuard {
  const directories = [
    ...(config.databaseUrl === undefined || !config.s3 ? [config.dataDir] : []),
    ...(config.s3 ? [] : [path.join(config.dataDir, 'blobs'), path.join(config.dataDir, 'tus')]),
  ];
  return new StorageGuard(new DiskSpaceProbe(directories, config.minFreeDiskBytes), !config.s3);
}
