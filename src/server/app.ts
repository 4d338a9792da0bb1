import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { BlobStore } from './blobs/blob-store.ts';
import { DiskBlobStore } from './blobs/disk-blob-store.ts';
import { DiskSpaceProbe } from './blobs/disk-space.ts';
import type { S3BlobStore } from './blobs/s3-blob-store.ts';
import type { TusUploadStore } from './stores/tus-upload-store.ts';
import { nowIso } from './clock.ts';
import type { Config, S3Config } from './config.ts';
import { apiAuthHook, registerAuthRoutes } from './http/auth-routes.ts';
import { sendError, sendNoRoute } from './http/error-handler.ts';
import { registerBulkRoutes } from './http/bulk-routes.ts';
import { registerContentsRoutes } from './http/contents-routes.ts';
import { ContentsService } from './services/contents-service.ts';
import { ContentsStore } from './stores/contents-store.ts';
import { registerFileRoutes } from './http/file-routes.ts';
import { registerFolderRoutes } from './http/folder-routes.ts';
import { registerImportRoutes } from './http/import-routes.ts';
import { registerMediaRoutes } from './http/media-routes.ts';
import { registerFocalPointRoutes, registerTransformRoutes } from './http/transform-routes.ts';
import { appCsp, registerPickerRoutes } from './http/picker-routes.ts';
import { registerUploadApiRoutes, registerUploadTargetRoutes } from './http/upload-routes.ts';
import { cutOffSlowBodies } from './http/slow-bodies.ts';
import { registerVisitorRoutes } from './http/visitor-routes.ts';
import { registerShareApiRoutes, registerShareLinkRoutes } from './http/share-routes.ts';
import { ShareService } from './services/share-service.ts';
import {
  registerZipApiRoutes,
  registerZipDownloadRoutes,
  registerZipExtensionRoutes,
} from './http/zip-routes.ts';
import { persistentSecret } from './secrets.ts';
import { AuthService } from './services/auth-service.ts';
import { BlobSweeper } from './services/blob-sweeper.ts';
import { BulkService } from './services/bulk-service.ts';
import { CursorCodec } from './services/cursors.ts';
import { DownloadService, thumbnailSignature } from './services/download-service.ts';
import { FileService } from './services/file-service.ts';
import { FolderService } from './services/folder-service.ts';
import { ImageTransformService } from './services/images/image-transform-service.ts';
import { ImportService } from './services/import-service.ts';
import { JobRunner } from './services/job-runner.ts';
import { MediaService } from './services/media-service.ts';
import { assetsOf } from './services/processing/assets.ts';
import { ProcessingService } from './services/processing/processing-service.ts';
import { withRevision, type UrlBuilder } from './services/serializers.ts';
import { ResumableUploads } from './services/tus/resumable-uploads.ts';
import { StorageGuard } from './services/storage-guard.ts';
import { TrashService } from './services/trash-service.ts';
import { TrashRetention } from './services/trash-retention.ts';
import { registerTrashRetentionRoutes } from './http/trash-retention-routes.ts';
import { registerFileExtrasRoutes } from './http/file-extras-routes.ts';
import { registerReplaceRoutes } from './http/replace-routes.ts';
import { ReplaceService } from './services/replace-service.ts';
import { registerModerationRoutes } from './http/moderation-routes.ts';
import { ModerationService } from './services/moderation-service.ts';
import { registerStorageRoutes } from './http/storage-routes.ts';
import { StorageService } from './services/storage-service.ts';
import { FileExtrasService } from './services/file-extras-service.ts';
import { FileExtrasStore } from './stores/file-extras-store.ts';
import { registerDuplicateRoutes } from './http/duplicate-routes.ts';
import { DuplicateService } from './services/duplicate-service.ts';
import { Quota } from './services/upload-limits.ts';
import { UploadService } from './services/upload-service.ts';
import { ZipService } from './services/zip-service.ts';
import { IntegrityStore } from './stores/integrity-store.ts';
import { ImageStore } from './stores/image-store.ts';
import { openMetadataDb } from './stores/metadata-db.ts';
import { MetadataStore } from './stores/metadata-store.ts';

