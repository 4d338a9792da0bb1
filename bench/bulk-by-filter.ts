/**
 * "Select all by filter" at 1M files (issue 17): `npx tsx bench/bulk-by-filter.ts [--files 1000000]
 * [--trashed 0.1] [--keep] [--data-dir <dir kept by storage-page.ts --keep>]`. Seeds a library (library-seed.ts; `--trashed` of the files trashed on their own),
 * builds the real server over it on 127.0.0.1:0, then starts one bulk operation, "restore every image in the
 * trash" (`POST /site-media-ext/v1/bulk-operations` {action RESTORE, folderId trash-root, mediaTypes [IMAGE]}),
 * and polls it until done. Meanwhile a client sends small requests one after another (a page of 50 files of a
 * folder, and the Storage summary, in turn) and times them: their p95 during the operation is compared with the
 * same requests on the idle server before it. Reports the operation's throughput (files/s), its batches, and
 * that the Storage aggregates still equal a recomputation afterwards. Not part of `npm test`.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { aggregateDifferences } from '../src/server/stores/storage-store.ts';
import { DEFAULT_SHAPE, seedLibrary, stats, type Stats } from './library-seed.ts';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const FILES = Number(option('files') ?? 1_000_000);
const TRASHED = Number(option('trashed') ?? 0.1);
const KEEP = process.argv.includes('--keep');
/** Stop measuring after this long even if the operation is still running (it reports how far it got). */
const MAX_SECONDS = Number(option('max-seconds') ?? Infinity);
/** A library seeded and kept by `bench/storage-page.ts --keep` (the same seeding): reused instead of seeding again. */
const DATA_DIR = option('data-dir');
const API_KEY = 'bench-api-key-0123456789';

