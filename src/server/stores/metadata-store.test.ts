import { afterEach, describe, expect, it, vi } from 'vitest';
import { testDatabases } from '../testing/test-databases.ts';
import { FileRowStore } from './file-row-store.ts';
import { MetadataStore } from './metadata-store.ts';
import type { FileRow } from './schema.ts';
import { fileRow } from '../testing/file-row.ts';
import type { FileSortColumn, KeysetPosition } from './sql-helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

/** UTF-8 byte order, the order SQLite's BINARY and PostgreSQL's "C" collation compare text in. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The same suite on every database: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
for (const database of testDatabases) {
  describe.skipIf(database.unavailable)(`MetadataStore on ${database.name}`, () => {
    async function newStore(options: { trigramCandidatesMax?: number; searchProbeRows?: number } = {}) {
      const { db, drop } = await database.open();
      const store = new MetadataStore(db, options.trigramCandidatesMax, options.searchProbeRows);
      cleanups.push(drop, () => store.close());
      await store.migrate();
      return store;
    }

    async function storeWith(
      names: string[],
      options: { trigramCandidatesMax?: number; searchProbeRows?: number } = {},
    ): Promise<MetadataStore> {
      const store = await newStore(options);
      for (const [i, name] of names.entries()) await store.files.insertFile(fileRow(i, name));
      return store;
    }

    const search = (store: MetadataStore, text: string, limit = 100) =>
      store.files
        .listFiles({
          filter: { scope: 'MEDIA_ROOT', search: text },
          column: 'sort_name',
          order: 'ASC',
          after: null,
          limit,
        })
        .then((rows) => rows.map((r) => r.display_name));

    /** Every row of a listing, fetched `pageSize` at a time by keyset. */
    async function pageThrough(
      store: MetadataStore,
      column: FileSortColumn,
      order: 'ASC' | 'DESC',
      pageSize: number,
      searchText?: string,
    ): Promise<FileRow[]> {
      const out: FileRow[] = [];
      let after: KeysetPosition | null = null;
      for (;;) {
        const rows = await store.files.listFiles({
          filter: { scope: 'MEDIA_ROOT', search: searchText },
          column,
          order,
          after,
          limit: pageSize,
        });
        out.push(...rows);
        const last = rows.at(-1);
        if (rows.length < pageSize || !last) return out;
        after = [last[column], last.id];
      }
    }

    describe('substring search plans', () => {
      const names = [
        'cat-1.png',
        'Cat-2.png',
        'dog.png',
        'catalog.png',
        'bobcat.png',
        'zebra.png',
        'a%b_c.png',
      ];

      it('finds the same rows whether it walks the sort index or uses the trigram index', async () => {
        const trigram = await storeWith(names, { trigramCandidatesMax: 1000 });
        const walk = await storeWith(names, { trigramCandidatesMax: 0 });
        for (const term of ['cat', 'zebra', 'png', 'og.', 'nothing-here', '%b_', 'ca', 'b']) {
          expect(await search(trigram, term), term).toEqual(await search(walk, term));
        }
        expect(await search(trigram, 'cat')).toEqual(['bobcat.png', 'cat-1.png', 'Cat-2.png', 'catalog.png']);
        expect(await search(trigram, 'nothing-here')).toEqual([]);
        expect(await search(trigram, '%b_')).toEqual(['a%b_c.png']);
        // A page that the first rows of the sort order fill (the probe) is the same page.
        expect(await search(trigram, 'png', 2)).toEqual((await search(walk, 'png')).slice(0, 2));
      });

      it('keeps the trigram index in step with renames and deletes', async () => {
        const store = await storeWith(names, { trigramCandidatesMax: 1000 });
        await store.files.updateFile('f0005', {
          display_name: 'horse.png',
          sort_name: 'horse.png',
          search_text: 'horse.png\nimage/png',
        });
        expect(await search(store, 'zebra')).toEqual([]);
        expect(await search(store, 'horse')).toEqual(['horse.png']);
        await store.trash.purge(['f0005'], []);
        expect(await search(store, 'horse')).toEqual([]);
      });

      it('pages through a rare term past the probe through the trigram index, and by walking', async () => {
        // 1 in 9 files has the term: the probe (10 rows) cannot fill a page of 4, so the plan decides.
        const many = Array.from({ length: 120 }, (_, i) =>
          i % 9 === 4 ? `Holiday Café ${i}.png` : `photo ${i}.png`,
        );
        const expected = many
          .map((name, i) => ({ name, id: fileRow(i, name).id }))
          .filter(({ name }) => name.toLowerCase().includes('café'))
          .sort((a, b) => byteOrder(a.name.toLowerCase(), b.name.toLowerCase()) || byteOrder(a.id, b.id))
          .map(({ name }) => name);
        expect(expected).toHaveLength(13);

        const plans = vi.spyOn(
          FileRowStore.prototype as unknown as { searchPlan(): Promise<string> },
          'searchPlan',
        );
        const trigram = await storeWith(many, { trigramCandidatesMax: 1000, searchProbeRows: 10 });
        const walk = await storeWith(many, { trigramCandidatesMax: 5, searchProbeRows: 10 });
        for (const term of ['café', 'holiday', 'day caf']) {
          plans.mockClear();
          const viaIndex = await pageThrough(trigram, 'sort_name', 'ASC', 4, term);
          expect(await plans.mock.results[0]?.value).toBe('trigram');
          plans.mockClear();
          const walked = await pageThrough(walk, 'sort_name', 'ASC', 4, term);
          expect(await plans.mock.results[0]?.value).toBe('walk');
          expect(
            viaIndex.map((r) => r.display_name),
            term,
          ).toEqual(expected);
          expect(
            walked.map((r) => r.display_name),
            term,
          ).toEqual(expected);
        }
        // Newest first through the index: every page sorted, none repeated.
        const bySize = await pageThrough(trigram, 'size_in_bytes', 'DESC', 4, 'café');
        expect(bySize.map((r) => r.size_in_bytes)).toEqual([
          113, 104, 95, 86, 77, 68, 59, 50, 41, 32, 23, 14, 5,
        ]);
        plans.mockClear();
        expect(await search(trigram, 'no such thing')).toEqual([]);
        expect(await plans.mock.results[0]?.value).toBe('none');
      });
    });

    it('pages by keyset in byte order of the names, whatever their case and script', async () => {
      const names = [
        'b.png',
        'B.png',
        'a.png',
        'Z.png',
        '_x.png',
        'é.png',
        'E.png',
        'ä.png',
        'Ärger.png',
        'ß.png',
        '日本.png',
        'ｆｕｌｌ.png',
        '😀.png',
        '10.png',
        '9.png',
        ' space.png',
        'a-b.png',
        'ab.png',
        'a b.png',
      ];
      const store = await storeWith(names);
      const rows = names.map((name, i) => fileRow(i, name));
      const expected = [...rows]
        .sort((a, b) => byteOrder(a.sort_name, b.sort_name) || byteOrder(a.id, b.id))
        .map((r) => r.display_name);
      for (const pageSize of [1, 3, 100]) {
        expect((await pageThrough(store, 'sort_name', 'ASC', pageSize)).map((r) => r.display_name)).toEqual(
          expected,
        );
        expect((await pageThrough(store, 'sort_name', 'DESC', pageSize)).map((r) => r.display_name)).toEqual(
          [...expected].reverse(),
        );
      }
      // Sizes compare as numbers (9 < 10), not as text.
      const sizes = (await pageThrough(store, 'size_in_bytes', 'ASC', 4)).map((r) => r.size_in_bytes);
      expect(sizes).toEqual(rows.map((r) => r.size_in_bytes).sort((a, b) => a - b));
    });

    it('hands back 64-bit numbers as numbers', async () => {
      const store = await newStore();
      const big = 25 * 1024 ** 3;
      await store.files.insertFile(fileRow(0, 'big.bin', { size_in_bytes: big }));
      await store.files.insertFile(fileRow(1, 'small.bin', { size_in_bytes: 1 }));
      expect((await store.files.getFile('f0000'))?.size_in_bytes).toBe(big);
      expect(await store.usage.usageBytes()).toBe(big + 1);
      await store.files.updateFile('f0001', { size_in_bytes: 3 });
      expect(await store.usage.usageBytes()).toBe(big + 3);
      expect(await store.trash.purge(['f0000'], [])).toEqual([{ blob_key: 'originals/0', assets: '{}' }]);
      expect(await store.usage.usageBytes()).toBe(3);
    });

    it('runs store transactions one at a time, and rolls back a failed one', async () => {
      const store = await newStore();
      // Two read-then-write transactions at once: the second must see what the first wrote (the quota check).
      const seen: number[] = [];
      await Promise.all(
        [0, 1].map((i) =>
          store.transaction(async () => {
            seen.push(await store.usage.usageBytes());
            await sleep(30);
            await store.files.insertFile(fileRow(i, `f${i}.png`, { size_in_bytes: 10 }));
          }),
        ),
      );
      expect(seen).toEqual([0, 10]);
      await expect(
        store.transaction(async () => {
          await store.files.insertFile(fileRow(2, 'rolled-back.png', { size_in_bytes: 5 }));
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(await store.files.getFile('f0002')).toBeUndefined();
      expect(await store.usage.usageBytes()).toBe(20);
    });

    it('finds nothing for an id or a search term with a NUL in it', async () => {
      const store = await storeWith(['cat.png', 'dog.png']);
      expect(await store.files.getFile('f\u00000')).toBeUndefined();
      expect(await store.folders.getFolder('a\u0000b')).toBeUndefined();
      expect((await store.files.getFiles(['f0001', 'f\u00000'])).map((r) => r.id)).toEqual(['f0001']);
      for (const term of ['a\u0000', 'cat\u0000']) {
        expect(await search(store, term), JSON.stringify(term)).toEqual([]);
      }
      const inFolder = await store.files.listFiles({
        filter: { locationId: 'media\u0000root' },
        column: 'sort_name',
        order: 'ASC',
        after: null,
        limit: 10,
      });
      expect(inFolder).toEqual([]);
    });

    it('claims an upload token once', async () => {
      const store = await newStore();
      await store.uploadTokens.insertUploadToken('t', '{"a":1}', '2030-01-01T00:00:00.000Z');
      const now = '2026-01-01T00:00:00.000Z';
      const lease = '2026-01-01T00:01:00.000Z';
      const claims = await Promise.all(
        [0, 1, 2].map((i) => store.uploadTokens.claimUploadToken('t', now, lease, `c${i}`)),
      );
      expect(claims.filter((c) => c !== undefined)).toEqual(['{"a":1}']);
    });

    it('a claim is a lease: refused while it lasts, free once it ran out; only its holder ends it', async () => {
      const store = await newStore();
      await store.uploadTokens.insertUploadToken('t', '{"a":1}', '2030-01-01T00:00:00.000Z');
      const at = (minute: number) => `2026-01-01T00:0${minute}:00.000Z`;
      expect(await store.uploadTokens.claimUploadToken('t', at(0), at(1), 'dead')).toBe('{"a":1}');
      expect(await store.uploadTokens.claimUploadToken('t', at(0), at(1), 'other')).toBeUndefined();
      expect(await store.uploadTokens.freeUploadToken('t', at(0))).toBeUndefined();
      // The holder died: its lease runs out and another use takes the token.
      expect(await store.uploadTokens.freeUploadToken('t', at(1))).toBe('{"a":1}');
      expect(await store.uploadTokens.claimUploadToken('t', at(1), at(2), 'next')).toBe('{"a":1}');
      // The dead holder, were it alive after all, can neither renew, release nor use the token up.
      expect(await store.uploadTokens.renewUploadClaim('t', 'dead', at(5))).toBe(false);
      await store.uploadTokens.releaseUploadToken('t', 'dead');
      expect(await store.uploadTokens.consumeUploadToken('t', 'dead')).toBe(false);
      expect(await store.uploadTokens.claimUploadToken('t', at(1), at(2), 'third')).toBeUndefined();
      // The live holder renews and uses it up.
      expect(await store.uploadTokens.renewUploadClaim('t', 'next', at(5))).toBe(true);
      expect(await store.uploadTokens.claimUploadToken('t', at(3), at(4), 'third')).toBeUndefined();
      expect(await store.uploadTokens.consumeUploadToken('t', 'next')).toBe(true);
      expect(await store.uploadTokens.claimUploadToken('t', at(9), at(9), 'late')).toBeUndefined();
    });

    describe('jobs', () => {
      const now = '2026-01-01T00:00:00.000Z';
      const later = '2026-01-01T00:05:00.000Z';

      it('claims a due job, holds it while locked, and hands it over when the lock runs out', async () => {
        const store = await newStore();
        await store.jobs.enqueueJob({ id: 'j1', kind: 'k', payload: '{}', runAfter: now, now });
        await store.jobs.enqueueJob({ id: 'j2', kind: 'k', payload: '{}', runAfter: later, now });
        const first = await store.jobs.claimNextJob(['k'], now, later);
        expect(first).toMatchObject({ id: 'j1', state: 'running', attempts: 1, locked_until: later });
        expect(await store.jobs.claimNextJob(['k'], now, later)).toBeUndefined();
        expect(await store.jobs.claimNextJob(['other'], later, later)).toBeUndefined();
        // At `later` both j2 (due) and j1 (lock ran out) may go; j1 runs first (older run_after).
        const again = await store.jobs.claimNextJob(['k'], later, '2026-01-01T00:10:00.000Z');
        expect(again).toMatchObject({ id: 'j1', attempts: 2 });
        expect(await store.jobs.extendJobLock('j1', 1, later)).toBe(false);
        expect(await store.jobs.extendJobLock('j1', 2, '2026-01-01T00:15:00.000Z')).toBe(true);
        expect((await store.jobs.claimNextJob(['k'], later, later))?.id).toBe('j2');
      });

      it('never gives one job to two claimers at once', async () => {
        const store = await newStore();
        const count = 40;
        for (let i = 0; i < count; i++) {
          await store.jobs.enqueueJob({
            id: `j${String(i).padStart(2, '0')}`,
            kind: 'k',
            payload: '{}',
            runAfter: now,
            now,
          });
        }
        const claimed: string[] = [];
        const claimer = async () => {
          for (;;) {
            const job = await store.jobs.claimNextJob(['k'], now, later);
            if (!job) return;
            claimed.push(job.id);
          }
        };
        await Promise.all([claimer(), claimer(), claimer(), claimer()]);
        expect(claimed).toHaveLength(count);
        expect(new Set(claimed).size).toBe(count);
        for (const id of claimed) expect((await store.jobs.getJob(id))?.attempts).toBe(1);
      });
    });
  });
}
