import { describe, expect, it } from 'vitest';
import { useCrashHarness } from './testing/crash-harness.ts';
import { storedBlobs, waitFor } from './testing/helpers.ts';
import { createTestApp, TEST_API_KEY } from './testing/test-app.ts';

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
  const harness = useCrashHarness({
    name: 'purge-crash',
    apiKey: TEST_API_KEY,
    env: { TRASH_RETENTION_DAYS: '30' },
    // The library is made in-process by `createTestApp` over the same data dir and bucket "folder".
    keyPrefix: 'sameAsTestApp',
  });

  const count = async (table: 'files' | 'folders') => {
    const db = await harness.db();
    return Number((await db.selectFrom(table).select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  };
  const countFiles = () => count('files');
  const countFolders = () => count('folders');

  it('a restart finishes a purge cut short, and keeps everything that was not due', async () => {
    // The library, made in-process: folders of files and loose files in the trash for 40 days, one file
    // trashed just now, one live file.
    const setup = await createTestApp({
      dataDir: harness.dataDir,
      databaseUrl: harness.databaseUrl,
      trashRetentionDays: 30,
    });
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
    const total = await countFiles();
    expect(total).toBe(FOLDERS * FILES_PER_FOLDER + LOOSE_FILES + 2);

    // The first server starts purging at once (what came due while it was down); it dies mid-way.
    const first = await harness.start();
    await waitFor(async () => (await countFiles()) < total, 'the purge to start', 120_000);
    await harness.kill(first);
    const left = await countFiles();
    expect(left, 'killed before the purge finished').toBeGreaterThan(2);

    // The next server finishes it.
    await harness.start();
    await waitFor(
      async () => (await countFiles()) === 2 && (await countFolders()) === 0,
      'the purge to finish',
      120_000,
    );
    await harness.killAll();

    // Nothing that was not due is lost: both files are there with their bytes.
    const after = await createTestApp({ dataDir: harness.dataDir, databaseUrl: harness.databaseUrl });
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
