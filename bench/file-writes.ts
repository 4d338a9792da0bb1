/**
 * How an upload's bytes are best written to disk: Node's `fs.WriteStream` against `FileSink` at several batch
 * sizes, each writing 1 GiB of 64 KiB chunks (the size request chunks arrive in) from memory.
 *
 *   npx tsx bench/file-writes.ts [--rounds 3]
 *
 * Each run is timed with this process's CPU time (user and system: the thread pool's writes count too). Every
 * run starts after `sync` and removes its file afterwards; each variant runs twice a round, once as it comes
 * and once right after `dd` wrote and removed 1 GiB in 64 KiB writes (another process's small writes, which
 * leave free memory in small pieces). The table shows medians. It shows why `FILE_SINK_BATCH` is no larger.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileSink } from '../src/server/blobs/file-sink.ts';
import { median } from './lib.ts';

const KiB = 1024;
const SIZE = 1024 ** 3;
const CHUNK = 64 * KiB;

const roundsOption = process.argv.indexOf('--rounds');
const rounds = roundsOption >= 0 ? Number(process.argv[roundsOption + 1]) : 3;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'file-writes-'));
const file = path.join(dir, 'out');
const block = randomBytes(8 * 1024 * KiB);

function source(): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < SIZE; at += CHUNK) {
        const from = at % block.length;
        yield block.subarray(from, from + CHUNK);
      }
    })(),
    { objectMode: false },
  );
}

const variants: [string, () => Writable][] = [
  ['fs.createWriteStream (as the bare server)', () => fs.createWriteStream(file)],
  [
    'fs.createWriteStream, 64 KiB high-water mark',
    () => fs.createWriteStream(file, { highWaterMark: 64 * KiB }),
  ],
  ...[128, 256, 512].map((batch): [string, () => Writable] => [
    `FileSink, ${batch} KiB batches`,
    () => new FileSink(file, { flags: 'w', batch: batch * KiB }),
  ]),
];

interface Run {
  ms: number;
  user: number;
  system: number;
}
const runs = new Map<string, Run[]>();

try {
  for (let round = 1; round <= rounds; round++) {
    for (const afterSmallWrites of [false, true]) {
      for (const [name, sink] of variants) {
        if (afterSmallWrites) {
          const scratch = path.join(dir, 'scratch');
          execFileSync('dd', ['if=/dev/zero', `of=${scratch}`, 'bs=64K', 'count=16384', 'status=none']);
          fs.rmSync(scratch);
        }
        execFileSync('sync');
        const cpu = process.cpuUsage();
        const t0 = performance.now();
        await pipeline(source(), sink());
        const ms = performance.now() - t0;
        const used = process.cpuUsage(cpu);
        fs.rmSync(file);
        const key = `${name}${afterSmallWrites ? ', after dd' : ''}`;
        const run = { ms, user: used.user / 1e6, system: used.system / 1e6 };
        runs.set(key, [...(runs.get(key) ?? []), run]);
        console.log(
          `round ${round}: ${key}: ${(ms / 1000).toFixed(2)} s, user ${run.user.toFixed(2)} s, sys ${run.system.toFixed(2)} s`,
        );
      }
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

console.log(`\n1 GiB in 64 KiB chunks; ${rounds} rounds, medians\n`);
console.log('| writer | time | user CPU | system CPU |');
console.log('| ------ | ---: | ---: | ---: |');
for (const [key, list] of runs) {
  const m = (pick: (run: Run) => number) => median(list.map(pick));
  console.log(
    `| ${key} | ${(m((r) => r.ms) / 1000).toFixed(2)} s | ${m((r) => r.user).toFixed(2)} s | ${m((r) => r.system).toFixed(2)} s |`,
  );
}
