import { afterEach, describe, expect, it } from 'vitest';
import { TrashRetention } from '../services/trash-retention.ts';
import { storedBlobs } from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const DAY = 24 * 60 * 60_000;

let t: TestApp;
afterEach(async () => {
  await t.close();
});

/** Moves an item's date in the trash back (as if it had been trashed `days` ago): time is moved, not waited. */
async function trashedDaysAgo(kind: 'files' | 'folders', id: string, days: number, now: number) {
  const at = new Date(now - days * DAY).toISOString();
  await t.store.db.updateTable(kind).set({ updated_date: at }).where('id', '=', id).execute();
  // What went to the trash with a folder shares its date.
  if (kind === 'folders') {
    for (const table of ['files', 'folders'] as const) {
      await t.store.db.updateTable(table).set({ updated_date: at }).where('trash_batch', '=', id).execute();
    }
  }
}

async function exists(kind: 'files' | 'folders', id: string): Promise<boolean> {
  const row = await t.store.db.selectFrom(kind).select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/** Blob keys holding this file's bytes (its original and renditions). */
async function blobsOf(fileId: string): Promise<string[]> {
  return (await storedBlobs(t)).filter((key) => key.includes(fileId));
}

describe('trash retention (TRASH_RETENTION_DAYS)', () => {
  it('deletes forever, rows and bytes, what has been in the trash longer than the retention, and no more', async () => {
    t = await createTestApp();
    const folder = await t.createFolder('Old campaign');
    const inner = await t.createFolder('Inner', folder.id);
    const a = await t.upload('aaa', { parentFolderId: folder.id, fileName: 'a.txt' });
    const b = await t.upload('bbb', { parentFolderId: inner.id, fileName: 'b.txt' });
    const loose = await t.upload('loose', { fileName: 'loose.txt' });
    const live = await t.upload('live', { fileName: 'live.txt' });
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id] });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [loose.id] });
    const now = Date.now();
    expect(await blobsOf(b.id)).not.toHaveLength(0);

    // 29 days on: nothing is due yet.
    await t.cleanup(now + 29 * DAY);
    for (const id of [a.id, b.id, loose.id, live.id]) expect(await exists('files', id)).toBe(true);
    expect(await exists('folders', inner.id)).toBe(true);

    // 30 days and a minute on: the trash is gone, the live file stays.
    const purged = await t.retention.purgeDue(now + 30 * DAY + 60_000);
    expect(purged).toMatchObject({ entries: 2, files: 3 });
    for (const id of [a.id, b.id, loose.id]) {
      expect(await exists('files', id)).toBe(false);
      expect(await blobsOf(id)).toEqual([]);
    }
    expect(await exists('folders', folder.id)).toBe(false);
    expect(await exists('folders', inner.id)).toBe(false);
    expect((await t.ok('GET', `/files/get-file-by-id?fileId=${live.id}`)).file.state).toBe('OK');
    expect(await blobsOf(live.id)).not.toHaveLength(0);
    expect((await t.ok('GET', '/trash-bin/files')).files).toEqual([]);
    expect((await t.ok('GET', '/trash-bin/folders')).folders).toEqual([]);
    // The quota's running total lost exactly the purged bytes.
    expect(await t.store.usage.usageBytes()).toBe(4);
  });

  it('counts each trash entry from when it was trashed: a file trashed on its own outlives its folder', async () => {
    t = await createTestApp({ trashRetentionDays: 15 });
    const now = Date.now();
    const folder = await t.createFolder('Photos');
    const early = await t.upload('early', { parentFolderId: folder.id, fileName: 'early.txt' });
    const late = await t.upload('late', { parentFolderId: folder.id, fileName: 'late.txt' });
    const stays = await t.upload('stays', { parentFolderId: folder.id, fileName: 'stays.txt' });
    // `early` went to the trash on its own 20 days ago, then the folder (with `stays`) 10 days ago...
    await t.ok('POST', '/bulk/files/delete', { fileIds: [early.id] });
    await trashedDaysAgo('files', early.id, 20, now);
    await t.ok('POST', '/bulk/files/delete', { fileIds: [late.id] });
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id] });
    await trashedDaysAgo('folders', folder.id, 10, now);

    await t.retention.purgeDue(now);
    expect(await exists('files', early.id)).toBe(false);
    expect(await exists('folders', folder.id)).toBe(true);
    expect(await exists('files', stays.id)).toBe(true);

    // ...and `late` (trashed on its own just now, after its folder's date here) is still there when the folder
    // goes, and restores to the top of Site Files.
    await t.retention.purgeDue(now + 6 * DAY);
    expect(await exists('folders', folder.id)).toBe(false);
    expect(await exists('files', stays.id)).toBe(false);
    expect(await exists('files', late.id)).toBe(true);
    await t.ok('POST', '/bulk/trash-bin/files/restore', { fileIds: [late.id] });
    expect((await t.ok('GET', `/files/get-file-by-id?fileId=${late.id}`)).file).toMatchObject({
      state: 'OK',
      parentFolderId: 'media-root',
    });
  });

  it('never purges what was restored, and keeps everything when the retention is 0', async () => {
    t = await createTestApp({ trashRetentionDays: 0 });
    const now = Date.now();
    const kept = await t.upload('kept', { fileName: 'kept.txt' });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [kept.id] });
    await trashedDaysAgo('files', kept.id, 3650, now);
    expect(await t.retention.purgeDue(now)).toEqual({ entries: 0, files: 0, batches: 0 });
    expect(await exists('files', kept.id)).toBe(true);
    expect(
      (await t.app.inject({ url: '/site-media-ext/v1/trash-bin/retention', headers: auth() })).json(),
    ).toEqual({
      retentionDays: 0,
    });

    const retention = new TrashRetention(t.store, t.blobs, 30, console);
    await t.ok('POST', '/bulk/trash-bin/files/restore', { fileIds: [kept.id] });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [kept.id] });
    await t.ok('POST', '/bulk/trash-bin/files/restore', { fileIds: [kept.id] });
    await retention.purgeDue(now + 365 * DAY);
    expect((await t.ok('GET', `/files/get-file-by-id?fileId=${kept.id}`)).file.state).toBe('OK');
  });

  it('purges a big folder a batch at a time, yielding between batches', async () => {
    t = await createTestApp();
    const now = Date.now();
    const folder = await t.createFolder('Big');
    const sub = await t.createFolder('Sub', folder.id);
    const files = [];
    for (let i = 0; i < 7; i++) {
      files.push(
        await t.upload(`f${i}`, { parentFolderId: i % 2 ? sub.id : folder.id, fileName: `${i}.txt` }),
      );
    }
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id] });
    const retention = new TrashRetention(t.store, t.blobs, 30, console, { batchSize: 2 });
    // Requests keep being answered while it runs: it gives the event loop back between batches.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const purging = retention.purgeDue(now + 31 * DAY);
    const answered = await t.ok('GET', '/trash-bin/folders');
    expect(answered.folders).toBeDefined();
    const result = await purging;
    clearInterval(ticker);
    expect(result).toMatchObject({ entries: 1, files: 7 });
    expect(result.batches).toBeGreaterThanOrEqual(4);
    for (const f of files) expect(await exists('files', f.id)).toBe(false);
    expect(await exists('folders', sub.id)).toBe(false);
    expect(ticks).toBeGreaterThan(0);
  });

  it('leaves the Wix answers for trashed items as they were', async () => {
    t = await createTestApp();
    const file = await t.upload('x', { fileName: 'x.txt' });
    const before = Object.keys((await t.ok('GET', `/files/get-file-by-id?fileId=${file.id}`)).file).sort();
    await t.ok('POST', '/bulk/files/delete', { fileIds: [file.id] });
    const trashed = (await t.ok('GET', '/trash-bin/files')).files[0];
    expect(Object.keys(trashed).sort()).toEqual(before);
    expect(
      (await t.app.inject({ url: '/site-media-ext/v1/trash-bin/retention', headers: auth() })).json(),
    ).toEqual({ retentionDays: 30 });
  });
});

function auth() {
  return { authorization: t.apiKey };
}
