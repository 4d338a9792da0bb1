import os from 'node:os';
import path from 'node:path';

/** Blobs in an S3-compatible store instead of `DATA_DIR/blobs`. */
export interface S3Config {
  endpoint: string;
  bucket: string;
  region: string;
  /** With `secretAccessKey`; both unset: the AWS SDK's default chain (environment, profile, instance role). */
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** Bucket in the path (`endpoint/bucket/key`), as Swift, MinIO and most self-hosted stores want. */
  forcePathStyle: boolean;
  /** `proxy`: downloads stream through this server; `redirect`: clients are sent to a presigned URL of the store. */
  downloads: 'proxy' | 'redirect';
  /** Prepended to every object key (`site-a/`), so several installations can share a bucket; `''`: none. */
  keyPrefix: string;
  /** The most parts of one multipart upload the store takes (S3: 10,000; Swift's s3api: 1000 by default). */
  maxParts: number;
}

/** Image transformations at `/media/<id>/v1/...` (Wix's URL grammar). */
export interface TransformConfig {
  /** `open`: any size (a per-file cap on new variants per hour); `presets`: only listed sizes; `signed`: `?sig=`. */
  mode: 'open' | 'presets' | 'signed';
  /** `WxH` sizes `presets` mode allows (the last step's w and h). */
  presets: { w: number; h: number }[];
  /** HMAC-SHA256 key of `signed` mode. */
  signingKey: string | undefined;
  /** Rendered variants kept in the blob store, least recently used evicted past this. */
  cacheBytes: number;
  /** Renders at a time (each uses sharp's threadpool, never the event loop). */
  concurrency: number;
  /** Renders waiting for a slot; past this a request answers 503 with `Retry-After`. */
  queueLimit: number;
  /** `open` mode: distinct variants of one file rendered per hour (cached ones are always served). */
  variantsPerFilePerHour: number;
  /** Sources above this many pixels are refused (decompression bombs). */
  maxInputPixels: number;
  /** A served variant's last use is written at most this often (the LRU order's resolution). */
  touchIntervalMs: number;
}

