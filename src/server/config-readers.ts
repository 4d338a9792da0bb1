// How each setting is read from the environment and checked (`loadConfig` in config.ts puts them together):
// a wrong value stops the server at start with a message naming the setting.
import { isIP } from 'node:net';
import os from 'node:os';
import { isPostgresUrl } from './stores/dialect.ts';
import type { S3Config, TransformConfig } from './config.ts';

export function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

/** `PICKER_ALLOWED_ORIGINS`: a comma list of bare origins (scheme, host, port; no path), normalised. */
export function originsFromEnv(env: NodeJS.ProcessEnv, name: string): string[] {
  return listFromEnv(env, name, []).map((entry) => {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    const bare = entry.replace(/\/+$/, '');
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== bare) {
      throw new Error(
        `${name} must be a comma list of origins like https://editor.example.com (scheme and host, optional ` +
          `port, no path); "${entry}" is not one`,
      );
    }
    return url.origin;
  });
}

export function positiveIntFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = intFromEnv(env, name, fallback);
  if (value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

export function listFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: string[]): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '');
}

/** `DATABASE_URL`: a PostgreSQL URL, or unset for SQLite. Anything else is refused rather than ignored. */
export function databaseUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.DATABASE_URL?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!isPostgresUrl(raw)) throw new Error('DATABASE_URL must be a postgres:// or postgresql:// URL');
  return raw;
}

function booleanFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new Error(`${name} must be true or false`);
}

