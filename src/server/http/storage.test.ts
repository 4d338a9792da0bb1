import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { StorageSummary } from '../../contract/index.ts';
import { aggregateDifferences } from '../stores/storage-store.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
afterEach(async () => {
  await t.close();
});

async function summary(): Promise<StorageSummary> {
  const response = await t.app.inject({
    method: 'GET',
    url: '/site-media-ext/v1/storage',
    headers: { authorization: TEST_API_KEY },
  });
  expect(response.statusCode).toBe(200);
  return response.json();
}

async function expectAggregatesMatch(): Promise<void> {
  const kept = await t.store.storage.maintained();
  const fresh = await t.store.storage.recomputed();
  expect(aggregateDifferences(kept, fresh)).toEqual([]);
}

/** A small deterministic PRNG, so a failing mix can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('GET /site-media-ext/v1/storage', () => {
  it('reports bytes by area, media type and top folder, the largest files, duplicate waste and the quota', async () => {
    t = await createTestApp({ siteQuotaBytes: 1_000_000, visitorQuotaBytes: 5000 });
    const photos = await t.createFolder('Photos');
    const inner = await t.createFolder('Inner', photos.id);
    const docs = await t.createFolder('Docs');
    await t.upload('x'.repeat(300), { parentFolderId: inner.id, fileName: 'a.txt' });
    await t.upload('x'.repeat(300), { parentFolderId: docs.id, fileName: 'copy-of-a.txt' });
    await t.upload('y'.repeat(200), { parentFolderId: photos.id, fileName: 'b.txt' });
    await t.upload('z'.repeat(50), { fileName: 'loose.txt' });
    const gone = await t.upload('w'.repeat(1000), { fileName: 'gone.txt' });
    const visitorFolder = await t.createFolder('From visitors', 'visitor-uploads');
    await t.upload('v'.repeat(70), { parentFolderId: visitorFolder.id, fileName: 'v.txt' });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [gone.id] });

    const s = await summary();
    expect(s.total).toEqual({ files: 6, bytes: 1920 });
    const area = (name: string) => s.areas.find((a) => a.area === name);
    expect(area('SITE_FILES')).toMatchObject({ files: 4, bytes: 850 });
    expect(area('VISITOR_UPLOADS')).toMatchObject({ files: 1, bytes: 70 });
    expect(area('TRASH')).toMatchObject({ files: 1, bytes: 1000 });
    expect(s.mediaTypes).toEqual([{ mediaType: 'DOCUMENT', files: 5, bytes: 920 }]);
    expect(s.topFolders.map((f) => [f.displayName, f.bytes, f.files])).toEqual([
      ['Photos', 500, 2],
      ['Docs', 300, 1],
      ['From visitors', 70, 1],
      ['Site Files', 50, 1],
    ]);
    expect(s.largestFiles.map((f) => f.sizeInBytes)).toEqual([300, 300, 200, 70, 50]);
    expect(s.largestFiles.slice(2).map((f) => [f.displayName, f.area])).toEqual([
      ['b.txt', 'SITE_FILES'],
      ['v.txt', 'VISITOR_UPLOADS'],
      ['loose.txt', 'SITE_FILES'],
    ]);
    expect(s.duplicates).toEqual({ duplicateFiles: 1, wastedBytes: 300 });
    expect(s.quota).toEqual({ siteBytes: 1_000_000, visitorBytes: 5000, visitorUsedBytes: 70 });

    // Moving Photos into Visitor Uploads moves its bytes there; trashing Docs ends the duplicate.
    await t.ok('PATCH', `/folders/${photos.id}`, { folder: { parentFolderId: 'visitor-uploads' } });
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [docs.id] });
    const after = await summary();
    expect(after.areas.map((a) => [a.area, a.files, a.bytes])).toEqual([
      ['SITE_FILES', 1, 50],
      ['VISITOR_UPLOADS', 3, 570],
      ['TRASH', 2, 1300],
    ]);
    expect(after.duplicates).toEqual({ duplicateFiles: 0, wastedBytes: 0 });
    expect(after.topFolders[0]).toMatchObject({ displayName: 'Photos', area: 'VISITOR_UPLOADS', bytes: 500 });
    await expectAggregatesMatch();
  });

  it('walks the top folders by the parent index also once the database has statistics (SQLite)', async () => {
    t = await createTestApp();
    if (t.store.dialect !== 'sqlite') return; // PostgreSQL plans its recursive step without automatic indexes
    for (let top = 0; top < 4; top++) {
      const folder = await t.createFolder(`Top ${top}`);
      for (let sub = 0; sub < 6; sub++) await t.createFolder(`Sub ${top}.${sub}`, folder.id);
      await t.upload('x'.repeat(10 + top), { parentFolderId: folder.id, fileName: `f${top}.txt` });
    }
    // What `PRAGMA optimize` or an operator's ANALYZE leaves: the planner then preferred an automatic index on
    // `state` in the recursive step, built again for every folder walked (quadratic in the folders).
    await sql`analyze`.execute(t.store.db);
    const { rows } = await sql<{
      detail: string;
    }>`explain query plan ${t.store.storage.topFoldersQuery('media-root', 8)}`.execute(t.store.db);
    const step = rows.map((r) => r.detail).filter((d) => / child\b/.test(d));
    expect(step).toEqual(['SEARCH child USING INDEX folders_parent (parent_folder_id=?)']);
    expect((await summary()).topFolders.map((f) => f.displayName)).toEqual([
      'Top 3',
      'Top 2',
      'Top 1',
      'Top 0',
    ]);
  });

  it('keeps the aggregates equal to a recomputation through a random mix of operations', async () => {
    t = await createTestApp();
    const random = rng(17);
    const pick = <T>(list: readonly T[]): T | undefined => list[Math.floor(random() * list.length)];
    const roots = ['media-root', 'visitor-uploads'];
    const folders: string[] = [];
    const files: string[] = [];
    const contents = ['aaaa', 'bbbbbbbb', 'cccccccccccc', 'dd', '<svg xmlns="http://www.w3.org/2000/svg"/>'];

    for (let step = 0; step < 70; step++) {
      const roll = random();
      const folder = pick(folders);
      const file = pick(files);
      // Errors are expected (moving a folder into itself, restoring a live item...): only the aggregates count.
      if (roll < 0.15 || folders.length < 3) {
        const created = await t.api('POST', '/folders', {
          displayName: `f${step}`,
          parentFolderId: pick([...roots, ...folders]),
        });
        if (created.statusCode === 200) folders.push(created.json<{ folder: { id: string } }>().folder.id);
      } else if (roll < 0.4) {
        const content = pick(contents)!;
        const uploaded = await t
          .upload(content, {
            fileName: `u${step}.${content.startsWith('<') ? 'svg' : 'txt'}`,
            mimeType: content.startsWith('<') ? 'image/svg+xml' : 'text/plain',
            parentFolderId: pick([...roots, ...folders]),
          })
          .catch(() => undefined); // into a trashed folder: refused
        if (uploaded) files.push(uploaded.id);
      } else if (roll < 0.5 && file) {
        await t.api('PATCH', '/files/update-file-descriptor', {
          file: { id: file, parentFolderId: pick([...roots, ...folders]) },
        });
      } else if (roll < 0.6 && folder) {
        await t.api('PATCH', `/folders/${folder}`, {
          folder: { parentFolderId: pick([...roots, ...folders]) },
        });
      } else if (roll < 0.7 && file) {
        await t.api('POST', '/bulk/files/delete', { fileIds: [file] });
      } else if (roll < 0.78 && folder) {
        await t.api('POST', '/bulk/folders/delete', { folderIds: [folder] });
      } else if (roll < 0.86 && file) {
        await t.api('POST', '/bulk/trash-bin/files/restore', { fileIds: [file] });
      } else if (roll < 0.92 && folder) {
        await t.api('POST', '/bulk/trash-bin/folders/restore', { folderIds: [folder] });
      } else if (roll < 0.96 && file) {
        await t.api('POST', '/bulk/files/delete', { fileIds: [file], permanent: true });
      } else if (folder) {
        await t.api('POST', '/bulk/folders/delete', { folderIds: [folder], permanent: true });
      }
      // Processing (or a replaced file) may learn another size and type for a file: the triggers follow.
      if (step % 10 === 9 && file) {
        await t.store.files.updateFile(file, { size_in_bytes: 1000 + step, media_type: 'IMAGE' });
      }
    }
    const fileCount = await t.store.db
      .selectFrom('files')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(fileCount.n)).toBeGreaterThan(5);
    await expectAggregatesMatch();
    const s = await summary();
    expect(s.total.bytes).toBe(await t.store.usage.usageBytes());
  });

  it('recompute rebuilds aggregates that went wrong', async () => {
    t = await createTestApp();
    await t.upload('same');
    await t.upload('same');
    await t.store.db.updateTable('storage_totals').set({ bytes: 999 }).execute();
    await t.store.db.updateTable('storage_duplicates').set({ wasted_bytes: 0 }).execute();
    const kept = await t.store.storage.maintained();
    expect(aggregateDifferences(kept, await t.store.storage.recomputed())).not.toEqual([]);
    await t.store.storage.recompute();
    await expectAggregatesMatch();
    expect((await summary()).duplicates).toEqual({ duplicateFiles: 1, wastedBytes: 4 });
  });
});
