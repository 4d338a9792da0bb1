/**
 * List, search and trash latency at scale (issue 2).
 *
 *   npx tsx bench/list-latency.ts [--files 100000,1000000] [--samples 200] [--keep]
 *     [--database-url postgres://postgres@127.0.0.1:55432/smm]
 *
 * For each size N: builds the real app (`buildApp`) over a fresh temp data dir, seeds N file rows straight into
 * the `files` table (10k rows per transaction), listens on 127.0.0.1:0 and measures, sequentially over one
 * keep-alive connection, the latency of list (first and deep page, two sorts), search (a term matching many
 * rows and one matching few) and the trash listing. Each HTTP scenario is followed by the same page fetched
 * in-process through `store.listFiles(...)`, the MetadataStore call the service makes, so the HTTP overhead
 * shows. Prints a markdown table, the goals with pass/fail, and EXPLAIN QUERY PLAN of every scenario's SQL.
 *
 * With `--database-url` (or `DATABASE_URL`) a `postgres://` URL, the metadata goes to PostgreSQL instead: each
 * size gets a fresh schema in that database (the app's URL carries `options=-c search_path=<schema>`, as the
 * tests do), which the app migrates; the rows go in through Kysely (multi-row INSERTs, indexes and the pg_trgm
 * GIN index kept as they go), then `ANALYZE files`; plans are `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)`. The
 * schema is dropped at the end unless `--keep`. Everything else (rows, scenarios, checks, report) is shared.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql, type RawBuilder } from 'kysely';
import { buildApp, type App } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { persistentSecret } from '../src/server/secrets.ts';
import { CursorCodec } from '../src/server/services/cursors.ts';
import { FILE_SORT_COLUMNS } from '../src/server/services/file-service.ts';
import { isPostgresUrl } from '../src/server/stores/dialect.ts';
import type { ListingFilter } from '../src/server/stores/sql-helpers.ts';
import { stats, type Stats } from './library-seed.ts';
import { report } from './list-latency-report.ts';
import { COMMON_TERM, EDGE_TERM, MID_TERM, RARE_TERM, type Placement } from './list-latency-rows.ts';
import { listScenarios, PAGE, type Result, type Scenario } from './list-latency-scenarios.ts';
import { explain, postgresTarget, sqliteTarget, sqlOf } from './list-latency-targets.ts';

// ---- options ---------------------------------------------------------------------------------------------

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const inline = process.argv.find((a) => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

const SIZES = (option('files') ?? '100000').split(',').map((s) => {
  const n = Number(s.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 1000) throw new Error(`--files: ${s} is not a number >= 1000`);
  return n;
});
const SAMPLES = Number(option('samples') ?? 200);
const WARMUP = 20;
/** A scenario stops early once it has spent this long (and has at least MIN_SAMPLES), so slow ones stay bounded. */
const BUDGET_MS = 30_000;
const MIN_SAMPLES = 20;
const KEEP = process.argv.includes('--keep');
/** PostgreSQL instead of SQLite: the database each size gets a fresh schema in. */
const DATABASE_URL = option('database-url') ?? (process.env.DATABASE_URL || undefined);
if (DATABASE_URL !== undefined && !isPostgresUrl(DATABASE_URL)) {
  throw new Error('--database-url / DATABASE_URL must be a postgres:// or postgresql:// URL');
}
const API_KEY = 'bench-api-key-0123456789';

// ---- measuring -------------------------------------------------------------------------------------------

async function measure(run: () => Promise<void>): Promise<Stats> {
  const warmupStarted = performance.now();
  for (let i = 0; i < WARMUP && performance.now() - warmupStarted < BUDGET_MS / 4; i++) await run();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < SAMPLES) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
    if (samples.length >= MIN_SAMPLES && performance.now() - started > BUDGET_MS) break;
  }
  return stats(samples);
}

