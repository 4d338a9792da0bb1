import fs from 'node:fs';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { BlobStore } from './blobs/blob-store.ts';
import { DiskBlobStore } from './blobs/disk-blob-store.ts';
import { nowIso } from './clock.ts';
import type { Config } from './config.ts';
import { persistentSecret } from './secrets.ts';
import type { AuthService } from './services/auth-service.ts';
import type { BlobSweeper } from './services/blob-sweeper.ts';
import type { DownloadService } from './services/download-service.ts';
import type { FileService } from './services/file-service.ts';
import type { FolderService } from './services/folder-service.ts';
import type { ImageTransformService } from './services/images/image-transform-service.ts';
import type { ImportService } from './services/import-service.ts';
import type { JobRunner } from './services/job-runner.ts';
import type { ProcessingService } from './services/processing/processing-service.ts';
import type { ResumableUploads } from './services/tus/resumable-uploads.ts';
import type { ShareService } from './services/share-service.ts';
import type { StorageService } from './services/storage-service.ts';
import type { TrashRetention } from './services/trash-retention.ts';
import type { TrashService } from './services/trash-service.ts';
import type { UploadService } from './services/upload-service.ts';
import { openMetadataDb } from './stores/metadata-db.ts';
import { MetadataStore } from './stores/metadata-store.ts';
import { periodicCleanup } from './app/cleanup.ts';
import { newFastify } from './app/fastify.ts';
import {
  registerApiRoutes,
  registerBasics,
  registerExtensionRoutes,
  registerPublicRoutes,
  registerWebApp,
} from './app/routes.ts';
import { buildServices } from './app/services.ts';
import { openBlobStore } from './app/storage.ts';

// The server is put together in `app/`: the Fastify instance (fastify.ts), where bytes go (storage.ts), the
// services (services.ts), the routes by audience (routes.ts) and the periodic cleanup (cleanup.ts).
export { API_PREFIX, EXT_API_PREFIX } from './app/routes.ts';
export { openTusS3Store, s3Options, TUS_S3_PREFIX } from './app/storage.ts';

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

/** Builds the whole server without listening: `main.ts` listens, tests use `app.inject()` or listen on port 0. */
export async function buildApp(config: Config, logger: FastifyServerOptions['logger'] = false): Promise<App> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const apiKey = config.apiKey ?? persistentSecret(config.dataDir, 'api-key');
  const secret = config.signingSecret ?? persistentSecret(config.dataDir, 'secret');

  const store = new MetadataStore(await openMetadataDb(config));
  await store.migrate();
  await store.deleteExpired(nowIso());
  const blobs = await openBlobStore(config);

  const app = newFastify(config, logger);
  const s = await buildServices(config, store, blobs, secret, apiKey, app.log);

  await registerBasics(app);
  registerPublicRoutes(app, config, s);
  await registerApiRoutes(app, s);
  await registerExtensionRoutes(app, s);
  await registerWebApp(app, config);

  const cleanup = periodicCleanup(config, store, blobs, s, app.log);
  cleanup.start();
  await s.resumable.cleanupExpired();
  s.jobs.start();
  // Trash that came due while the server was down, or whose purge a crash cut short, goes now rather than a
  // cleanup interval later.
  s.retention.purgeDue().catch((error: unknown) => app.log.warn({ err: error }, 'trash retention failed'));
  app.addHook('onClose', async () => {
    await cleanup.stop();
    await s.jobs.stop();
    await store.close();
    if (!(blobs instanceof DiskBlobStore)) blobs.destroy();
    s.resumable.close();
  });

  return {
    app,
    config,
    apiKey,
    store,
    blobs,
    sweeper: cleanup.sweeper,
    cleanup: cleanup.cleanup,
    ...s,
  };
}
