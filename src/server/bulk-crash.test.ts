import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMetadataDb } from './stores/metadata-db.ts';
import type { Database } from './stores/schema.ts';
import { startChildServer, type ChildServer } from './testing/child-servers.ts';
import { PNG_1X1, waitFor } from './testing/helpers.ts';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from './testing/test-databases.ts';
import { TEST_S3 } from './testing/test-app.ts';

const API_KEY = 'bulk-crash-test-api-key';

interface Operation {
  id: string;
  status: 'RUNNING' | 'DONE' | 'FAILED';
  processed: { folders: number; files: number };
}

/**
 * A bulk operation ("Select all N", then Restore / Delete forever) whose server is killed with `kill -9`
 * between batches, and a new server started over the same data: the operation resumes after the last
 * committed batch and completes; every batch was all or nothing, and nothing is counted twice. The dead
 * runner's job lease (30 s) runs out before the new server takes the job over.
 */
describe('bulk operations across a crash (kill -9) of the server', { timeout: 240_000 }, () => {
  let dataDir: string;
  let schema: TestSchema | undefined;
  let db: Kysely<Database>;
  let env: Record<string, string>;
  const servers: ChildServer[] = [];

  async function start(): Promise<ChildServer> {
    const server = await startChildServer(env);
    servers.push(server);
    return server;
  }

  async function call<T>(server: ChildServer, method: string, url: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.base}${url}`, {
      method,
      headers: { authorization: API_KEY, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    expect(response.ok, text).toBe(true);
    return JSON.parse(text) as T;
  }

  async function upload(server: ChildServer, content: string | Buffer, fileName: string, mimeType: string) {
    const { uploadUrl } = await call<{ uploadUrl: string }>(
      server,
      'POST',
      '/site-media/v1/files/generate-upload-url',
      { mimeType, fileName },
    );
    const target = new URL(uploadUrl);
    const response = await fetch(`${server.base}${target.pathname}`, {
      method: 'PUT',
      headers: { 'content-type': mimeType },
      body: typeof content === 'string' ? content : new Uint8Array(content),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { file: { id: string } }).file.id;
  }

  const operation = (server: ChildServer, id: string) =>
    call<{ operation: Operation }>(server, 'GET', `/site-media-ext/v1/bulk-operations/${id}`).then(
      (r) => r.operation,
    );

  /** Files in the trash (rows, read from the database directly), by media type. */
  async function trashedCount(mediaType: string): Promise<number> {
    const rows = await db
      .selectFrom('files')
      .select('id')
      .where('state', '=', 'DELETED')
      .where('media_type', '=', mediaType)
      .execute();
    return rows.length;
  }

  async function doneFiles(id: string): Promise<number> {
    const row = await db
      .selectFrom('bulk_operations')
      .select('done_files')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return Number(row.done_files);
  }

  /** Seeds 20 documents and 3 images, all in the trash; returns the documents' ids. */
  async function seedTrash(server: ChildServer): Promise<string[]> {
    const docs: string[] = [];
    for (let i = 0; i < 20; i++) docs.push(await upload(server, `doc ${i}`, `doc-${i}.txt`, 'text/plain'));
    const images: string[] = [];
    for (let i = 0; i < 3; i++) images.push(await upload(server, PNG_1X1, `img-${i}.png`, 'image/png'));
    await call(server, 'POST', '/site-media/v1/bulk/files/delete', { fileIds: [...docs, ...images] });
    return docs;
  }

  /** Starts the operation and kills the server once some batches (not all) were committed. */
  async function startAndCrash(server: ChildServer, body: object): Promise<string> {
    const started = await call<{ operation: Operation }>(
      server,
      'POST',
      '/site-media-ext/v1/bulk-operations',
      body,
    );
    const id = started.operation.id;
    let seen: Operation | undefined;
    await waitFor(
      async () => {
        seen = await operation(server, id);
        return seen.processed.files > 0 || seen.status !== 'RUNNING';
      },
      'a first batch to commit',
      60_000,
    );
    await server.kill();
    expect(seen!.status, 'the operation ended before the crash').toBe('RUNNING');
    return id;
  }

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-bulk-crash-'));
    schema = TEST_DATABASE_URL ? await createTestSchema(TEST_DATABASE_URL) : undefined;
    env = {
      DATA_DIR: dataDir,
      MEDIA_API_KEY: API_KEY,
      STATIC_DIR: path.join(dataDir, 'no-web-app'),
      DATABASE_URL: schema?.url ?? '',
      // Small batches with a pause between them: the kill lands between two of them.
      BULK_BATCH_SIZE: '2',
      BULK_BATCH_PAUSE_MS: '400',
      ...(TEST_S3 && {
        S3_KEY_PREFIX: `${TEST_S3.keyPrefix}bulk-crash-${randomBytes(4).toString('hex')}`,
      }),
    };
    db = await openMetadataDb({ dataDir, databaseUrl: schema?.url });
  });

  afterEach(async () => {
    for (const server of servers.splice(0)) await server.kill();
    await db.destroy();
    await schema?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('Restore all matching (documents) resumes after a crash and restores each match once', async () => {
    const first = await start();
    await seedTrash(first);
    const id = await startAndCrash(first, {
      action: 'RESTORE',
      folderId: 'trash-root',
      mediaTypes: ['DOCUMENT'],
    });

    // What the dead server left: the committed batches, counted exactly (cursor and changes in one commit).
    const restoredBefore = 20 - (await trashedCount('DOCUMENT'));
    expect(restoredBefore).toBeGreaterThan(0);
    expect(restoredBefore).toBeLessThan(20);
    expect(await doneFiles(id)).toBe(restoredBefore);

    const second = await start();
    let final: Operation | undefined;
    await waitFor(
      async () => {
        final = await operation(second, id);
        return final.status !== 'RUNNING';
      },
      'the operation to resume and complete',
      120_000,
    );
    expect(final).toMatchObject({ status: 'DONE', processed: { folders: 0, files: 20 } });
    expect(await trashedCount('DOCUMENT')).toBe(0);
    // The images did not match: still in the trash.
    expect(await trashedCount('IMAGE')).toBe(3);
  });

  it('Delete forever of the whole trash resumes after a crash: nothing restorable is half-deleted', async () => {
    const first = await start();
    await seedTrash(first);
    const id = await startAndCrash(first, { action: 'DELETE_FOREVER', folderId: 'trash-root' });
    const left = await db.selectFrom('files').select('id').execute();
    expect(left.length).toBeGreaterThan(0);
    expect(23 - left.length).toBe(await doneFiles(id));

    const second = await start();
    let final: Operation | undefined;
    await waitFor(
      async () => {
        final = await operation(second, id);
        return final.status !== 'RUNNING';
      },
      'the operation to resume and complete',
      120_000,
    );
    expect(final).toMatchObject({ status: 'DONE', processed: { folders: 0, files: 23 } });
    expect(await db.selectFrom('files').select('id').execute()).toEqual([]);
  });
});
