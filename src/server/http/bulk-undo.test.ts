import { describe, expect, it } from 'vitest';
import { waitFor } from '../testing/helpers.ts';
import { extCall } from '../testing/ext-api.ts';
import type { TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';

let t: TestApp;
// Small batches: every operation and undo below runs through several of them.
useTestApp((app) => (t = app), { bulkBatchSize: 2, bulkBatchPauseMs: 0 });

interface Operation {
  id: string;
  action: string;
  status: 'RUNNING' | 'DONE' | 'FAILED';
  processed: { folders: number; files: number };
  total: { folders: number; files: number; estimated: boolean };
  undoOf: string | null;
  error: string | null;
}

const ext = (method: 'GET' | 'POST', path: string, body?: object) => extCall(t, method, path, body);

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

async function run(body: object): Promise<Operation> {
  const { status, json } = await ext('POST', '/bulk-operations', body);
  expect(status, JSON.stringify(json)).toBe(202);
  const done = await finished((json.operation as Operation).id);
  expect(done.status).toBe('DONE');
  return done;
}

async function undo(id: string): Promise<Operation> {
  const { status, json } = await ext('POST', `/bulk-operations/${id}/undo`, {});
  expect(status, JSON.stringify(json)).toBe(202);
  return finished((json.operation as Operation).id);
}

const idsOf = (items: { id: string }[]) => items.map((i) => i.id).sort();
const filesIn = async (folderId: string) =>
  idsOf((await t.ok('GET', `/files?parentFolderId=${folderId}&paging.limit=100`)).files);
const foldersIn = async (folderId: string) =>
  idsOf((await t.ok('GET', `/folders?parentFolderId=${folderId}&paging.limit=100`)).folders);
const trashedFiles = async () => idsOf((await t.ok('GET', '/trash-bin/files?paging.limit=100')).files);

describe('undo of a bulk operation', () => {
  it('moves every item back, but leaves alone those moved again or deleted since', async () => {
    const source = await t.createFolder('Source');
    const destination = await t.createFolder('Destination');
    const elsewhere = await t.createFolder('Elsewhere');
    const subs = [];
    for (let i = 0; i < 3; i++) subs.push(await t.createFolder(`Sub ${i}`, source.id));
    const files = [];
    for (let i = 0; i < 5; i++)
      files.push(await t.upload(`f${i}`, { parentFolderId: source.id, fileName: `f${i}.txt` }));
    const moved = await run({ action: 'MOVE', folderId: source.id, destinationFolderId: destination.id });
    expect(moved.processed).toEqual({ folders: 3, files: 5 });

    // Changes made after the move: they win over the undo.
    const [again, gone, ...rest] = files;
    await t.ok('PATCH', '/files/update-file-descriptor', {
      file: { id: again!.id, parentFolderId: elsewhere.id },
    });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [gone!.id], permanent: true });

    const undone = await undo(moved.id);
    expect(undone).toMatchObject({
      action: 'UNDO',
      undoOf: moved.id,
      status: 'DONE',
      total: { folders: 3, files: 5, estimated: false },
      processed: { folders: 3, files: 3 },
    });
    expect(await filesIn(source.id)).toEqual(idsOf(rest));
    expect(await foldersIn(source.id)).toEqual(idsOf(subs));
    expect(await filesIn(destination.id)).toEqual([]);
    expect(await filesIn(elsewhere.id)).toEqual([again!.id]);
  });

  it('never moves a folder into its own subtree: its old parent was moved inside it since', async () => {
    const parent = await t.createFolder('Parent');
    const child = await t.createFolder('Child', parent.id);
    const moved = await run({ action: 'MOVE', folderId: parent.id, destinationFolderId: 'media-root' });
    expect(await foldersIn('media-root')).toContain(child.id);
    await t.ok('PATCH', `/folders/${parent.id}`, { folder: { id: parent.id, parentFolderId: child.id } });
    const undone = await undo(moved.id);
    expect(undone.processed).toEqual({ folders: 0, files: 0 });
    expect(await foldersIn(child.id)).toEqual([parent.id]);
  });

  it('restores what went to the trash, but not what was deleted forever or restored since', async () => {
    const folder = await t.createFolder('F');
    const sub = await t.createFolder('Sub', folder.id);
    const deep = await t.upload('deep', { parentFolderId: sub.id, fileName: 'deep.txt' });
    const files = [];
    for (let i = 0; i < 4; i++)
      files.push(await t.upload(`f${i}`, { parentFolderId: folder.id, fileName: `f${i}.txt` }));
    const trashed = await run({ action: 'TRASH', folderId: folder.id });
    expect(await filesIn(folder.id)).toEqual([]);

    const [purged, restored, ...rest] = files;
    await t.ok('POST', '/bulk/files/delete', { fileIds: [purged!.id], permanent: true });
    await t.ok('POST', '/bulk/trash-bin/files/restore', { fileIds: [restored!.id] });
    await t.ok('PATCH', '/files/update-file-descriptor', {
      file: { id: restored!.id, parentFolderId: 'media-root' },
    });

    const undone = await undo(trashed.id);
    expect(undone.processed).toEqual({ folders: 1, files: 2 });
    expect(await filesIn(folder.id)).toEqual(idsOf(rest));
    expect(await foldersIn(folder.id)).toEqual([sub.id]);
    // The folder came back with what went to the trash with it.
    expect(await filesIn(sub.id)).toEqual([deep.id]);
    expect(await filesIn('media-root')).toContain(restored!.id);
    expect(await trashedFiles()).toEqual([]);
  });

  it('puts restored items back in the trash, but not those changed since', async () => {
    const folder = await t.createFolder('F');
    const files = [];
    for (let i = 0; i < 5; i++)
      files.push(await t.upload(`f${i}`, { parentFolderId: folder.id, fileName: `f${i}.txt` }));
    await t.ok('POST', '/bulk/files/delete', { fileIds: files.map((f) => f.id) });
    const restored = await run({ action: 'RESTORE', folderId: 'trash-root' });
    expect(restored.processed.files).toBe(5);

    const [renamed, ...rest] = files;
    await t.ok('PATCH', '/files/update-file-descriptor', {
      file: { id: renamed!.id, displayName: 'renamed.txt' },
    });
    const undone = await undo(restored.id);
    expect(undone.processed).toEqual({ folders: 0, files: 4 });
    expect(await trashedFiles()).toEqual(idsOf(rest));
    expect(await filesIn(folder.id)).toEqual([renamed!.id]);
  });

  it('answers the same undo when asked again, and refuses what cannot be undone', async () => {
    const folder = await t.createFolder('F');
    await t.upload('x', { parentFolderId: folder.id, fileName: 'x.txt' });
    const trashed = await run({ action: 'TRASH', folderId: folder.id });
    const first = await undo(trashed.id);
    const again = await ext('POST', `/bulk-operations/${trashed.id}/undo`, {});
    expect(again.status).toBe(200);
    expect(again.json.operation.id).toBe(first.id);

    const undoOfUndo = await ext('POST', `/bulk-operations/${first.id}/undo`, {});
    expect(undoOfUndo.status).toBe(409);
    expect(undoOfUndo.json.details.applicationError.code).toBe('FAILED_PRECONDITION');

    await t.ok('POST', '/bulk/files/delete', {
      fileIds: (await t.ok('GET', `/files?parentFolderId=${folder.id}`)).files.map(
        (f: { id: string }) => f.id,
      ),
    });
    const purged = await run({ action: 'DELETE_FOREVER', folderId: 'trash-root' });
    expect((await ext('POST', `/bulk-operations/${purged.id}/undo`, {})).status).toBe(409);

    // Still running: the undo waits for it to end.
    await t.jobs.stop();
    const running = await ext('POST', '/bulk-operations', { action: 'TRASH', folderId: folder.id });
    expect((await ext('POST', `/bulk-operations/${running.json.operation.id}/undo`, {})).status).toBe(409);
    t.jobs.start();

    expect((await ext('POST', '/bulk-operations/nope/undo', {})).status).toBe(404);
  });
});