/** proxy-addr's names for address ranges: `loopback` (127.0.0.0/8, ::1), `linklocal`, `uniquelocal`. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An IPv4/IPv6 address, one with a `/prefix` no longer than the address, or a range name. */
function isProxyAddress(value: string): boolean {
  if (PROXY_RANGE_NAMES.has(value)) return true;
  const [address = '', prefix, ...rest] = value.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * `TRUST_PROXY`: `false` (default), a comma list of the proxies' addresses/CIDRs, or a number of proxies. `true`
 * is read as `1`: believing every hop (Fastify's `true`) takes the left-most address, which the client writes
 * itself whenever the proxy appends to `X-Forwarded-For` (nginx's `$proxy_add_x_forwarded_for`), so it is never
 * safe; and the earlier documentation paired `true` with exactly one nginx, which `1` keeps working.
 */
export function trustProxyFromEnv(env: NodeJS.ProcessEnv): false | number | string[] {
  const raw = (env.TRUST_PROXY ?? '').trim().toLowerCase();
  if (['', '0', 'false', 'no', 'off'].includes(raw)) return false;
  if (['true', 'yes', 'on'].includes(raw)) return 1;
  if (/^\d+$/.test(raw)) return Number(raw);
  const proxies = raw.split(',').map((item) => item.trim());
  const bad = proxies.find((item) => !isProxyAddress(item));
  if (bad !== undefined) {
    throw new Error(
      `TRUST_PROXY must be false, a comma list of proxy addresses/CIDRs (127.0.0.1) or a number of proxies (1); "${bad}" is none of these`,
    );
  }
  return proxies;
}

/** `VISITOR_UPLOADS`: `open` (default) or `off`. */
export function visitorUploadsFromEnv(env: NodeJS.ProcessEnv): boolean {
  const raw = (env.VISITOR_UPLOADS ?? 'open').trim().toLowerCase();
  if (raw === 'open' || raw === 'on' || raw === '') return true;
  if (raw === 'off') return false;
  throw new Error('VISITOR_UPLOADS must be open or off');
}

/** Below this, a slow upload's bytes could be swept in the moment between their write and their row's. */
const MIN_BLOB_SWEEP_GRACE_MINUTES = 60;

/** `BLOB_SWEEP_GRACE_MINUTES`: minutes (default a day, at least an hour), or `off`. */
export function blobSweepGraceFromEnv(env: NodeJS.ProcessEnv): number | null {
  const raw = env.BLOB_SWEEP_GRACE_MINUTES?.trim().toLowerCase();
  if (raw === 'off') return null;
  const minutes = intFromEnv(env, 'BLOB_SWEEP_GRACE_MINUTES', 24 * 60);
  if (minutes < MIN_BLOB_SWEEP_GRACE_MINUTES) {
    throw new Error(`BLOB_SWEEP_GRACE_MINUTES must be at least ${MIN_BLOB_SWEEP_GRACE_MINUTES}, or off`);
  }
  return minutes;
}

/** A century: beyond it a purge date is no longer a date `Date` can hold comfortably, and "0" says forever. */
const MAX_TRASH_RETENTION_DAYS = 36_500;

/** `TRASH_RETENTION_DAYS`: whole days (default 30), `0` keeps trashed items forever. */
export function trashRetentionDaysFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.TRASH_RETENTION_DAYS?.trim();
  const days = /^\d+$/.test(raw ?? '') ? Number(raw) : raw === undefined || raw === '' ? 30 : NaN;
  if (!Number.isSafeInteger(days) || days > MAX_TRASH_RETENTION_DAYS) {
    throw new Error(
      `TRASH_RETENTION_DAYS must be a whole number of days from 0 (keep forever) to ${MAX_TRASH_RETENTION_DAYS}`,
    );
  }
  return days;
}

/** `S3_KEY_PREFIX`: a "folder" of the bucket, always ending in `/` (or empty). */
function keyPrefixFromEnv(env: NodeJS.ProcessEnv): string {
  const raw = (env.S3_KEY_PREFIX ?? '').trim().replace(/^\/+|\/+$/g, '');
  if (raw === '') return '';
  if (!/^[A-Za-z0-9._~/-]+$/.test(raw) || raw.split('/').some((part) => part === '' || part === '..')) {
    throw new Error('S3_KEY_PREFIX may hold letters, digits, . _ ~ - and single slashes');
  }
  return `${raw}/`;
}

/** `S3_*`: undefined unless `S3_ENDPOINT` is set. */
export function s3FromEnv(env: NodeJS.ProcessEnv): S3Config | undefined {
  const endpoint = env.S3_ENDPOINT?.trim();
  if (!endpoint) return undefined;
  const bucket = env.S3_BUCKET?.trim();
  if (!bucket) throw new Error('S3_BUCKET must be set with S3_ENDPOINT');
  const accessKeyId = env.S3_ACCESS_KEY || undefined;
  const secretAccessKey = env.S3_SECRET_KEY || undefined;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new Error('S3_ACCESS_KEY and S3_SECRET_KEY go together');
  }
  const downloads = (env.S3_DOWNLOADS ?? 'proxy').trim().toLowerCase() || 'proxy';
  if (downloads !== 'proxy' && downloads !== 'redirect')
    throw new Error('S3_DOWNLOADS must be proxy or redirect');
  return {
    endpoint,
    bucket,
    region: env.S3_REGION?.trim() || 'us-east-1',
    accessKeyId,
    secretAccessKey,
    forcePathStyle: booleanFromEnv(env, 'S3_FORCE_PATH_STYLE', true),
    downloads,
    keyPrefix: keyPrefixFromEnv(env),
    maxParts: intFromEnv(env, 'S3_MAX_PARTS', 10_000) || 10_000,
  };
}

/** The shortest `MEDIA_API_KEY` accepted: short enough keys could be guessed even at a throttled rate. */
export const MIN_API_KEY_LENGTH = 16;

export function checkApiKey(apiKey: string | undefined): void {
  if (apiKey === undefined || apiKey.length >= MIN_API_KEY_LENGTH) return;
  throw new Error(
    `MEDIA_API_KEY must be at least ${MIN_API_KEY_LENGTH} characters (it has ${apiKey.length}): generate one ` +
      'with `openssl rand -base64 32`, or leave it unset to have one generated into DATA_DIR/api-key',
  );
}

/** `TRANSFORM_*`. */
export function transformsFromEnv(env: NodeJS.ProcessEnv): TransformConfig {
  const mode = (env.TRANSFORM_MODE ?? 'open').trim().toLowerCase() || 'open';
  if (mode !== 'open' && mode !== 'presets' && mode !== 'signed') {
    throw new Error('TRANSFORM_MODE must be open, presets or signed');
  }
  const presets = listFromEnv(env, 'TRANSFORM_PRESETS', []).map((item) => {
    const match = /^(\d{1,4})x(\d{1,4})$/.exec(item);
    const w = Number(match?.[1]);
    const h = Number(match?.[2]);
    if (!match || w < 1 || h < 1 || w > 5000 || h > 5000) {
      throw new Error(
        'TRANSFORM_PRESETS is a comma-separated list of WxH sizes (1-5000), e.g. 640x480,1280x960',
      );
    }
    return { w, h };
  });
  if (mode === 'presets' && presets.length === 0)
    throw new Error('TRANSFORM_MODE=presets needs TRANSFORM_PRESETS');
  const signingKey = env.TRANSFORM_SIGNING_KEY || undefined;
  if (mode === 'signed' && (signingKey === undefined || signingKey.length < 16)) {
    throw new Error('TRANSFORM_MODE=signed needs TRANSFORM_SIGNING_KEY (16 characters or more)');
  }
  return {
    mode,
    presets,
    signingKey,
    cacheBytes: intFromEnv(env, 'TRANSFORM_CACHE_BYTES', 1024 ** 3),
    concurrency: intFromEnv(env, 'TRANSFORM_CONCURRENCY', os.availableParallelism()) || 1,
    queueLimit: intFromEnv(env, 'TRANSFORM_QUEUE_LIMIT', 64),
    variantsPerFilePerHour: intFromEnv(env, 'TRANSFORM_HOURLY_VARIANTS', 100),
    maxInputPixels: intFromEnv(env, 'TRANSFORM_MAX_INPUT_PIXELS', 100_000_000) || 100_000_000,
    touchIntervalMs: 60_000,
  };
}