export const API_PREFIX = '/site-media/v1';
/** Authenticated endpoints Wix's contract lacks (documented in `docs/api.md`). */
export const EXT_API_PREFIX = '/site-media-ext/v1';

/** The web app's own pages: scripts and styles from this origin only, never framed (but `/picker`). */
const APP_CSP = appCsp("'none'");

export interface App {
  app: FastifyInstance;
  config: Config;
  apiKey: string;
  store: MetadataStore;
  auth: AuthService;
  folders: FolderService;
  files: FileService;
  uploads: UploadService;
  resumable: ResumableUploads;
  imports: ImportService;
  jobs: JobRunner;
  processing: ProcessingService;
  downloads: DownloadService;
  trash: TrashService;
  blobs: BlobStore;
  /** Removes blobs no row owns; part of `cleanup`. */
  sweeper: BlobSweeper;
  /** Deletes for good what has been in the trash `TRASH_RETENTION_DAYS`; part of `cleanup`. */
  retention: TrashRetention;
  /**
   * The periodic cleanup (run every `CLEANUP_INTERVAL_MINUTES`), callable at will (tests). `now` is when trash
   * retention is counted from (tests move it).
   */
  cleanup(now?: number): Promise<void>;
  images: ImageTransformService;
  shares: ShareService;
  /** The Storage page's figures (`GET /site-media-ext/v1/storage`). */
  storage: StorageService;
}