async function runSize(
  total: number,
): Promise<{ results: Result[]; plans: Map<string, { sql: string; plan: string }> }> {
  console.error(`\n== ${total.toLocaleString('en')} files ==`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-bench-'));
  const target = DATABASE_URL === undefined ? sqliteTarget(dataDir) : await postgresTarget(DATABASE_URL);
  const config = loadConfig(
    {},
    {
      dataDir,
      databaseUrl: target.databaseUrl,
      apiKey: API_KEY,
      staticDir: undefined,
      publicUrl: 'http://127.0.0.1',
      logLevel: 'warn',
      // The seeded trash is as old as the seeded files: retention would purge it while the trash is measured.
      trashRetentionDays: 0,
    },
  );
  let built: App | undefined;
  try {
    built = await buildApp(config);
    // Folders through the service, as a user would make them.
    const big = await built.folders.create('Camera Roll', 'media-root');
    const edited = await built.folders.create('Edited', big.id);
    const docs = await built.folders.create('Documents', 'media-root');
    const videos = await built.folders.create('Videos', 'media-root');
    const music = await built.folders.create('Music', 'media-root');
    const placement: Placement = {
      bigFolder: big.id,
      others: [
        { id: edited.id, weight: 2 },
        { id: docs.id, weight: 2 },
        { id: videos.id, weight: 2 },
        { id: music.id, weight: 1 },
        { id: 'media-root', weight: 2 },
      ],
    };
    // Seeding writes through its own connection; close the app meanwhile and build it again on the seeded
    // data dir, so the server starts as it would on an existing library.
    await built.app.close();
    built = undefined;
    const seedStarted = performance.now();
    await target.seed(total, placement);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    console.error(`  seeding took ${seedSeconds.toFixed(1)} s; ${await target.describeSize()}`);
    built = await buildApp(config);
    const app = built;

    const db = target.open();
    const count = async (where: RawBuilder<boolean>) => {
      const { rows } = await sql<{
        n: number | string;
      }>`select count(*) as n from files where ${where}`.execute(db);
      return Number(rows[0]!.n);
    };
    const matching = (term: string) => count(sql`scope = 'MEDIA_ROOT' and search_text like ${`%${term}%`}`);
    const bigCount = await count(sql`location_id = ${big.id} and state = 'OK'`);
    const trashCount = await count(sql`location_id = 'trash-root'`);
    const rareCount = await matching(RARE_TERM);
    const commonCount = await matching(COMMON_TERM);
    const midCount = await matching(MID_TERM);
    const edgeCount = await matching(EDGE_TERM);
    console.error(
      `  "${MID_TERM}" ${midCount.toLocaleString('en')} matches, "${EDGE_TERM}" ${edgeCount.toLocaleString('en')}`,
    );
    console.error(
      `  big folder ${bigCount.toLocaleString('en')} live files, trash ${trashCount.toLocaleString('en')}, "${COMMON_TERM}" ${commonCount.toLocaleString('en')} matches, "${RARE_TERM}" ${rareCount} matches`,
    );

    // Cursors half-way into the big folder, for both sorts: encoded with the app's own codec and secret, for
    // the position of the item at rank N/2, exactly as the service would have encoded it on the page before.
    const codec = new CursorCodec(persistentSecret(dataDir, 'secret'));
    const half = Math.floor(bigCount / 2);
    const deep = async (fieldName: 'updatedDate' | 'displayName', order: 'ASC' | 'DESC') => {
      const column = FILE_SORT_COLUMNS[fieldName];
      const dir = sql.raw(order === 'ASC' ? 'asc' : 'desc');
      const { rows } = await sql<{ v: string | number; id: string }>`
        select ${sql.ref(column)} as v, id from files where location_id = ${big.id} and state = 'OK'
        order by ${sql.ref(column)} ${dir}, id ${dir} limit 2 offset ${half - 1}`.execute(db);
      const [last, next] = rows;
      const filter: ListingFilter = { locationId: big.id, state: 'OK' };
      const position = [last!.v, last!.id] as const;
      const cursor = codec.encode({ listing: 'files.list', filter, sort: { fieldName, order }, position });
      return { cursor, position, nextId: next!.id, filter, column };
    };
    const deepDefault = await deep('updatedDate', 'DESC');
    const deepByName = await deep('displayName', 'ASC');
    await db.destroy();

    const scenarios = listScenarios(
      big.id,
      { common: commonCount, mid: midCount, edge: edgeCount, rare: rareCount, trash: trashCount },
      deepDefault,
      deepByName,
    );

    await app.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}/site-media/v1`;
    const send = (s: Scenario) =>
      fetch(base + s.http.path, {
        method: s.http.method,
        headers: {
          Authorization: API_KEY,
          ...(s.http.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(s.http.body === undefined ? {} : { body: JSON.stringify(s.http.body) }),
      });
    const call = async (s: Scenario): Promise<string> => {
      let response: Response;
      try {
        response = await send(s);
      } catch (error) {
        // After a long in-process run (the event loop blocked by synchronous SQLite) the server may have closed
        // the idle keep-alive socket just as it is reused: these are reads, so retry once on a new connection.
        if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
        response = await send(s);
      }
      const text = await response.text();
      if (response.status !== 200)
        throw new Error(`${s.name}: HTTP ${response.status} ${text.slice(0, 300)}`);
      return text;
    };

    const results: Result[] = [];
    const plans = new Map<string, { sql: string; plan: string }>();
    for (const s of scenarios) {
      // Correctness first: the page is the one we think we are timing.
      const page = JSON.parse(await call(s)) as { files: { id: string }[] };
      if (s.expectCount !== undefined && page.files.length !== s.expectCount) {
        throw new Error(`${s.name}: got ${page.files.length} files, expected ${s.expectCount}`);
      }
      if (s.expectFirstId !== undefined && page.files[0]?.id !== s.expectFirstId) {
        throw new Error(`${s.name}: page starts with ${page.files[0]?.id}, expected ${s.expectFirstId}`);
      }
      const stored = await app.store.files.listFiles({ ...s.store, limit: PAGE + 1 });
      if (
        stored
          .slice(0, PAGE)
          .map((r) => r.id)
          .join() !== page.files.map((f) => f.id).join()
      ) {
        throw new Error(`${s.name}: store.listFiles and HTTP disagree`);
      }

      const http = await measure(async () => {
        await call(s);
      });
      const inProcess = await measure(async () => {
        await app.store.files.listFiles({ ...s.store, limit: PAGE + 1 });
      });
      results.push({ scenario: s, files: total, http, inProcess });
      const query = await sqlOf(target, s.store, PAGE + 1);
      plans.set(s.name, { sql: query.sql, plan: await explain(target, query) });
      console.error(
        `  ${s.name}: HTTP p50 ${http.p50.toFixed(2)} ms p95 ${http.p95.toFixed(2)} ms (n=${http.n}); in-process p50 ${inProcess.p50.toFixed(2)} ms p95 ${inProcess.p95.toFixed(2)} ms (n=${inProcess.n})`,
      );
    }
    return { results, plans };
  } finally {
    if (built) await built.app.close();
    if (KEEP) {
      console.error(`  data dir kept: ${dataDir}`);
      if (target.databaseUrl) console.error(`  database kept: ${target.databaseUrl}`);
    } else {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await target.drop();
    }
  }
}

async function main(): Promise<void> {
  console.error(
    `list-latency: sizes ${SIZES.join(', ')}; ${SAMPLES} samples per scenario after ${WARMUP} warm-up requests; node ${process.version}, ${os.cpus().length} CPUs`,
  );
  if (DATABASE_URL !== undefined) {
    const where = new URL(DATABASE_URL);
    console.error(
      `list-latency: metadata on PostgreSQL at ${where.host}${where.pathname} (a fresh schema per size)`,
    );
  }
  const all: Result[] = [];
  const plans = new Map<number, Map<string, { sql: string; plan: string }>>();
  for (const size of SIZES) {
    const { results, plans: p } = await runSize(size);
    all.push(...results);
    plans.set(size, p);
  }
  report(all, plans, DATABASE_URL === undefined ? 'sqlite' : 'postgres');
}

await main();
