import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { Config } from '../config.ts';
import { AuthService } from '../services/auth-service.ts';
import { BulkService } from '../services/bulk-service.ts';
import { ContentsService } from '../services/contents-service.ts';
import { CursorCodec } from '../services/cursors.ts';
import { DownloadService, thumbnailSignature } from '../services/download-service.ts';
import { DuplicateService } from '../services/duplicate-service.ts';
import { FileExtrasService } from '../services/file-extras-service.ts';
import { FileService } from '../services/file-service.ts';
import { FolderService } from '../services/folder-service.ts';
import { ImageTransformService } from '../services/images/image-transform-service.ts';
import { ImportService } from '../services/import-service.ts';
import { JobRunner } from '../services/job-runner.ts';
import { MediaService } from '../services/media-service.ts';
import { ModerationService } from '../services/moderation-service.ts';
import { assetsOf } from '../services/processing/assets.ts';
import { ProcessingService } from '../services/processing/processing-service.ts';
import { ReplaceService } from '../services/replace-service.ts';
import { ResumableUploads } from '../services/tus/resumable-uploads.ts';
import { withRevision, type UrlBuilder } from '../services/serializers.ts';
import { ShareService } from '../services/share-service.ts';
import { StorageService } from '../services/storage-service.ts';
import { TrashRetention } from '../services/trash-retention.ts';
import { TrashService } from '../services/trash-service.ts';
import { Quota } from '../services/upload-limits.ts';
import { UploadService } from '../services/upload-service.ts';
import { ZipService } from '../services/zip-service.ts';
import { ContentsStore } from '../stores/contents-store.ts';
import { FileExtrasStore } from '../stores/file-extras-store.ts';
import { ImageStore } from '../stores/image-store.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import { openTusS3Store, storageGuard } from './storage.ts';

/** The URLs files and their renditions answer at, under `PUBLIC_URL`. */
function urlBuilder(publicUrl: string, secret: string): UrlBuilder {
  const urls: UrlBuilder = {
    fileUrl: (fileId, revision) => withRevision(`${publicUrl}/media/${encodeURIComponent(fileId)}`, revision),
    assetUrl: (fileId, assetKey, revision) =>
      withRevision(
        `${publicUrl}/media/${encodeURIComponent(fileId)}/${encodeURIComponent(assetKey)}`,
        revision,
      ),
    // The processed thumbnail when there is one, else the type's icon. A private file's is signed.
    thumbnailUrl: (row) => {
      if (!assetsOf(row).thumbnail) return `${publicUrl}/icons/${row.media_type.toLowerCase()}.svg`;
      const url = urls.assetUrl(row.id, 'thumbnail');
      const signed = row.private === 1 ? `${url}?sig=${thumbnailSignature(secret, row.id)}` : url;
      return withRevision(signed, row.revision);
    },
  };
  return urls;
}

/** Every service of the server, made from the settings over one metadata store and one blob store. */
export async function buildServices(
  config: Config,
  store: MetadataStore,
  blobs: BlobStore,
  secret: string,
  apiKey: string,
  log: FastifyBaseLogger,
) {
  const codec = new CursorCodec(secret);
  const jobs = new JobRunner(
    store,
    {
      concurrency: config.workerConcurrency,
      lockMs: config.jobLockMs,
      pollMs: config.jobPollMs,
      retryBaseMs: config.jobRetryBaseMs,
    },
    log,
  );
  const space = storageGuard(config);
  const processing = new ProcessingService(
    store,
    blobs,
    jobs,
    path.join(config.dataDir, 'tmp', 'processing'),
    log,
    { timeoutMs: config.processingTimeoutMs },
  );
  await processing.cleanTemp();
  const folders = new FolderService(store, codec, config.siteId);
  const files = new FileService(store, folders, codec, config.siteId, urlBuilder(config.publicUrl, secret));
  const policy = { maxFileSizeBytes: config.maxFileSizeBytes, allowedMimeTypes: config.allowedMimeTypes };
  const visitorPolicy = {
    maxFileSizeBytes: Math.min(config.visitorMaxFileSizeBytes, config.maxFileSizeBytes),
    allowedMimeTypes: config.visitorAllowedMimeTypes,
  };
  const uploads = new UploadService(store, blobs, folders, files, processing, {
    policy,
    visitorPolicy,
    quota: new Quota(() => store.usage.usageBytes(), config.siteQuotaBytes),
    visitorQuota: new Quota(
      () => store.usage.visitorUsageBytes(),
      config.visitorQuotaBytes,
      'VISITOR_UPLOADS',
    ),
    space,
    uploadUrlTtlMinutes: config.uploadUrlTtlMinutes,
    claimLeaseMs: config.uploadClaimLeaseSeconds * 1000,
    publicUrl: config.publicUrl,
  });
  const downloads = new DownloadService(files, secret, config.publicUrl);
  const shares = new ShareService(store, files, secret, config.publicUrl);
  const zips = new ZipService(store, blobs, config.publicUrl);
  const auth = new AuthService(store, apiKey, {
    sessionDays: config.sessionTtlDays,
    loginLinkMinutes: config.loginLinkTtlMinutes,
  });

  const trash = new TrashService(store, blobs, log);
  const retention = new TrashRetention(store, blobs, config.trashRetentionDays, log);
  const images = new ImageTransformService(new ImageStore(store), blobs, config.transforms, log);
  const contentsStore = new ContentsStore(store);
  const contents = new ContentsService(store, contentsStore, folders);
  const bulk = new BulkService(store, contentsStore, folders, trash, jobs, {
    batchSize: config.bulkBatchSize,
    batchPauseMs: config.bulkBatchPauseMs,
  });
  const extras = new FileExtrasService(store, new FileExtrasStore(store), files);
  const replace = new ReplaceService(store, blobs, uploads, files, processing, jobs);
  const storage = new StorageService(store, {
    siteBytes: config.siteQuotaBytes,
    visitorBytes: config.visitorQuotaBytes,
  });
  const resumable = new ResumableUploads(
    store,
    uploads,
    files,
    {
      directory: path.join(config.dataDir, 'tus'),
      // On S3 every instance sees every upload: one can continue or finalize what another started.
      s3Store: await openTusS3Store(config, store.tusUploads),
      expiryMs: config.resumableUploadTtlMinutes * 60_000,
      maxSizeBytes: config.maxFileSizeBytes,
    },
    log,
  );
  const imports = new ImportService(store, blobs, folders, files, uploads, jobs, processing, {
    allowHosts: config.importAllowHosts,
    timeoutMs: config.importTimeoutMs,
    maxRedirects: 5,
  });
  const media = new MediaService(files, blobs, secret, {
    redirectDownloads: config.s3?.downloads === 'redirect',
  });
  return {
    auth,
    folders,
    files,
    uploads,
    resumable,
    imports,
    jobs,
    processing,
    downloads,
    trash,
    retention,
    images,
    shares,
    storage,
    zips,
    contents,
    bulk,
    extras,
    replace,
    media,
    duplicates: new DuplicateService(store, files, codec),
    moderation: new ModerationService(store, folders),
  };
}

export type Services = Awaited<ReturnType<typeof buildServices>>;
