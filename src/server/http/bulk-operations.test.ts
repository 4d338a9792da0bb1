import { describe, expect, it, vi } from 'vitest';
import { PNG_1X1, storedBlobs, waitFor } from '../testing/helpers.ts';
import { extCall } from '../testing/ext-api.ts';
import type { TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';

let t: TestApp;
// Small batches: every operation below runs through several of them.
useTestApp((app) => (t = app), { bulkBatchSize: 3, bulkBatchPauseMs: 0 });

interface Operation {
  id: string;
  startedDate: string;
  status: 'RUNNING' | 'DONE' | 'FAILED';
  processed: { folders: number; files: number };
  total: { folders: number; files: number; estimated: boolean };
  error: string | null;
}

const ext = (method: 'GET' | 'POST', path: string, body?: object) => extCall(t, method, path, body);

async function start(body: object): Promise<Operation> {
  const { status, json } = await ext('POST', '/bulk-operations', body);
  expect(status, JSON.stringify(json)).toBe(202);
  return json.operation as Operation;
}

/** Waits until the operation ended, and returns it as it ended. */
async function finished(id: string): Promise<Operation> {
  let operation: Operation | undefined;
  await waitFor(
    async () => {
      operation = (await ext('GET', `/bulk-operations/${id}`)).json.operation as Operation;
      return operation.status !== 'RUNNING';
    },
    'the bulk operation to end',
    60_000,
  );
  return operation!;
}

const idsOf = (items: { id: string }[]) => items.map((i) => i.id).sort();

async function trashIds(): Promise<{ files: string[]; folders: string[] }> {
  return {
    files: idsOf((await t.ok('GET', '/trash-bin/files?paging.limit=100')).files),
    folders: idsOf((await t.ok('GET', '/trash-bin/folders?paging.limit=100')).folders),
  };
}

describe('bulk operations over a whole listing', () => {
  it('restores every trashed image (type filter) in batches, leaving the other types in the trash', async () => {
    const folder = await t.createFolder('Photos');
    const images = [];
    for (let i = 0; i < 7; i++) {
      images.push(
        await t.upload(PNG_1X1, { parentFolderId: folder.id, fileName: `p${i}.png`, mimeType: 'image/png' }),
      );
    }
    const docs = [];
    for (let i = 0; i < 4; i++) docs.push(await t.upload(`d${i}`, { fileName: `d${i}.txt` }));
    const trashedFolder = await t.createFolder('Old');
    await t.ok('POST', '/bulk/files/delete', { fileIds: [...images, ...docs].map((f) => f.id) });
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [trashedFolder.id] });

    const operation = await start({ action: 'RESTORE', folderId: 'trash-root', mediaTypes: ['IMAGE'] });
    expect(operation.total).toEqual({ folders: 0, files: 7, estimated: false });
    const done = await finished(operation.id);
    expect(done.status).toBe('DONE');
    expect(done.processed).toEqual({ folders: 0, files: 7 });

    const back = await t.ok('GET', `/files?parentFolderId=${folder.id}&paging.limit=100`);
    expect(idsOf(back.files)).toEqual(idsOf(images));
    expect(await trashIds()).toEqual({ files: idsOf(docs), folders: [trashedFolder.id] });
  });

  it('acts on the listing as it was at the start: an item trashed after it stays in the trash', async () => {
    const early = [];
    for (let i = 0; i < 4; i++) early.push(await t.upload(`e${i}`, { fileName: `e${i}.txt` }));
    const late = await t.upload('late', { fileName: 'late.txt' });
    await t.ok('POST', '/bulk/files/delete', { fileIds: early.map((f) => f.id) });

    // The runner is held so that the operation has not begun when the next item is trashed.
    await t.jobs.stop();
    const operation = await start({ action: 'RESTORE', folderId: 'trash-root' });
    // Trashed after the start (at a later instant than the snapshot).
    await waitFor(() => new Date().toISOString() > operation.startedDate, 'the clock to pass the start');
    await t.ok('POST', '/bulk/files/delete', { fileIds: [late.id] });
    t.jobs.start();

    const done = await finished(operation.id);
    expect(done.processed.files).toBe(4);
    expect(await trashIds()).toEqual({ files: [late.id], folders: [] });
  });

  it('moves every item of a folder, folders and files, into another folder', async () => {
    const source = await t.createFolder('Source');
    const destination = await t.createFolder('Destination');
    const subs = [];
    for (let i = 0; i < 4; i++) subs.push(await t.createFolder(`Sub ${i}`, source.id));
    const inSub = await t.upload('deep', { parentFolderId: subs[0]!.id, fileName: 'deep.txt' });
    const files = [];
    for (let i = 0; i < 5; i++)
      files.push(await t.upload(`f${i}`, { parentFolderId: source.id, fileName: `f${i}.txt` }));

    const operation = await start({
      action: 'MOVE',
      folderId: source.id,
      destinationFolderId: destination.id,
    });
    expect(operation.total).toEqual({ folders: 4, files: 5, estimated: false });
    const done = await finished(operation.id);
    expect(done).toMatchObject({ status: 'DONE', processed: { folders: 4, files: 5 } });

    expect(idsOf((await t.ok('GET', `/files?parentFolderId=${destination.id}`)).files)).toEqual(idsOf(files));
    expect(idsOf((await t.ok('GET', `/folders?parentFolderId=${destination.id}`)).folders)).toEqual(
      idsOf(subs),
    );
    expect((await t.ok('GET', `/files?parentFolderId=${source.id}`)).files).toHaveLength(0);
    // A moved folder keeps its contents.
    expect(idsOf((await t.ok('GET', `/files?parentFolderId=${subs[0]!.id}`)).files)).toEqual([inSub.id]);
  });

  it('moving everything into one of the folder`s own sub-folders leaves that sub-folder where it is', async () => {
    const source = await t.createFolder('Source');
    const target = await t.createFolder('Target', source.id);
    const other = await t.createFolder('Other', source.id);
    const file = await t.upload('x', { parentFolderId: source.id, fileName: 'x.txt' });
    const done = await finished(
      (await start({ action: 'MOVE', folderId: source.id, destinationFolderId: target.id })).id,
    );
    expect(done).toMatchObject({ status: 'DONE', processed: { folders: 1, files: 1 } });
    expect(idsOf((await t.ok('GET', `/folders?parentFolderId=${source.id}`)).folders)).toEqual([target.id]);
    expect(idsOf((await t.ok('GET', `/folders?parentFolderId=${target.id}`)).folders)).toEqual([other.id]);
    expect(idsOf((await t.ok('GET', `/files?parentFolderId=${target.id}`)).files)).toEqual([file.id]);
  });

  it('moves to the trash, then deletes forever every match, bytes included', async () => {
    const folder = await t.createFolder('F');
    const sub = await t.createFolder('Sub', folder.id);
    await t.upload('in sub', { parentFolderId: sub.id, fileName: 'in-sub.txt' });
    for (let i = 0; i < 5; i++) await t.upload(`f${i}`, { parentFolderId: folder.id, fileName: `f${i}.txt` });
    const kept = await t.upload('kept', { fileName: 'kept.txt' });
    const blobsBefore = (await storedBlobs(t)).length;

    const trashed = await finished((await start({ action: 'TRASH', folderId: folder.id })).id);
    expect(trashed).toMatchObject({ status: 'DONE', processed: { folders: 1, files: 5 } });
    expect(await trashIds()).toMatchObject({ folders: [sub.id] });
    expect((await trashIds()).files).toHaveLength(5);

    const purged = await finished((await start({ action: 'DELETE_FOREVER', folderId: 'trash-root' })).id);
    expect(purged).toMatchObject({ status: 'DONE', processed: { folders: 1, files: 5 } });
    expect(await trashIds()).toEqual({ files: [], folders: [] });
    await waitFor(async () => (await storedBlobs(t)).length === blobsBefore - 6, 'the purged bytes to go');
    expect(idsOf((await t.ok('GET', '/files?parentFolderId=media-root')).files)).toEqual([kept.id]);
  });

  it('an ended operation is readable for a week, then the cleanup forgets it', async () => {
    const folder = await t.createFolder('F');
    await t.upload('x', { parentFolderId: folder.id, fileName: 'x.txt' });
    const done = await finished((await start({ action: 'TRASH', folderId: folder.id })).id);
    await t.cleanup();
    expect((await ext('GET', `/bulk-operations/${done.id}`)).status).toBe(200);
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 8 * 24 * 3600_000);
    try {
      await t.cleanup();
    } finally {
      vi.restoreAllMocks();
    }
    expect((await ext('GET', `/bulk-operations/${done.id}`)).status).toBe(404);
  });

  it('refuses what cannot be done, in the contract`s error shape', async () => {
    const folder = await t.createFolder('F');
    const noDestination = await ext('POST', '/bulk-operations', { action: 'MOVE', folderId: folder.id });
    expect(noDestination.status).toBe(400);
    const intoItself = await ext('POST', '/bulk-operations', {
      action: 'MOVE',
      folderId: folder.id,
      destinationFolderId: folder.id,
    });
    expect(intoItself.status).toBe(400);
    const restoreLive = await ext('POST', '/bulk-operations', { action: 'RESTORE', folderId: 'media-root' });
    expect(restoreLive.status).toBe(400);
    const badAction = await ext('POST', '/bulk-operations', { action: 'EXPLODE', folderId: folder.id });
    expect(badAction.status).toBe(400);
    const unknownFolder = await ext('POST', '/bulk-operations', { action: 'TRASH', folderId: 'nope' });
    expect(unknownFolder.status).toBe(404);
    const unknown = await ext('GET', '/bulk-operations/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.json.details.applicationError.code).toBe('RESOURCE_NOT_FOUND');
  });
});