export interface Config {
  host: string;
  port: number;
  /** Where the SQLite database, blobs, the generated API key and the signing secret live. */
  dataDir: string;
  /** `postgres://` URL of the metadata database; unset: SQLite in `dataDir`. */
  databaseUrl: string | undefined;
  /** Admin API key; generated once and kept in `DATA_DIR/api-key` when not given. */
  apiKey: string | undefined;
  /** Secret for signed URLs and cursors; generated once and kept in `DATA_DIR/secret` when not given. */
  signingSecret: string | undefined;
  /** Origin used in absolute URLs (`url`, `uploadUrl`, download URLs). Defaults to `http://HOST:PORT`. */
  publicUrl: string;
  siteId: string;
  maxFileSizeBytes: number;
  /** MIME patterns uploads and imports may have (`image/*`, `application/pdf`); empty: every type. */
  allowedMimeTypes: string[];
  /** Bytes all files (live and trashed) may take together; null: unlimited. */
  siteQuotaBytes: number | null;
  /** Bytes all files in Visitor Uploads (live and trashed) may take together; null: no separate limit. */
  visitorQuotaBytes: number | null;
  /**
   * Bytes to keep free on the data volume: below it uploads and imports are refused (507). null: 1 GiB, or a
   * tenth of the volume when that is less; 0: no reserve.
   */
  minFreeDiskBytes: number | null;
  uploadUrlTtlMinutes: number;
  /** A resumable (tus) upload not finalized this long after it was created expires and its bytes go. */
  resumableUploadTtlMinutes: number;
  /**
   * How long a claim on an upload URL (a plain PUT, a tus finalize) lasts unless the process holding it renews
   * it (it does while bytes flow or finalize runs): after a crash the URL works again this long after.
   */
  uploadClaimLeaseSeconds: number;
  /** How often expired upload tokens, unfinished tus uploads, sessions and old jobs are removed. */
  cleanupIntervalMinutes: number;
  /**
   * Blobs no file row owns (left by a crash mid delete-forever) are removed by the cleanup once they are this
   * old: younger ones may be an upload or processing whose row is not committed yet. null: no sweeping.
   */
  blobSweepGraceMinutes: number | null;
  /**
   * Items in the trash are deleted forever (rows and bytes) by the cleanup this many days after they were moved
   * there; 0 keeps them until someone deletes them.
   */
  trashRetentionDays: number;
  /** Background jobs (imports, later media processing) run at most this many at a time. */
  workerConcurrency: number;
  /** One file's media processing (its ffmpeg, pdftoppm...) is killed and the file FAILED after this long. */
  processingTimeoutMs: number;
  /**
   * A running job's lease: renewed every third of it while the job runs; if its process dies, another runner
   * (after a restart, or another instance) takes the job over once it runs out.
   */
  jobLockMs: number;
  /** How often an idle runner looks for due jobs (new jobs wake it at once). */
  jobPollMs: number;
  /** First retry delay of a failed job; doubled on each further attempt. */
  jobRetryBaseMs: number;
  /** Items a bulk operation ("Select all N", then an action) acts on per batch, each batch one transaction. */
  bulkBatchSize: number;
  /** Pause between two batches of a bulk operation, so other requests' transactions get their turn. */
  bulkBatchPauseMs: number;
  /** `host` or `host:port` entries an import may fetch from even when they resolve to private addresses. */
  importAllowHosts: string[];
  /** An import whose source is silent (connecting, answering, sending) this long fails. */
  importTimeoutMs: number;
  /** Whether the public visitor upload API (`/visitor/v1`) is on. */
  visitorUploads: boolean;
  /** When set, visitors must send it (`Authorization: <key>`) to get an upload URL. */
  visitorUploadKey: string | undefined;
  visitorMaxFileSizeBytes: number;
  visitorAllowedMimeTypes: string[];
  /** Visitor upload URLs handed out per client IP per minute. */
  visitorUploadsPerMinute: number;
  /**
   * Which `X-Forwarded-For` hops to believe for client IPs: `false` none (the connection is the client), a
   * number of proxies in front of the server, or the proxies' addresses/CIDRs (Fastify's `trustProxy`).
   */
  trustProxy: false | number | string[];
  /** A request's headers must be complete this long after it starts (Node's `headersTimeout`); 0: no limit. */
  headersTimeoutMs: number;
  /** A request body must bring at least `bodyMinBytesPerWindow` bytes in every window this long; 0: no check. */
  bodyRateWindowMs: number;
  bodyMinBytesPerWindow: number;
  sessionTtlDays: number;
  loginLinkTtlMinutes: number;
  /**
   * Origins (`https://editor.example.com`) whose pages may embed the media picker (`/picker`) in a frame or
   * open it as a popup and receive its `postMessage` results. Empty: the picker is refused to everyone.
   */
  pickerAllowedOrigins: string[];
  /** Built web app served at `/`; absent in API-only test setups. */
  staticDir: string | undefined;
  logLevel: string;
  /** Set when `S3_ENDPOINT` is: blobs go to that store, not to disk. */
  s3: S3Config | undefined;
  transforms: TransformConfig;
}

import {
  blobSweepGraceFromEnv,
  checkApiKey,
  databaseUrlFromEnv,
  intFromEnv,
  listFromEnv,
  originsFromEnv,
  positiveIntFromEnv,
  s3FromEnv,
  transformsFromEnv,
  trashRetentionDaysFromEnv,
  trustProxyFromEnv,
  visitorUploadsFromEnv,
} from './config-readers.ts';