function request(
  agent: http.Agent,
  port: number,
  method: string,
  urlPath: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        agent,
        headers: {
          authorization: API_KEY,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const row = (name: string, s: Stats) => `| ${name} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} | ${s.n} |`;

async function main(): Promise<void> {
  console.error(
    `bulk-by-filter: ${FILES.toLocaleString('en')} files; node ${process.version}, ${os.cpus().length} CPUs`,
  );
  const dataDir = DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'smm-bench-bulk-'));
  const config = loadConfig(
    {},
    {
      dataDir,
      apiKey: API_KEY,
      staticDir: undefined,
      publicUrl: 'http://127.0.0.1',
      logLevel: 'warn',
      // The seeded trash is dated over the past year: no retention cleanup deletes it while we measure.
      trashRetentionDays: 0,
    },
  );
  let seeded: { siteFolders: string[] };
  if (DATA_DIR) {
    seeded = { siteFolders: ['bench-sub-0-7'] };
  } else {
    await (await buildApp(config)).app.close();
    const library = seedLibrary(path.join(dataDir, 'metadata.sqlite'), {
      ...DEFAULT_SHAPE,
      files: FILES,
      trashed: TRASHED,
    });
    console.error(`  seeding took ${library.seconds.toFixed(1)} s`);
    seeded = library;
  }

  const built = await buildApp(config);
  // A fresh seeding leaves the aggregates to be built (library-seed.ts); a reused data dir has them.
  if (!DATA_DIR) await built.store.storage.recompute();
  const pollAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const smallAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await built.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = built.app.server.address() as AddressInfo;
    const folder = seeded.siteFolders.find((f) => f === 'bench-sub-0-7') ?? seeded.siteFolders[0]!;
    const small = [
      `/site-media/v1/files?parentFolderId=${folder}&paging.limit=50`,
      '/site-media-ext/v1/storage',
    ];
    const images = Number(
      (
        await built.store.db
          .selectFrom('files')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('location_id', '=', 'trash-root')
          .where('media_type', '=', 'IMAGE')
          .executeTakeFirstOrThrow()
      ).n,
    );

    const trashed = Number(
      (
        await built.store.db
          .selectFrom('files')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('location_id', '=', 'trash-root')
          .executeTakeFirstOrThrow()
      ).n,
    );
    /** Small requests one after another until `until()` says stop (at least `min` of them). */
    const smallLoop = async (until: () => boolean, min: number) => {
      const samples: number[] = [];
      for (let i = 0; samples.length < min || !until(); i++) {
        const t0 = performance.now();
        const res = await request(smallAgent, port, 'GET', small[i % small.length]!);
        samples.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${small[i % small.length]} answered ${res.status}`);
      }
      return samples;
    };
    for (let i = 0; i < 10; i++) await request(smallAgent, port, 'GET', small[i % 2]!);
    const idle = await smallLoop(() => true, 200);

    const loadBefore = os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(' / ');
    const started = performance.now();
    const startRes = await request(pollAgent, port, 'POST', '/site-media-ext/v1/bulk-operations', {
      action: 'RESTORE',
      folderId: 'trash-root',
      mediaTypes: ['IMAGE'],
    });
    if (startRes.status !== 202) throw new Error(`bulk start answered ${startRes.status}: ${startRes.body}`);
    const { operation } = JSON.parse(startRes.body) as { operation: { id: string } };
    let finished: { status: string; doneFiles?: number; [key: string]: unknown } | undefined;
    const poll = (async () => {
      for (;;) {
        const res = await request(
          pollAgent,
          port,
          'GET',
          `/site-media-ext/v1/bulk-operations/${operation.id}`,
        );
        const op = (JSON.parse(res.body) as { operation: { status: string } }).operation;
        if (op.status !== 'RUNNING') {
          finished = op;
          return;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const cutOff = () => (performance.now() - started) / 1000 > MAX_SECONDS;
    const during = await smallLoop(() => finished !== undefined || cutOff(), 20);
    if (finished === undefined) {
      const res = await request(
        smallAgent,
        port,
        'GET',
        `/site-media-ext/v1/bulk-operations/${operation.id}`,
      );
      finished = (JSON.parse(res.body) as { operation: { status: string } }).operation;
      console.error(`  cut off after ${MAX_SECONDS} s, the operation still running`);
    } else await poll;
    const seconds = (performance.now() - started) / 1000;

    const done = finished.status !== 'RUNNING';
    const differences = done
      ? aggregateDifferences(await built.store.storage.maintained(), await built.store.storage.recomputed())
      : [];

    console.log(`\n### Bulk by filter, ${FILES.toLocaleString('en')} files (SQLite)\n`);
    console.log(
      `load average (1/5/15 min) at the start: ${loadBefore}, at the end: ${os
        .loadavg()
        .map((n) => n.toFixed(1))
        .join(' / ')}\n`,
    );
    console.log(
      `Restore every image in the trash: ${images.toLocaleString('en')} files of ${trashed.toLocaleString('en')} trashed; status ${finished?.status}, ${JSON.stringify(finished)}`,
    );
    console.log(
      `\n${seconds.toFixed(1)} s, ${Math.round((done ? images : Number((finished as { processed?: { files: number } }).processed?.files ?? 0)) / seconds).toLocaleString('en')} files/s (BULK_BATCH_SIZE ${config.bulkBatchSize} at most, BULK_BATCH_PAUSE_MS ${config.bulkBatchPauseMs})\n`,
    );
    console.log(`| small requests (page of 50 files, storage summary, in turn) | p50 | p95 | max | n |`);
    console.log(`|---|---|---|---|---|`);
    console.log(row('idle server', stats(idle)));
    console.log(row('during the bulk restore', stats(during)));
    console.log(
      `\nmaintained vs recomputed after: ${!done ? 'not compared (cut off)' : differences.length === 0 ? 'equal' : differences.slice(0, 5).join('; ')}`,
    );
    if (differences.length > 0 || finished?.status !== 'DONE') process.exitCode = 1;
  } finally {
    await built.app.close();
    pollAgent.destroy();
    smallAgent.destroy();
    if (!KEEP && !DATA_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
    else console.error(`kept ${dataDir}`);
  }
}

await main();
