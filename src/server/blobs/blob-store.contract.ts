import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from './blob-store.ts';

/** What the contract needs of a store under test: the store, and how to let go of it. */
export interface BlobStoreFixture<S extends BlobStore = BlobStore> {
  store: S;
  close?: () => Promise<void>;
}

const MiB = 1024 * 1024;
/** Larger than one part of the S3 store's multipart uploads (8 MiB), so they take several. */
const LARGE = 20 * MiB + 12_345;
/** Network stores are slow next to a disk; none of these tests measures time. */
const TIMEOUT = 60_000;

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A source as a request body would be: chunks of at most 1 MiB. */
export function sourceOf(data: Buffer, chunkSize = MiB): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < data.length; offset += chunkSize) {
        yield data.subarray(offset, offset + chunkSize);
      }
    })(),
    { objectMode: false },
  );
}

/** A source that sends `data` and then fails, as a client that goes away mid-upload. */
export function failingSource(data: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield* sourceOf(data);
      // Give a store that uploads in parts the time to start (and so to have something to clean up).
      await sleep(200);
      throw new Error('client went away');
    })(),
    { objectMode: false },
  );
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * The blob store port's contract: what every implementation must do, as the services rely on it. Keys are unique to
 * the run, so a shared bucket never sees one twice; the blobs are removed at the end.
 */
