import { describe, expect, it } from 'vitest';
import type { ChildServer } from './testing/child-servers.ts';
import { useCrashHarness } from './testing/crash-harness.ts';
import { PNG_1X1, waitFor } from './testing/helpers.ts';

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
  const harness = useCrashHarness({
    name: 'bulk-crash',
    apiKey: API_KEY,
    // Small batches with a pause between them: the kill lands between two of them.
    env: { BULK_BATCH_SIZE: '2', BULK_BATCH_PAUSE_MS: '400' },
  });
  const { call, start } = harness;

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
    const db = await harness.db();
    const rows = await db
      .selectFrom('files')
      .select('id')
      .where('state', '=', 'DELETED')
      .where('media_type', '=', mediaType)
      .execute();
    return rows.length;
  }

  async function doneFiles(id: string): Promise<number> {
    const db = await harness.db();
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

  /** Starts a second server and waits for it to take over the operation and end it. */
  async function resumed(id: string): Promise<Operation> {
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
    return final!;
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

    const final = await resumed(id);
    expect(final).toMatchObject({ status: 'DONE', processed: { folders: 0, files: 20 } });
    expect(await trashedCount('DOCUMENT')).toBe(0);
    // The images did not match: still in the trash.
    expect(await trashedCount('IMAGE')).toBe(3);
  });

  it('Delete forever of the whole trash resumes after a crash: nothing restorable is half-deleted', async () => {
    const first = await start();
    await seedTrash(first);
    const id = await startAndCrash(first, { action: 'DELETE_FOREVER', folderId: 'trash-root' });
    const db = await harness.db();
    const left = await db.selectFrom('files').select('id').execute();
    expect(left.length).toBeGreaterThan(0);
    expect(23 - left.length).toBe(await doneFiles(id));

    const final = await resumed(id);
    expect(final).toMatchObject({ status: 'DONE', processed: { folders: 0, files: 23 } });
    expect(await db.selectFrom('files').select('id').execute()).toEqual([]);
  });
});
