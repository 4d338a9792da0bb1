import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from './app.ts';
import { S3BlobStore } from './blobs/s3-blob-store.ts';
import { loadConfig, type Config } from './config.ts';
import { migrateData } from './data-migration.ts';
import { sha256Hex, waitFor } from './testing/helpers.ts';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from './testing/test-databases.ts';

const API_KEY = 'migration-api-key';
const SECRET = 'migration-signing-secret-of-enough-length';

async function start(overrides: Partial<Config>): Promise<App> {
  return buildApp(
    loadConfig(
      {},
      {
        apiKey: API_KEY,
        signingSecret: SECRET,
        staticDir: undefined,
        publicUrl: 'http://media.test',
        jobPollMs: 20,
        databaseUrl: undefined,
        s3: undefined,
        ...overrides,
      },
    ),
  );
}

async function call<T = Record<string, any>>(
  built: App,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
): Promise<T> {
  const response = await built.app.inject({
    method,
    url: `/site-media/v1${url}`,
    headers: { authorization: API_KEY },
    ...(body !== undefined && { payload: body as Record<string, unknown> }),
  });
  if (response.statusCode !== 200)
    throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
}

async function upload(
  built: App,
  content: Buffer | string,
  options: { fileName: string; mimeType: string; parentFolderId?: string; labels?: string[] },
): Promise<string> {
  const { uploadUrl } = await call<{ uploadUrl: string }>(
    built,
    'POST',
    '/files/generate-upload-url',
    options,
  );
  const response = await built.app.inject({
    method: 'PUT',
    url: new URL(uploadUrl).pathname,
    headers: { 'content-type': options.mimeType },
    payload: content,
  });
  if (response.statusCode !== 200) throw new Error(`PUT: ${response.statusCode} ${response.body}`);
  return response.json<{ file: { id: string } }>().file.id;
}

/** Everything a client sees of the install: folders, files (live and trashed) and every byte behind them. */
async function snapshot(built: App) {
  const out: Record<string, unknown> = {};
  const files: Array<{ id: string; url: string; thumbnailUrl?: string }> = [];
  for (const rootFolder of ['MEDIA_ROOT', 'TRASH_ROOT']) {
    out[`folders ${rootFolder}`] = (
      await call(built, 'POST', '/folders/search', { rootFolder, paging: { limit: 100 } })
    ).folders;
    const found = (await call(built, 'POST', '/files/search', { rootFolder, paging: { limit: 100 } }))
      .files as typeof files;
    out[`files ${rootFolder}`] = found;
    files.push(...found);
  }
  out['trash-bin'] = (await call(built, 'GET', '/trash-bin/files')).files;
  for (const file of files) {
    const original = await built.app.inject({ method: 'GET', url: new URL(file.url).pathname });
    out[`bytes ${file.id}`] =
      original.statusCode === 200 ? sha256Hex(original.rawPayload) : original.statusCode;
    if (file.thumbnailUrl?.includes('/media/')) {
      const thumbnail = new URL(file.thumbnailUrl);
      const served = await built.app.inject({
        method: 'GET',
        url: `${thumbnail.pathname}${thumbnail.search}`,
      });
      expect(served.statusCode).toBe(200);
      out[`thumbnail ${file.id}`] = sha256Hex(served.rawPayload);
    }
  }
  return out;
}

describe.skipIf(!TEST_DATABASE_URL || !process.env.S3_ENDPOINT)(
  'npm run migrate-data (SQLite + disk → PostgreSQL + S3)',
  () => {
    const dirs: string[] = [];
    let schema: TestSchema;
    let sourceDir: string;
    let before: Record<string, unknown>;
    let sourceBlobs: number;

    const tempDir = (name: string) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `smm-migrate-${name}-`));
      dirs.push(dir);
      return dir;
    };
    const target = () => {
      const s3 = loadConfig(process.env).s3!;
      return {
        databaseUrl: schema.url,
        s3: { ...s3, keyPrefix: `${s3.keyPrefix}${path.basename(sourceDir)}/` },
      };
    };

    beforeAll(async () => {
      schema = await createTestSchema(TEST_DATABASE_URL!);
      sourceDir = tempDir('source');
      const source = await start({ dataDir: sourceDir });
      try {
        const folder = (await call(source, 'POST', '/folders', { displayName: 'Trips' })).folder as {
          id: string;
        };
        const sub = (
          await call(source, 'POST', '/folders', { displayName: 'Rome', parentFolderId: folder.id })
        ).folder as { id: string };
        const png = await sharp({
          create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 40, b: 90 } },
        })
          .png()
          .toBuffer();
        const image = await upload(source, png, {
          fileName: 'colosseum.png',
          mimeType: 'image/png',
          parentFolderId: sub.id,
          labels: ['rome', 'stone'],
        });
        const notes = await upload(source, 'notes for the trip', {
          fileName: 'notes.txt',
          mimeType: 'text/plain',
          parentFolderId: folder.id,
        });
        await source.shares.create(notes, 'WEEK');
        for (let i = 0; i < 7; i++) {
          await upload(source, randomBytes(1000 + i), {
            fileName: `blob-${i}.bin`,
            mimeType: 'application/octet-stream',
          });
        }
        const trashed = await upload(source, 'old', { fileName: 'old.txt', mimeType: 'text/plain' });
        await call(source, 'POST', '/bulk/files/delete', { fileIds: [trashed] });
        // The image's renditions are made by a job: wait for them, they are blobs to copy too.
        await waitFor(
          async () => (await source.store.files.getFile(image))!.operation_status !== 'PENDING',
          'the image to be processed',
          60_000,
        );
        before = await snapshot(source);
      } finally {
        await source.app.close();
      }
      sourceBlobs = fs
        .readdirSync(path.join(sourceDir, 'blobs'), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && !entry.parentPath.includes('.tmp')).length;
    }, 120_000);

    afterAll(async () => {
      await schema?.drop();
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('copies every row and blob in batches, then copies nothing more when run again', async () => {
      const report = await migrateData({ fromDataDir: sourceDir, target: target(), batchSize: 3 });
      expect(report.tables.files).toEqual({ source: 10, copied: 10, target: 10 });
      expect(report.tables.folders).toEqual({ source: 2, copied: 2, target: 2 });
      expect(report.tables.share_links).toEqual({ source: 1, copied: 1, target: 1 });
      for (const [name, counts] of Object.entries(report.tables)) {
        expect(counts.target, name).toBe(counts.source);
      }
      // Originals and the image's renditions.
      expect(report.blobs.source).toBe(sourceBlobs);
      expect(sourceBlobs).toBeGreaterThan(10);
      expect(report.blobs.copied).toBe(sourceBlobs);

      const again = await migrateData({ fromDataDir: sourceDir, target: target(), batchSize: 3 });
      expect(again.tables.files).toEqual({ source: 10, copied: 0, target: 10 });
      expect(again.blobs).toEqual({ source: sourceBlobs, copied: 0, skipped: sourceBlobs });
    });

    it('an instance on PostgreSQL + S3 then lists and serves the same folders, files and bytes', async () => {
      const moved = await start({ ...target(), dataDir: tempDir('target') });
      try {
        expect(moved.blobs).toBeInstanceOf(S3BlobStore);
        expect(moved.store.dialect).toBe('postgres');
        expect(await snapshot(moved)).toEqual(before);
      } finally {
        await moved.app.close();
      }
    });
  },
);