export function describeBlobStore(name: string, makeStore: () => Promise<BlobStoreFixture>): void {
  describe(name, () => {
    let fixture: BlobStoreFixture;
    let store: BlobStore;
    let localDir: string;
    const run = randomBytes(6).toString('hex');
    const used = new Set<string>();
    const key = (label: string): string => {
      const made = `contract-${run}/${label}`;
      used.add(made);
      return made;
    };
    const large = randomBytes(LARGE);

    beforeAll(async () => {
      fixture = await makeStore();
      store = fixture.store;
      localDir = fs.mkdtempSync(path.join(os.tmpdir(), 'blob-contract-'));
    });

    afterAll(async () => {
      if (store) await store.delete([...used]);
      if (localDir) fs.rmSync(localDir, { recursive: true, force: true });
      await fixture?.close?.();
    });

    it(
      'stores a multi-MiB stream and gives back the same bytes',
      async () => {
        const k = key('large');
        expect(await store.put(k, sourceOf(large))).toBe(LARGE);
        expect(await store.size(k)).toBe(LARGE);
        expect(sha256(await readAll(await store.get(k)))).toBe(sha256(large));
      },
      TIMEOUT,
    );

    it('stores small and empty blobs', async () => {
      const small = Buffer.from('hello, blob');
      expect(await store.put(key('small'), sourceOf(small))).toBe(small.length);
      expect(await readAll(await store.get(key('small')))).toEqual(small);
      expect(await store.put(key('empty'), Readable.from([]))).toBe(0);
      expect(await store.size(key('empty'))).toBe(0);
      expect((await readAll(await store.get(key('empty')))).length).toBe(0);
    });

    it(
      'reads inclusive byte ranges: first byte, middle, across a part boundary, last byte',
      async () => {
        const k = key('ranged');
        await store.put(k, sourceOf(large));
        const ranges = [
          { start: 0, end: 0 },
          { start: 1000, end: 5000 },
          { start: 8 * MiB - 10, end: 8 * MiB + 9 },
          { start: LARGE - 1, end: LARGE - 1 },
          { start: 0, end: LARGE - 1 },
        ];
        for (const range of ranges) {
          const bytes = await readAll(await store.get(k, range));
          expect(bytes.length).toBe(range.end - range.start + 1);
          expect(bytes.equals(large.subarray(range.start, range.end + 1))).toBe(true);
        }
      },
      TIMEOUT,
    );

    it('reads a whole blob into memory', async () => {
      const k = key('read-whole');
      const data = randomBytes(300 * 1024 + 7);
      await store.put(k, sourceOf(data, 64 * 1024));
      expect((await store.read(k)).equals(data)).toBe(true);
      await store.put(key('read-empty'), sourceOf(Buffer.alloc(0)));
      expect((await store.read(key('read-empty'))).length).toBe(0);
    });

    it('has no size and no bytes for a missing key (get and read fail with ENOENT)', async () => {
      expect(await store.size(key('missing'))).toBeUndefined();
      await expect(store.read(key('missing'))).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(store.get(key('missing'))).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(store.get(key('missing'), { start: 0, end: 9 })).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('deletes several blobs at once, ignoring missing keys, and only those', async () => {
      const [a, b, c] = [key('del-a'), key('del-b'), key('del-c')];
      for (const k of [a, b, c]) await store.put(k, sourceOf(Buffer.from(k)));
      await store.delete([a, key('del-missing'), b, a]);
      expect(await store.size(a)).toBeUndefined();
      expect(await store.size(b)).toBeUndefined();
      expect(await readAll(await store.get(c))).toEqual(Buffer.from(c));
      await store.delete([]);
      await store.delete([key('del-missing')]);
    });

    it('overwrites a blob', async () => {
      const k = key('overwrite');
      await store.put(k, sourceOf(Buffer.from('first version, longer')));
      await store.put(k, sourceOf(Buffer.from('second')));
      expect(await store.size(k)).toBe(6);
      expect((await readAll(await store.get(k))).toString()).toBe('second');
    });

    it(
      'leaves nothing behind when the source fails mid-way',
      async () => {
        const k = key('failed');
        await expect(store.put(k, failingSource(large.subarray(0, 10 * MiB)))).rejects.toThrow(
          'client went away',
        );
        expect(await store.size(k)).toBeUndefined();
        await expect(store.get(k)).rejects.toMatchObject({ code: 'ENOENT' });
      },
      TIMEOUT,
    );

    it(
      'keeps the previous blob when an overwrite fails',
      async () => {
        const k = key('failed-overwrite');
        await store.put(k, sourceOf(Buffer.from('kept')));
        await expect(store.put(k, failingSource(large.subarray(0, 9 * MiB)))).rejects.toThrow(
          'client went away',
        );
        expect((await readAll(await store.get(k))).toString()).toBe('kept');
      },
      TIMEOUT,
    );

    it(
      'stores a copy of a local file and leaves the file in place (putFile)',
      async () => {
        const file = path.join(localDir, 'upload.bin');
        const data = large.subarray(0, 9 * MiB + 7);
        fs.writeFileSync(file, data);
        const k = key('from-file');
        expect(await store.putFile(k, file)).toBe(data.length);
        // The caller removes the source once the file's row exists (so a failed insert can retry).
        expect(fs.existsSync(file)).toBe(true);
        fs.rmSync(file);
        expect(await store.size(k)).toBe(data.length);
        expect(sha256(await readAll(await store.get(k)))).toBe(sha256(data));

        const small = path.join(localDir, 'small.txt');
        fs.writeFileSync(small, 'small file');
        expect(await store.putFile(key('from-small-file'), small)).toBe(10);
        fs.rmSync(small);
        expect((await readAll(await store.get(key('from-small-file')))).toString()).toBe('small file');
      },
      TIMEOUT,
    );

    it('fails putFile for a missing local file, storing nothing', async () => {
      const k = key('from-missing-file');
      await expect(store.putFile(k, path.join(localDir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
      expect(await store.size(k)).toBeUndefined();
    });

    it('lists the blobs under a key prefix, with their size and modification time', async () => {
      const base = `contract-${run}/list`;
      const blobs: Record<string, string> = {
        [key('list/a/one')]: 'one',
        [key('list/a/two/deep')]: 'deeper',
        [key('list/ab/three')]: 'three!',
        [key('list/b/four')]: '',
      };
      const before = Date.now();
      for (const [k, text] of Object.entries(blobs)) await store.put(k, sourceOf(Buffer.from(text)));
      const listed = async (prefix: string) => {
        const out: { key: string; size: number; lastModified: Date }[] = [];
        for await (const entry of store.list(prefix)) out.push(entry);
        return out.sort((x, y) => (x.key < y.key ? -1 : 1));
      };

      const underA = await listed(`${base}/a/`);
      expect(underA.map((e) => [e.key, e.size])).toEqual([
        [`${base}/a/one`, 3],
        [`${base}/a/two/deep`, 6],
      ]);
      // A prefix is a string prefix of the key, not a directory: `a` takes `ab/` too.
      expect((await listed(`${base}/a`)).map((e) => e.key)).toEqual([
        `${base}/a/one`,
        `${base}/a/two/deep`,
        `${base}/ab/three`,
      ]);
      const all = await listed(`${base}/`);
      expect(all.map((e) => [e.key, e.size])).toEqual(
        Object.entries(blobs)
          .map(([k, text]) => [k, text.length])
          .sort(),
      );
      for (const entry of all) {
        expect(entry.lastModified).toBeInstanceOf(Date);
        // The store's clock, not ours (a network store's may be off a little): only roughly now.
        expect(Math.abs(entry.lastModified.getTime() - before)).toBeLessThan(15 * 60_000);
      }
      expect(await listed(`${base}/missing/`)).toEqual([]);
      await store.delete([`${base}/a/one`]);
      expect((await listed(`${base}/a/`)).map((e) => e.key)).toEqual([`${base}/a/two/deep`]);
    });

    it('refuses keys that could escape (`..`, empty segments)', async () => {
      for (const bad of ['../x', 'a/../../b', 'a//b', '/abs', '']) {
        await expect(store.put(bad, sourceOf(Buffer.from('x')))).rejects.toThrow(/Invalid blob key/);
        await expect(store.size(bad)).rejects.toThrow(/Invalid blob key/);
      }
    });
  });
}
