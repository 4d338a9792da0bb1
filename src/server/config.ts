import path from 'node:path';

export interface Config {
  host: string;
  port: number;
  /** Where the SQLite database, blobs, the generated API key and the signing secret live. */
  dataDir: string;
  /** Admin API key; generated once and kept in `DATA_DIR/api-key` when not given. */
  apiKey: string | undefined;
  /** Secret for signed URLs and cursors; generated once and kept in `DATA_DIR/secret` when not given. */
  signingSecret: string | undefined;
  /** Origin used in absolute URLs (`url`, `uploadUrl`, download URLs). Defaults to `http://HOST:PORT`. */
  publicUrl: string;
  siteId: string;
  maxFileSizeBytes: number;
  uploadUrlTtlMinutes: number;
  sessionTtlDays: number;
  loginLinkTtlMinutes: number;
  /** Built web app served at `/`; absent in API-only test setups. */
  staticDir: string | undefined;
  logLevel: string;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const host = env.HOST ?? '127.0.0.1';
  const port = intFromEnv(env, 'PORT', 8080);
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    host,
    port,
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    apiKey: env.MEDIA_API_KEY || undefined,
    signingSecret: env.SIGNING_SECRET || undefined,
    publicUrl: (env.PUBLIC_URL ?? `http://${publicHost}:${port}`).replace(/\/+$/, ''),
    siteId: env.SITE_ID ?? 'self-hosted',
    maxFileSizeBytes: intFromEnv(env, 'MAX_FILE_SIZE_BYTES', 25 * 1024 ** 3),
    uploadUrlTtlMinutes: intFromEnv(env, 'UPLOAD_URL_TTL_MINUTES', 60),
    sessionTtlDays: intFromEnv(env, 'SESSION_TTL_DAYS', 30),
    loginLinkTtlMinutes: intFromEnv(env, 'LOGIN_LINK_TTL_MINUTES', 60 * 24),
    staticDir: env.STATIC_DIR ?? path.resolve('dist'),
    logLevel: env.LOG_LEVEL ?? 'info',
    ...overrides,
  };
}