/** The blob sweep lists the whole store: at most this often, however often the rest of the cleanup runs. */
const SWEEP_EVERY_MS = 60 * 60_000;

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
    import('./services/tus/s3-store.ts'),
    import('./blobs/s3-blob-store.ts'),
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
async function openBlobStore(config: Config): Promise<DiskBlobStore | S3BlobStore> {
  if (config.s3) {
    // Loaded only when used: the AWS SDK is memory the embedded default does not need.
    const { S3BlobStore } = await import('./blobs/s3-blob-store.ts');
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
function storageGuard(config: Config): StorageGuard {
  const directories = [
    ...(config.databaseUrl === undefined || !config.s3 ? [config.dataDir] : []),
    ...(config.s3 ? [] : [path.join(config.dataDir, 'blobs'), path.join(config.dataDir, 'tus')]),
  ];
  return new StorageGuard(new DiskSpaceProbe(directories, config.minFreeDiskBytes), !config.s3);
}

/**
 * `TRUST_PROXY` as Fastify takes it. Fastify no longer counts hops itself (a number trusts nothing, since the
 * first hop is whoever connected): `n` proxies is a function believing the last `n` hops of `X-Forwarded-For`,
 * which is right only while the server is reachable through those proxies alone (see docs/deploy.md).
 */
function fastifyTrustProxy(trust: Config['trustProxy']): FastifyServerOptions['trustProxy'] {
  if (typeof trust === 'number') return (_address: string, hop: number) => hop < trust;
  return trust;
}

/** Builds the whole server without listening: `main.ts` listens, tests use `app.inject()` or listen on port 0. */
export async function buildApp(config: Config, logger: FastifyServerOptions['logger'] = false): Promise<App> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const apiKey = config.apiKey ?? persistentSecret(config.dataDir, 'api-key');
  const secret = config.signingSecret ?? persistentSecret(config.dataDir, 'secret');

  const store = new MetadataStore(await openMetadataDb(config));
  await store.migrate();
  await store.deleteExpired(nowIso());
  const blobs = await openBlobStore(config);

  const app = Fastify({
    logger,
    bodyLimit: 1024 * 1024,
    // Ids are checked by the routes (and answered in the contract's shape); let long ones reach them.
    routerOptions: { maxParamLength: 4096 },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    forceCloseConnections: true,
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // No total request timeout (a long upload on a slow line must finish): slow bodies are cut off by rate
    // instead (cutOffSlowBodies). Headers, though, must arrive in time. Node looks for late headers every
    // `connectionsCheckingInterval`, so that is a fraction of the timeout.
    requestTimeout: 0,
    http: {
      requestTimeout: 0,
      headersTimeout: config.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(config.headersTimeoutMs / 4))),
    },
  });
  cutOffSlowBodies(app, { windowMs: config.bodyRateWindowMs, minBytes: config.bodyMinBytesPerWindow });
  const codec = new CursorCodec(secret);
  const urls: UrlBuilder = {
    fileUrl: (fileId, revision) =>
      withRevision(`${config.publicUrl}/media/${encodeURIComponent(fileId)}`, revision),
    assetUrl: (fileId, assetKey, revision) =>
      withRevision(
        `${config.publicUrl}/media/${encodeURIComponent(fileId)}/${encodeURIComponent(assetKey)}`,
        revision,
      ),
    // The processed thumbnail when there is one, else the type's icon. A private file's is signed.
    thumbnailUrl: (row) => {
      if (!assetsOf(row).thumbnail) return `${config.publicUrl}/icons/${row.media_type.toLowerCase()}.svg`;
      const url = urls.assetUrl(row.id, 'thumbnail');
      const signed = row.private === 1 ? `${url}?sig=${thumbnailSignature(secret, row.id)}` : url;
      return withRevision(signed, row.revision);
    },
  };
  const jobs = new JobRunner(
    store,
    {
      concurrency: config.workerConcurrency,
      lockMs: config.jobLockMs,
      pollMs: config.jobPollMs,
      retryBaseMs: config.jobRetryBaseMs,
    },
    app.log,
  );
  const space = storageGuard(config);
  const processing = new ProcessingService(
    store,
    blobs,
    jobs,
    path.join(config.dataDir, 'tmp', 'processing'),
    app.log,
    { timeoutMs: config.processingTimeoutMs },
  );
  await processing.cleanTemp();
  const folders = new FolderService(store, codec, config.siteId);
  const files = new FileService(store, folders, codec, config.siteId, urls);
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

  const trash = new TrashService(store, blobs, app.log);
  const retention = new TrashRetention(store, blobs, config.trashRetentionDays, app.log);
  const images = new ImageTransformService(new ImageStore(store), blobs, config.transforms, app.log);
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
    app.log,
  );
  const imports = new ImportService(store, blobs, folders, files, uploads, jobs, processing, {
    allowHosts: config.importAllowHosts,
    timeoutMs: config.importTimeoutMs,
    maxRedirects: 5,
  });

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('X-Wix-Request-Id', request.id);
    void reply.header('X-Content-Type-Options', 'nosniff');
  });
  await app.register(fastifyCookie);
  app.setErrorHandler((error, _request, reply) => sendError(reply, error));

  app.get('/healthz', async () => ({ status: 'ok' }));
  registerAuthRoutes(app, auth, {
    secureCookies: config.publicUrl.startsWith('https://'),
    framedByOtherSites: config.pickerAllowedOrigins.length > 0,
  });
  registerUploadTargetRoutes(app, uploads, resumable, config.maxFileSizeBytes);
  registerVisitorRoutes(app, uploads, {
    enabled: config.visitorUploads,
    key: config.visitorUploadKey,
    uploadsPerMinute: config.visitorUploadsPerMinute,
    policy: visitorPolicy,
  });
  const media = new MediaService(files, blobs, secret, {
    redirectDownloads: config.s3?.downloads === 'redirect',
  });
  registerMediaRoutes(app, files, downloads, media);
  registerTransformRoutes(app, images);
  registerZipDownloadRoutes(app, zips);
  registerShareLinkRoutes(app, shares, media);

  await app.register(
    (api, _options, done) => {
      api.addHook('onRequest', apiAuthHook(auth));
      registerFolderRoutes(api, folders, trash);
      registerFileRoutes(api, files, trash, downloads);
      registerUploadApiRoutes(api, uploads);
      registerImportRoutes(api, imports);
      registerZipApiRoutes(api, zips);
      done();
    },
    { prefix: API_PREFIX },
  );
  await app.register(
    (ext, _options, done) => {
      ext.addHook('onRequest', apiAuthHook(auth));
      registerFocalPointRoutes(ext, images);
      registerZipExtensionRoutes(ext, zips);
      registerContentsRoutes(ext, contents);
      registerBulkRoutes(ext, bulk);
      registerShareApiRoutes(ext, shares);
      registerTrashRetentionRoutes(ext, retention);
      registerFileExtrasRoutes(ext, extras);
      registerReplaceRoutes(ext, replace);
      registerDuplicateRoutes(ext, new DuplicateService(store, files, codec), uploads);
      registerModerationRoutes(ext, new ModerationService(store, folders));
      registerStorageRoutes(ext, storage);
      done();
    },
    { prefix: EXT_API_PREFIX },
  );

  const staticDir = config.staticDir;
  const hasWebApp = staticDir !== undefined && fs.existsSync(path.join(staticDir, 'index.html'));
  if (hasWebApp) {
    await app.register(fastifyStatic, {
      root: staticDir,
      wildcard: false,
      index: false,
      setHeaders: (res) => {
        res.setHeader('Content-Security-Policy', APP_CSP);
        res.setHeader('X-Frame-Options', 'DENY');
      },
    });
  }
  registerPickerRoutes(app, {
    allowedOrigins: config.pickerAllowedOrigins,
    staticDir: hasWebApp ? staticDir : undefined,
  });
  // The web app owns every other GET path without an extension (react-router): answer with index.html.
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    const isPage =
      hasWebApp &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !url.startsWith(`${API_PREFIX}/`) &&
      !url.startsWith(`${EXT_API_PREFIX}/`) &&
      !/^\/(upload|download|media|stream|auth|visitor)\//.test(url) &&
      path.extname(url) === '';
    if (!isPage) return sendNoRoute(request, reply);
    void reply.header('Cache-Control', 'no-cache');
    void reply.header('Content-Security-Policy', APP_CSP);
    void reply.header('X-Frame-Options', 'DENY');
    return reply.sendFile('index.html');
  });

  const sweeper = new BlobSweeper(new IntegrityStore(store), blobs, {
    graceMs: (config.blobSweepGraceMinutes ?? 0) * 60_000,
  });
  let lastSweep: number | undefined;
  // Expired tokens, sessions and old jobs; resumable uploads never finalized (their bytes too); blobs no row
  // owns any more (a crash mid delete-forever), once past their grace period; trash past its retention.
  const cleanup = async (now = Date.now()): Promise<void> => {
    // The SQLite slack file, used up on a full disk, comes back once there is room again.
    store.keepSlack();
    await Promise.all([
      store.deleteExpired(nowIso()),
      resumable.cleanupExpired(),
      bulk.cleanup(),
      shares.deleteExpired(),
    ]);
    const purged = await retention.purgeDue(now);
    if (purged.entries > 0) {
      app.log.info({ entries: purged.entries, files: purged.files }, 'deleted trash past its retention');
    }
    if (config.blobSweepGraceMinutes === null) return;
    if (lastSweep !== undefined && Date.now() - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = Date.now();
    const swept = await sweeper.sweep();
    if (swept.deleted > 0) {
      app.log.info(
        { deleted: swept.deleted, bytes: swept.bytesDeleted, checked: swept.checked },
        'removed blobs no file owns',
      );
    }
  };
  const cleanupTimer = setInterval(
    () => {
      cleanup().catch((error: unknown) => app.log.warn({ err: error }, 'cleanup failed'));
    },
    Math.max(1, config.cleanupIntervalMinutes) * 60_000,
  );
  cleanupTimer.unref();
  await resumable.cleanupExpired();
  jobs.start();
  // Trash that came due while the server was down, or whose purge a crash cut short, goes now rather than a
  // cleanup interval later.
  retention.purgeDue().catch((error: unknown) => app.log.warn({ err: error }, 'trash retention failed'));
  app.addHook('onClose', async () => {
    clearInterval(cleanupTimer);
    await Promise.all([sweeper.stop(), retention.stop()]);
    await jobs.stop();
    await store.close();
    if (!(blobs instanceof DiskBlobStore)) blobs.destroy();
    resumable.close();
  });

  return {
    app,
    config,
    apiKey,
    store,
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
    blobs,
    sweeper,
    retention,
    cleanup,
    images,
    shares,
    storage,
  };
}
