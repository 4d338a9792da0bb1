import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import { createTestSchema, TEST_DATABASE_URL } from './test-databases.ts';

export const TEST_API_KEY = 'test-api-key-0123456789';

export interface TestApp extends App {
  dataDir: string;
  /** An authenticated JSON call to `/site-media/v1<path>`. */
  api(method: InjectOptions['method'], apiPath: string, body?: unknown): Promise<LightMyRequestResponse>;
  /** Like `api`, but fails the test unless the answer is 200, and returns the parsed JSON. */
  ok<T = Record<string, any>>(method: InjectOptions['method'], apiPath: string, body?: unknown): Promise<T>;
  createFolder(displayName: string, parentFolderId?: string): Promise<{ id: string; [key: string]: unknown }>;
  /** generate-upload-url + PUT; returns the file descriptor. */
  upload(
    content: string | Buffer,
    options?: {
      fileName?: string;
      mimeType?: string;
      parentFolderId?: string;
      private?: boolean;
      labels?: string[];
      filePath?: string;
    },
  ): Promise<{ id: string; [key: string]: any }>;
  close(): Promise<void>;
}

/**
 * The S3 store the server suites also run against when `S3_ENDPOINT` is set (`scripts/services/swift.sh env`).
 * Every test app gets its own key prefix in the one bucket.
 */
export const TEST_S3 = process.env.S3_ENDPOINT ? loadConfig(process.env).s3 : undefined;

/**
 * A whole server over a fresh temp data dir (SQLite + disk), used through `inject()` or a real port. With
 * `TEST_DATABASE_URL` set, the metadata goes to a fresh schema of that PostgreSQL database instead; with
 * `S3_ENDPOINT` set, blobs and unfinished tus uploads go to that S3 store. Given a `dataDir` (and
 * `databaseUrl`), it runs over those instead (a restart).
 */
export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const dataDir = overrides.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'smm-test-'));
  const schema =
    TEST_DATABASE_URL !== undefined && overrides.databaseUrl === undefined
      ? await createTestSchema(TEST_DATABASE_URL)
      : undefined;
  const config = loadConfig(
    {},
    {
      dataDir,
      apiKey: TEST_API_KEY,
      staticDir: undefined,
      publicUrl: 'http://media.test',
      databaseUrl: schema?.url,
      // A "folder" of the bucket per data dir: each app sees only its own objects, and a restart (same data
      // dir) finds them again.
      s3: TEST_S3 && { ...TEST_S3, keyPrefix: `${TEST_S3.keyPrefix}${path.basename(dataDir)}/` },
      ...overrides,
    },
  );
  const built = await buildApp(config);

  const api: TestApp['api'] = (method, apiPath, body) =>
    built.app.inject({
      method,
      url: `/site-media/v1${apiPath}`,
      headers: { authorization: TEST_API_KEY },
      ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
    });

  const ok: TestApp['ok'] = async (method, apiPath, body) => {
    const response = await api(method, apiPath, body);
    if (response.statusCode !== 200) {
      throw new Error(`${method} ${apiPath} answered ${response.statusCode}: ${response.body}`);
    }
    return response.json();
  };

  const upload: TestApp['upload'] = async (content, options = {}) => {
    const { fileName = 'file.txt', mimeType = 'text/plain', ...rest } = options;
    const { uploadUrl } = await ok<{ uploadUrl: string }>('POST', '/files/generate-upload-url', {
      mimeType,
      fileName,
      ...rest,
    });
    const response = await built.app.inject({
      method: 'PUT',
      url: new URL(uploadUrl).pathname,
      headers: { 'content-type': mimeType },
      payload: content,
    });
    if (response.statusCode !== 200) throw new Error(`PUT answered ${response.statusCode}: ${response.body}`);
    return response.json<{ file: { id: string; [key: string]: any } }>().file;
  };

  return {
    ...built,
    dataDir,
    api,
    ok,
    upload,
    createFolder: async (displayName, parentFolderId) =>
      (await ok<{ folder: { id: string } }>('POST', '/folders', { displayName, parentFolderId })).folder,
    close: async () => {
      await built.app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      await schema?.drop();
    },
  };
}
