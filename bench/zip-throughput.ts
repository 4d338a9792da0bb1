/**
 * Zip streaming throughput, memory and ZIP64.
 *
 *   npx tsx bench/zip-throughput.ts [--sizes 4.5G,64M,1K] [--verify]
 *
 * Streams one zip through `ZipService.stream` (the code the download route runs) from an in-memory blob store
 * whose blobs are generated on the fly, so only the zip path is measured: no disk reads, no HTTP. The default
 * sizes make an entry larger than 4 GiB and entries at offsets past 4 GiB, so the archive needs ZIP64. Prints
 * the throughput, the peak RSS sampled while streaming (it must stay flat, whatever the total size), how many
 * blobs were open at once, and whether the archive ends with a ZIP64 end record. `--verify` also writes the
 * zip to a temp file and runs `unzip -t` on it (needs the disk space and some more time).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '../src/server/blobs/blob-store.ts';
import type { MetadataStore } from '../src/server/stores/metadata-store.ts';
import { ZipService, type ZipPlan } from '../src/server/services/zip-service.ts';
import { option, parseSize } from './lib.ts';

const sizes = (option('sizes') ?? '4.5G,64M,1K').split(',').map(parseSize);
const verify = process.argv.includes('--verify');

/** Blobs made up as they are read: `size` bytes of a repeating pattern, 1 MiB at a time. */
const CHUNK = Buffer.alloc(1024 * 1024, 'zip throughput ');
const state = { open: 0, maxOpen: 0 };
const blobs: BlobStore = {
  get: async (key) => {
    let left = Number(key.split('/')[1]);
    state.open++;
    state.maxOpen = Math.max(state.maxOpen, state.open);
    const stream = Readable.from(
      (function* () {
        while (left > 0) {
          const n = Math.min(left, CHUNK.length);
          left -= n;
          yield n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n);
        }
      })(),
    );
    // In use until read to the end or destroyed, whichever comes first.
    let done = false;
    const finish = () => {
      if (!done) state.open--;
      done = true;
    };
    stream.once('end', finish);
    stream.once('close', finish);
    return stream;
  },
  put: () => Promise.reject(new Error('not used')),
  putFile: () => Promise.reject(new Error('not used')),
  read: () => Promise.reject(new Error('not used')),
  size: () => Promise.resolve(undefined),
  delete: () => Promise.resolve(),
  // eslint-disable-next-line require-yield
  list: async function* () {
    throw new Error('not used');
  },
};

const plan: ZipPlan = {
  fileName: 'bench.zip',
  entries: sizes.map((size, i) => ({
    kind: 'file',
    path: `entry-${i}.bin`,
    fileId: `bench-${i}`,
    blobKey: `bench/${size}`,
    size,
    mtime: new Date(),
  })),
};

// `stream` reads no metadata: the store is never touched.
const zips = new ZipService(undefined as unknown as MetadataStore, blobs, 'http://bench.invalid');

const tempDir = verify ? fs.mkdtempSync(path.join(os.tmpdir(), 'smm-zip-bench-')) : undefined;
const target = tempDir ? path.join(tempDir, 'bench.zip') : undefined;
let written = 0;
let tail = Buffer.alloc(0);
const file = target ? fs.openSync(target, 'w') : undefined;
const sink = new Writable({
  highWaterMark: 1024 * 1024,
  write(chunk: Buffer, _encoding, done) {
    written += chunk.length;
    tail = Buffer.concat([tail, chunk]).subarray(-4096);
    if (file === undefined) return done();
    fs.write(file, chunk, (error) => done(error));
  },
});

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const startRss = process.memoryUsage().rss;
const started = performance.now();
await pipeline(zips.stream(plan), sink);
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
if (file !== undefined) fs.closeSync(file);

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const payload = sizes.reduce((a, b) => a + b, 0);
const zip64 =
  tail.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06])) &&
  tail.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]));
console.log(`entries:          ${sizes.map(mib).join(', ')}`);
console.log(`zip size:         ${mib(written)} (${written - payload} bytes of zip structure)`);
console.log(`time:             ${seconds.toFixed(2)} s, ${mib(written / seconds)}/s`);
console.log(`RSS:              ${mib(startRss)} at start, ${mib(peakRss)} peak`);
console.log(`blobs open:       at most ${state.maxOpen} at once`);
console.log(`ZIP64 end record: ${zip64 ? 'yes' : 'no'}`);

if (target && tempDir) {
  const test = spawnSync('unzip', ['-t', target], { encoding: 'utf8' });
  console.log(`unzip -t:         ${test.status === 0 ? 'OK' : `FAILED\n${test.stdout}${test.stderr}`}`);
  fs.rmSync(tempDir, { recursive: true, force: true });
  if (test.status !== 0) process.exitCode = 1;
}