export { MIN_API_KEY_LENGTH } from './config-readers.ts';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const host = env.HOST ?? '127.0.0.1';
  const port = intFromEnv(env, 'PORT', 8080);
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const config: Config = {
    host,
    port,
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    databaseUrl: databaseUrlFromEnv(env),
    apiKey: env.MEDIA_API_KEY || undefined,
    signingSecret: env.SIGNING_SECRET || undefined,
    publicUrl: (env.PUBLIC_URL ?? `http://${publicHost}:${port}`).replace(/\/+$/, ''),
    siteId: env.SITE_ID ?? 'self-hosted',
    maxFileSizeBytes: intFromEnv(env, 'MAX_FILE_SIZE_BYTES', 25 * 1024 ** 3),
    allowedMimeTypes: listFromEnv(env, 'ALLOWED_MIME_TYPES', []),
    siteQuotaBytes: intFromEnv(env, 'SITE_QUOTA_BYTES', 0) || null,
    visitorQuotaBytes: intFromEnv(env, 'VISITOR_QUOTA_BYTES', 0) || null,
    minFreeDiskBytes: env.MIN_FREE_DISK_BYTES?.trim() ? intFromEnv(env, 'MIN_FREE_DISK_BYTES', 0) : null,
    uploadUrlTtlMinutes: intFromEnv(env, 'UPLOAD_URL_TTL_MINUTES', 60),
    resumableUploadTtlMinutes: intFromEnv(env, 'RESUMABLE_UPLOAD_TTL_MINUTES', 24 * 60),
    uploadClaimLeaseSeconds: positiveIntFromEnv(env, 'UPLOAD_CLAIM_LEASE_SECONDS', 60),
    cleanupIntervalMinutes: intFromEnv(env, 'CLEANUP_INTERVAL_MINUTES', 15),
    blobSweepGraceMinutes: blobSweepGraceFromEnv(env),
    trashRetentionDays: trashRetentionDaysFromEnv(env),
    workerConcurrency: intFromEnv(env, 'WORKER_CONCURRENCY', os.availableParallelism()) || 1,
    processingTimeoutMs: (intFromEnv(env, 'PROCESSING_TIMEOUT_SECONDS', 30 * 60) || 30 * 60) * 1000,
    // Short, so that a job whose process died is taken over soon after a restart; a live runner renews it.
    jobLockMs: 30_000,
    jobPollMs: 1000,
    jobRetryBaseMs: 10_000,
    bulkBatchSize: positiveIntFromEnv(env, 'BULK_BATCH_SIZE', 200),
    bulkBatchPauseMs: intFromEnv(env, 'BULK_BATCH_PAUSE_MS', 10),
    importAllowHosts: listFromEnv(env, 'IMPORT_ALLOW_HOSTS', []),
    importTimeoutMs: intFromEnv(env, 'IMPORT_TIMEOUT_SECONDS', 30) * 1000,
    visitorUploads: visitorUploadsFromEnv(env),
    visitorUploadKey: env.VISITOR_UPLOAD_KEY || undefined,
    visitorMaxFileSizeBytes: intFromEnv(env, 'VISITOR_MAX_FILE_SIZE_BYTES', 100 * 1024 ** 2),
    visitorAllowedMimeTypes: listFromEnv(env, 'VISITOR_ALLOWED_MIME_TYPES', [
      'image/*',
      'video/*',
      'audio/*',
      'application/pdf',
      'text/plain',
    ]),
    visitorUploadsPerMinute: intFromEnv(env, 'VISITOR_UPLOADS_PER_MINUTE', 10),
    trustProxy: trustProxyFromEnv(env),
    headersTimeoutMs: intFromEnv(env, 'HEADERS_TIMEOUT_SECONDS', 30) * 1000,
    bodyRateWindowMs: intFromEnv(env, 'BODY_RATE_WINDOW_SECONDS', 60) * 1000,
    bodyMinBytesPerWindow: intFromEnv(env, 'BODY_MIN_BYTES_PER_WINDOW', 1024),
    sessionTtlDays: intFromEnv(env, 'SESSION_TTL_DAYS', 30),
    loginLinkTtlMinutes: intFromEnv(env, 'LOGIN_LINK_TTL_MINUTES', 60 * 24),
    pickerAllowedOrigins: originsFromEnv(env, 'PICKER_ALLOWED_ORIGINS'),
    staticDir: env.STATIC_DIR ?? path.resolve('dist'),
    logLevel: env.LOG_LEVEL ?? 'info',
    s3: s3FromEnv(env),
    transforms: transformsFromEnv(env),
    ...overrides,
  };
  // Checked after the overrides too: a key set in code (tests, scripts) is held to the same rule.
  checkApiKey(config.apiKey);
  return config;
}
