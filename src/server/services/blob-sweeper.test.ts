import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../config.ts';
import { storedBlobs, waitFor } from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { IntegrityStore } from '../stores/integrity-store.ts';
import { BlobSweeper, SWEPT_PREFIXES } from './blob-sweeper.ts';
import { blobKeysOf } from './processing/assets.ts';

const DAY_MS = 24 * 3600_000;
const FAST_JOBS: Partial<Config> = { jobPollMs: 20, jobRetryBaseMs: 5 };

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const sorted = (keys: string[]) => [...keys].sort();

async function png(seed: number): Promise<Buffer> {
  return sharp({
    create: { width: 40 + seed, height: 30, channels: 3, background: { r: seed * 40, g: 90, b: 200 } },
  })
    .png()
    .toBuffer();
}

/** Uploads an image and waits for its renditions, so it owns an original and a thumbnail and preview. */
async function processedImage(seed: number): Promise<string> {
  const file = await t.upload(await png(seed), { fileName: `image-${seed}.png`, mimeType: 'image/png' });
  await waitFor(
    async () => (await t.store.files.getFile(file.id))?.operation_status !== 'PENDING',
    'processing',
    60_000,
  );
  const row = await t.store.files.getFile(file.id);
  expect(row?.operation_status, row?.failure_reason ?? '').toBe('READY');
  return file.id;
}

/**
 * What a crash (kill -9) in the middle of a delete-forever leaves: the transaction that deletes the rows has
 * committed, the blobs were never removed. Answers the keys of the blobs left behind.
 */
async function purgeRowsOnly(fileIds: string[]): Promise<string[]> {
  const purged = await t.store.trash.purge(fileIds, []);
  return purged.flatMap(blobKeysOf);
}

/**
 * With no grace at all, a blob written this second can still look young: S3 (Swift's s3api) lists LastModified
 * rounded up to the whole second. Waits until the store lists every blob as written before now.
 */
async function untilListedInThePast(): Promise<void> {
  await waitFor(
    async () => {
      for (const prefix of SWEPT_PREFIXES) {
        for await (const entry of t.blobs.list(prefix)) {
          if (entry.lastModified.getTime() > Date.now()) return false;
        }
      }
      return true;
    },
    'blobs listed as written in the past',
    10_000,
  );
}

describe('blob sweeper', () => {
  it('removes the blobs a crash mid delete-forever left behind, once they are past the grace period', async () => {
    t = await createTestApp(FAST_JOBS);
    const kept = await processedImage(1);
    const gone = [await processedImage(2), (await t.upload('plain text', { fileName: 'a.txt' })).id];
    const keptKeys = blobKeysOf((await t.store.files.getFile(kept))!);
    expect(keptKeys.length).toBeGreaterThan(1);

    const leftBehind = await purgeRowsOnly(gone);
    // Originals and renditions of both files.
    expect(leftBehind.length).toBeGreaterThan(2);
    expect(sorted(await storedBlobs(t))).toEqual(sorted([...keptKeys, ...leftBehind]));

    // Within the grace period nothing goes: an upload's (or a rendition's) bytes are stored before its row.
    await t.cleanup();
    expect(sorted(await storedBlobs(t))).toEqual(sorted([...keptKeys, ...leftBehind]));

    // A day later the periodic cleanup's sweep takes them; the file that still has its row keeps everything.
    const result = await t.sweeper.sweep(Date.now() + DAY_MS + 60_000);
    expect(result.deleted).toBe(leftBehind.length);
    expect(sorted(await storedBlobs(t))).toEqual(sorted(keptKeys));
    const response = await t.app.inject({ method: 'GET', url: `/media/${kept}` });
    expect(response.statusCode).toBe(200);
  }, 120_000);

  it('is part of the periodic cleanup, in batches', async () => {
    // No grace at all: only a test may do this (the setting takes at least an hour).
    t = await createTestApp({ ...FAST_JOBS, blobSweepGraceMinutes: 0 });
    const kept = await t.upload('kept', { fileName: 'kept.txt' });
    const files = [];
    for (let i = 0; i < 5; i++) files.push((await t.upload(`file ${i}`, { fileName: `f${i}.txt` })).id);
    const leftBehind = await purgeRowsOnly(files);
    expect(leftBehind).toHaveLength(5);

    // Two keys per batch: three batches, every one checked against the rows before anything goes.
    const small = new BlobSweeper(new IntegrityStore(t.store), t.blobs, { graceMs: 0, batchSize: 2 });
    const result = await small.sweep(Date.now() + 60_000);
    expect(result).toMatchObject({ deleted: 5, batches: 3 });
    expect(await storedBlobs(t)).toEqual([(await t.store.files.getFile(kept.id))!.blob_key]);

    const again = await purgeRowsOnly([kept.id]);
    await untilListedInThePast();
    await t.cleanup();
    expect(again).toHaveLength(1);
    expect(await storedBlobs(t)).toEqual([]);
  });

  it('never touches keys whose owner it cannot tell', async () => {
    t = await createTestApp({ blobSweepGraceMinutes: 0 });
    // A shard that is not the id's start, no shard, a rendition without a file name, another prefix.
    const strangers = ['originals/zz/abc.txt', 'originals/loose', 'renditions/ab/abc', 'other/ab/abc'];
    for (const key of strangers) await t.blobs.put(key, Readable.from([Buffer.from(key)]));
    if (!t.config.s3) {
      // On disk anything can be put there by hand, also names no key can have.
      const odd = path.join(t.dataDir, 'blobs', 'originals', 'ab', 'ab c');
      fs.mkdirSync(path.dirname(odd), { recursive: true });
      fs.writeFileSync(odd, 'by hand');
      strangers.push('originals/ab/ab c');
    }
    const result = await t.sweeper.sweep(Date.now() + DAY_MS);
    expect(result.deleted).toBe(0);
    expect(sorted(await storedBlobs(t))).toEqual(sorted(strangers));
  });

  it('is off when the grace period is unset (null)', async () => {
    t = await createTestApp({ blobSweepGraceMinutes: null });
    const file = await t.upload('x', { fileName: 'x.txt' });
    const leftBehind = await purgeRowsOnly([file.id]);
    await t.cleanup();
    expect(await storedBlobs(t)).toEqual(leftBehind);
  });
});
