import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMetadataDb } from './stores/metadata-db.ts';
import type { Database } from './stores/schema.ts';
import { startChildServer, type ChildServer } from './testing/child-servers.ts';
import { storedBlobs, waitFor } from './testing/helpers.ts';
import { createTestApp, TEST_API_KEY, TEST_S3 } from './testing/test-app.ts';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from './testing/test-databases.ts';

const DAY = 24 * 60 * 60_000;
const FOLDERS = 40;
const FILES_PER_FOLDER = 3;
const LOOSE_FILES = 40;

/**
 * A server killed with `kill -9` while it purges trash past its retention, and another started over the same
 * data (data dir, database, bucket): the second finishes the purge, nothing that was not due is lost, and the
 * blobs the dead process left behind (rows gone, bytes not yet) are the blob sweeper's to remove.
 */
describe('trash retention across a crash (kill -9) of the server', { timeout: 300_000 }, () => {
  let dataDir: string;
  let schema: TestSchema | undefined;
  let db: Kysely<Database>;
  let env: Record<string, string>;
  const servers: ChildServer[] = [];

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-purge-crash-'));
    schema = TEST_DATABASE_URL ? await createTestSchema(TEST_DATABASE_URL) : undefined;
    env = {
      DATA_DIR: dataDir,
      MEDIA_API_KEY: TEST_API_KEY,
      STATIC_DIR: path.join(dataDir, 'no-web-app'),
      DATABASE_URL: schema?.url ?? '',
      TRASH_RETENTION_DAYS: '30',
      // The same "folder" of the bucket `createTestApp` gives this data dir.
      ...(TEST_S3 && { S3_KEY_PREFIX: `${TEST_S3.keyPrefix}${path.basename(dataDir)}` }),
    };
  });

  afterEach(async () => {
    for (const server of servers.splice(0)) await server.kill();
    await db.destroy();
    await schema?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const countFiles = async () =>
    Number((await db.selectFrom('files').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const countFolders = async () =>
    Number((await db.selectFrom('folders').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('a restart finishes a purge cut short, and keeps everything that was not due', async () => {
    // The library, made in-process: folders of files and loose files in the trash for 40 days, one file
    // trashed just now, one live file.
    const setup = await createTestApp({ dataDir, databaseUrl: schema?.url, trashRetentionDays: 30 });
    const old = new Date(Date.now() - 40 * DAY).toISOString();
    const folderIds: string[] = [];
    for (let i = 0; i < FOLDERS; i++) {
      const folder = await setup.createFolder(`Folder ${i}`);
      folderIds.push(folder.id);
      for (let j = 0; j < FILES_PER_FOLDER; j++) {
        await setup.upload(`folder ${i} file ${j}`, { parentFolderId: folder.id, fileName: `${j}.txt` });
      }
    }
    const loose: string[] = [];
    for (let i = 0; i < LOOSE_FILES; i++) loose.push((await setup.upload(`loose ${i}`)).id);
    const recent = await setup.upload('trashed just now', { fileName: 'recent.txt' });
    const live = await setup.upload('still live', { fileName: 'live.txt' });
    await setup.ok('POST', '/bulk/folders/delete', { folderIds });
    await setup.ok('POST', '/bulk/files/delete', { fileIds: loose });
    await setup.ok('POST', '/bulk/files/delete', { fileIds: [recent.id] });
    for (const table of ['files', 'folders'] as const) {
      await setup.store.db
        .updateTable(table)
        .set({ updated_date: old })
        .where('state', '=', 'DELETED')
        .where('id', '!=', recent.id)
        .execute();
    }
    // Not `close()`: that removes the data dir, which the servers below run over.
    await setup.app.close();
    db = await openMetadataDb({ dataDir, databaseUrl: schema?.url });
    const total = await countFiles();
    expect(total).toBe(FOLDERS * FILES_PER_FOLDER + LOOSE_FILES + 2);

    // The first server starts purging at once (what came due while it was down); it dies mid-way.
    const first = await startChildServer(env);
    servers.push(first);
    await waitFor(async () => (await countFiles()) < total, 'the purge to start', 120_000);
    await first.kill();
    servers.splice(servers.indexOf(first), 1);
    const left = await countFiles();
    expect(left, 'killed before the purge finished').toBeGreaterThan(2);

    // The next server finishes it.
    servers.push(await startChildServer(env));
    await waitFor(
      async () => (await countFiles()) === 2 && (await countFolders()) === 0,
      'the purge to finish',
      120_000,
    );
    for (const server of servers.splice(0)) await server.kill();

    // Nothing that was not due is lost: both files are there with their bytes.
    const after = await createTestApp({ dataDir, databaseUrl: schema?.url });
    try {
      for (const [file, state, content] of [
        [recent, 'DELETED', 'trashed just now'],
        [live, 'OK', 'still live'],
      ] as const) {
        expect((await after.ok('GET', `/files/get-file-by-id?fileId=${file.id}`)).file.state).toBe(state);
        const bytes = await after.app.inject({ url: `/media/${file.id}` });
        expect(bytes.body).toBe(content);
      }
      // Blobs whose rows went before the kill could delete them: the sweeper's, once past its grace.
      await after.sweeper.sweep(Date.now() + 2 * DAY);
      const blobs = await storedBlobs(after);
      const owners = new Set([recent.id, live.id]);
      expect(blobs.filter((key) => ![...owners].some((id) => key.includes(id)))).toEqual([]);
      expect(blobs.filter((key) => key.includes(live.id))).not.toEqual([]);
    } finally {
      await after.app.close();
    }
  });
});
