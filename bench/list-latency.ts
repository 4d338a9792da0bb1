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
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  sql,
  type LogEvent,
  type RawBuilder,
} from 'kysely';
import pg from 'pg';
import { createTestSchema } from '../src/server/testing/test-databases.ts';
import { buildApp, type App } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { persistentSecret } from '../src/server/secrets.ts';
import { CursorCodec } from '../src/server/services/cursors.ts';
import { FILE_SORT_COLUMNS, searchTextOf } from '../src/server/services/file-service.ts';
import { mediaTypeOf } from '../src/server/services/media-types.ts';
import { originalKey } from '../src/server/services/upload-service.ts';
import { isPostgresUrl, type SqlDialect } from '../src/server/stores/dialect.ts';
import { MetadataStore } from '../src/server/stores/metadata-store.ts';
import type { Database, FileRow } from '../src/server/stores/schema.ts';
import type { FileSortColumn, ListingFilter } from '../src/server/stores/sql-helpers.ts';

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
const PAGE = 50;
const BATCH = 10_000;
const API_KEY = 'bench-api-key-0123456789';

const GOAL_P95_MS = 25;
const GOAL_DEEP_RATIO = 1.5;
const GOAL_AT = 1_000_000;

// ---- realistic rows --------------------------------------------------------------------------------------

/** Small fast PRNG (mulberry32), seeded so every run seeds the same library. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

interface Kind {
  weight: number;
  mime: string;
  name: (n: number, r: () => number) => string;
  /** Typical size range in bytes (log-uniform). */
  size: [number, number];
}

const KINDS: Kind[] = [
  {
    weight: 55,
    mime: 'image/jpeg',
    name: (n, r) =>
      `IMG_${2021 + Math.floor(r() * 4)}_${pad(1 + Math.floor(r() * 12))}${pad(1 + Math.floor(r() * 28))}_${n}.jpg`,
    size: [300_000, 12_000_000],
  },
  {
    weight: 10,
    mime: 'image/png',
    name: (n, r) =>
      `Screenshot 2024-${pad(1 + Math.floor(r() * 12))}-${pad(1 + Math.floor(r() * 28))} at ${pad(Math.floor(r() * 24))}.${pad(Math.floor(r() * 60))}.${pad(n % 60)} (${n}).png`,
    size: [50_000, 4_000_000],
  },
  {
    weight: 10,
    mime: 'video/mp4',
    name: (n, r) =>
      `VID_${2021 + Math.floor(r() * 4)}${pad(1 + Math.floor(r() * 12))}${pad(1 + Math.floor(r() * 28))}_${n}.mp4`,
    size: [2_000_000, 900_000_000],
  },
  {
    weight: 8,
    mime: 'application/pdf',
    name: (n, r) => `${['Invoice', 'Contract', 'Scan', 'Menu', 'Brochure'][Math.floor(r() * 5)]} ${n}.pdf`,
    size: [20_000, 8_000_000],
  },
  { weight: 5, mime: 'audio/mpeg', name: (n) => `track-${n}.mp3`, size: [1_000_000, 15_000_000] },
  { weight: 3, mime: 'application/zip', name: (n) => `backup_${n}.zip`, size: [100_000, 500_000_000] },
  { weight: 2, mime: 'image/svg+xml', name: (n) => `logo_${n}.svg`, size: [1_000, 200_000] },
  { weight: 1, mime: 'model/gltf-binary', name: (n) => `chair-${n}.glb`, size: [200_000, 30_000_000] },
  { weight: 1, mime: 'application/octet-stream', name: (n) => `data_${n}.bin`, size: [1_000, 5_000_000] },
];
const KIND_TOTAL = KINDS.reduce((s, k) => s + k.weight, 0);

function pickKind(r: () => number): Kind {
  let x = r() * KIND_TOTAL;
  for (const kind of KINDS) {
    x -= kind.weight;
    if (x < 0) return kind;
  }
  return KINDS[0]!;
}

/** The `media` JSON the upload service stores at ingest (its `initialMedia`), with dimensions filled in. */
function mediaJson(mediaType: string, id: string, fileName: string, size: number, r: () => number): string {
  const file = { id, url: '', filename: fileName, sizeInBytes: String(size) };
  switch (mediaType) {
    case 'IMAGE':
    case 'VECTOR': {
      const image = {
        image: {
          id,
          url: '',
          width: 400 + Math.floor(r() * 3600),
          height: 300 + Math.floor(r() * 2700),
          filename: fileName,
          altText: null,
        },
        colors: null,
        faces: [],
        previewImage: null,
      };
      return JSON.stringify(mediaType === 'IMAGE' ? { image } : { vector: image });
    }
    case 'VIDEO':
      return JSON.stringify({ video: { id, filename: fileName, resolutions: [] } });
    case 'AUDIO':
      return JSON.stringify({ audio: { id, assets: [] } });
    case 'DOCUMENT':
      return JSON.stringify({ document: file });
    case 'ARCHIVE':
      return JSON.stringify({ archive: file });
    case 'MODEL3D':
      return JSON.stringify({ model3d: file });
    default:
      return '{}';
  }
}

const LABELS = ['summer', 'team', 'product', 'event', 'archive', 'press', 'draft'];
const THREE_YEARS_MS = 3 * 365 * 24 * 3600_000;
const NOW = Date.parse('2025-06-01T12:00:00.000Z');

/** The few rows the "few matches" search finds. */
const RARE_TERM = 'zebra';
const RARE_COUNT = 20;
/** A term of middling frequency, found through the trigram index (below its 20,000-candidate limit). */
const MID_TERM = 'quokka';
const MID_COUNT = 6000;
/**
 * Just above the store's trigram candidate limit (20,000): the worst case of the search planner, which then
 * walks the sort index and meets a match only every N/25,000 rows.
 */
const EDGE_TERM = 'wombat';
const EDGE_COUNT = 25_000;
/** Matches a large share of the library (JPEG names of one year). */
const COMMON_TERM = 'img_2023';

interface Placement {
  bigFolder: string;
  /** Where the other 10% live, with weights. */
  others: { id: string; weight: number }[];
}

function makeRow(n: number, r: () => number, placement: Placement, total: number): FileRow {
  const kind = pickKind(r);
  let fileName = kind.name(n, r);
  // A handful of rows spread over the library carry the rare term.
  if (n % Math.floor(total / RARE_COUNT) === 7) fileName = `${RARE_TERM}-crossing-${n}.jpg`;
  else if (n % Math.floor(total / MID_COUNT) === 3) fileName = `${MID_TERM}-${n}.jpg`;
  else if (n % Math.floor(total / EDGE_COUNT) === 1) fileName = `${EDGE_TERM}-${n}.jpg`;
  const mime = fileName.endsWith('.jpg') ? 'image/jpeg' : kind.mime;
  const mediaType = mediaTypeOf(mime, fileName);
  const ext = path.extname(fileName).slice(1).toLowerCase();
  const id = `${randomBytes(16).toString('hex')}${ext ? `.${ext}` : ''}`;
  const [lo, hi] = kind.size;
  const size = Math.round(Math.exp(Math.log(lo) + r() * (Math.log(hi) - Math.log(lo))));
  const labels = r() < 0.15 ? [LABELS[Math.floor(r() * LABELS.length)]!] : [];
  const created = NOW - Math.floor(r() * THREE_YEARS_MS);
  const updated = r() < 0.7 ? created : created + Math.floor(r() * (NOW - created));

  let parent = placement.bigFolder;
  if (r() >= 0.9) {
    let x = r() * placement.others.reduce((s, o) => s + o.weight, 0);
    for (const other of placement.others) {
      x -= other.weight;
      if (x < 0) {
        parent = other.id;
        break;
      }
    }
  }
  const trashed = r() < 0.01;
  return {
    id,
    display_name: fileName,
    sort_name: fileName.toLowerCase(),
    search_text: searchTextOf(fileName, mime, labels),
    parent_folder_id: parent,
    location_id: trashed ? 'trash-root' : parent,
    root: 'MEDIA_ROOT',
    scope: trashed ? 'TRASH_ROOT' : 'MEDIA_ROOT',
    state: trashed ? 'DELETED' : 'OK',
    trash_batch: trashed ? id : null,
    mime_type: mime,
    media_type: mediaType,
    size_in_bytes: size,
    hash: createHash('sha256').update(id).digest('hex'),
    private: r() < 0.05 ? 1 : 0,
    labels: JSON.stringify(labels),
    operation_status: 'READY',
    failure_reason: null,
    source_url: null,
    media: mediaJson(mediaType, id, fileName, size, r),
    external_info: null,
    blob_key: originalKey(id),
    assets: '{}',
    created_date: new Date(created).toISOString(),
    updated_date: new Date(updated).toISOString(),
  };
}

const COLUMNS = [
  'id',
  'display_name',
  'sort_name',
  'search_text',
  'parent_folder_id',
  'location_id',
  'root',
  'scope',
  'state',
  'trash_batch',
  'mime_type',
  'media_type',
  'size_in_bytes',
  'hash',
  'private',
  'labels',
  'operation_status',
  'failure_reason',
  'source_url',
  'media',
  'external_info',
  'blob_key',
  'created_date',
  'updated_date',
] as const satisfies readonly (keyof FileRow)[];

/** Makes the `total` rows in BATCH-row batches and hands each batch to `insertBatch`, logging progress. */
async function seedRows(
  total: number,
  placement: Placement,
  insertBatch: (rows: FileRow[]) => void | Promise<void>,
): Promise<void> {
  const r = rng(0x5eed ^ total);
  const started = performance.now();
  let lastReport = 0;
  for (let done = 0; done < total;) {
    const rows: FileRow[] = [];
    const end = Math.min(total, done + BATCH);
    for (let n = done; n < end; n++) rows.push(makeRow(n, r, placement, total));
    await insertBatch(rows);
    done = end;
    if (done - lastReport >= Math.max(BATCH, Math.floor(total / 10)) || done === total) {
      lastReport = done;
      const s = (performance.now() - started) / 1000;
      console.error(
        `  seeded ${done.toLocaleString('en')}/${total.toLocaleString('en')} rows in ${s.toFixed(1)} s (${Math.round(done / s).toLocaleString('en')} rows/s)`,
      );
    }
  }
}

/** Inserts `total` rows through a second connection to the app's database file, BATCH rows per transaction. */
async function seedSqlite(dbFile: string, total: number, placement: Placement): Promise<void> {
  const db = new SQLite(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const insert = db.prepare(
    `insert into files (${COLUMNS.join(', ')}) values (${COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  const insertBatch = db.transaction((rows: FileRow[]) => {
    for (const row of rows) insert.run(row);
  });
  await seedRows(total, placement, insertBatch);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Rows per INSERT on PostgreSQL: 25 columns each, under its limit of 65,535 bound parameters per statement. */
const PG_ROWS_PER_INSERT = 2_500;

/** Inserts `total` rows through Kysely (BATCH rows per transaction, in multi-row INSERTs), then ANALYZEs. */
async function seedPostgres(db: Kysely<Database>, total: number, placement: Placement): Promise<void> {
  await seedRows(total, placement, (rows) =>
    db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += PG_ROWS_PER_INSERT) {
        await trx
          .insertInto('files')
          .values(rows.slice(i, i + PG_ROWS_PER_INSERT))
          .execute();
      }
    }),
  );
  const started = performance.now();
  await sql`analyze files`.execute(db);
  console.error(`  ANALYZE files took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

// ---- the database --------------------------------------------------------------------------------------

/** The metadata database one size runs on, and the bench's own connections to it. */
interface Target {
  dialect: SqlDialect;
  /** What `buildApp` is given; unset: SQLite in the data dir. */
  databaseUrl: string | undefined;
  /** A second Kysely over the app's database (read-only on SQLite), logging its queries to `log` if given. */
  open(log?: (event: LogEvent) => void): Kysely<Database>;
  /** Seeds the rows while the app is closed. */
  seed(total: number, placement: Placement): Promise<void>;
  /** How big the seeded database is, for the log. */
  describeSize(): Promise<string>;
  /** Throws the database away (the data dir is removed by the caller). */
  drop(): Promise<void>;
}

function sqliteTarget(dataDir: string): Target {
  const dbFile = path.join(dataDir, 'metadata.sqlite');
  const mb = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size / 1024 ** 2 : 0);
  return {
    dialect: 'sqlite',
    databaseUrl: undefined,
    open: (log) =>
      new Kysely<Database>({
        dialect: new SqliteDialect({ database: new SQLite(dbFile, { readonly: true }) }),
        ...(log ? { log } : {}),
      }),
    seed: (total, placement) => seedSqlite(dbFile, total, placement),
    describeSize: () =>
      Promise.resolve(
        `metadata.sqlite is ${mb(dbFile).toFixed(0)} MB (WAL ${mb(`${dbFile}-wal`).toFixed(0)} MB)`,
      ),
    drop: () => Promise.resolve(),
  };
}

/**
 * A fresh schema in the database at `baseUrl`, as the tests make them (`createTestSchema`): pg_trgm installed in
 * `public` first, so the migration finds it there rather than installing it in this schema (dropping the schema
 * would then take the extension from every other schema of the database).
 */
async function postgresTarget(baseUrl: string): Promise<Target> {
  const created = await createTestSchema(baseUrl, 'smm_bench');
  const schema = created.name;
  const url = new URL(created.url);
  const open = (log?: (event: LogEvent) => void) =>
    new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 2 }) }),
      ...(log ? { log } : {}),
    });
  return {
    dialect: 'postgres',
    databaseUrl: url.toString(),
    open,
    seed: async (total, placement) => {
      const db = open();
      try {
        await seedPostgres(db, total, placement);
      } finally {
        await db.destroy();
      }
    },
    describeSize: async () => {
      const db = open();
      try {
        const { rows } = await sql<{ version: string; table: string; indexes: string; trgm: string }>`
          select current_setting('server_version') as version,
            pg_size_pretty(pg_table_size('files')) as table,
            pg_size_pretty(pg_indexes_size('files')) as indexes,
            pg_size_pretty(pg_relation_size('files_search_trgm')) as trgm`.execute(db);
        const r = rows[0]!;
        return `PostgreSQL ${r.version}, schema ${schema}: files ${r.table}, its indexes ${r.indexes} (of which files_search_trgm ${r.trgm})`;
      } finally {
        await db.destroy();
      }
    },
    drop: () => created.drop(),
  };
}

// ---- measuring -------------------------------------------------------------------------------------------

interface Stats {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1)!, n: sorted.length };
}

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

interface Scenario {
  name: string;
  /** For deep pages: the name of the first-page scenario it is compared with. */
  firstOf?: string;
  http: { method: 'GET' | 'POST'; path: string; body?: unknown };
  /** The store call the service makes for the same page (limit + 1 rows, as `pageOf` asks). */
  store: {
    filter: ListingFilter;
    column: FileSortColumn;
    order: 'ASC' | 'DESC';
    after: readonly [string | number, string] | null;
  };
  /** What the page must start with, checked once before measuring. */
  expectFirstId?: string;
  expectCount?: number;
}

interface Result {
  scenario: Scenario;
  files: number;
  http: Stats;
  inProcess: Stats;
}

/** Captures the SQL and parameters `store.listFiles` runs, through a second, logging Kysely over the same database. */
async function sqlOf(
  target: Target,
  scenario: Scenario,
): Promise<{ sql: string; parameters: readonly unknown[] }> {
  let captured: { sql: string; parameters: readonly unknown[] } | undefined;
  const db = target.open((event) => {
    if (event.level === 'query') captured = { sql: event.query.sql, parameters: event.query.parameters };
  });
  await new MetadataStore(db).files.listFiles({ ...scenario.store, limit: PAGE + 1 });
  await db.destroy();
  if (!captured) throw new Error('no query captured');
  return captured;
}

/** How the plans are asked for: SQLite's query plan; PostgreSQL's plan as run, with row counts but no times. */
const EXPLAIN: Record<SqlDialect, { prefix: string; column: string }> = {
  sqlite: { prefix: 'explain query plan', column: 'detail' },
  postgres: { prefix: 'explain (analyze, costs off, timing off, summary off)', column: 'QUERY PLAN' },
};

async function explain(
  target: Target,
  query: { sql: string; parameters: readonly unknown[] },
): Promise<string> {
  const { prefix, column } = EXPLAIN[target.dialect];
  const db = target.open();
  try {
    const { rows } = await db.executeQuery<Record<string, string>>(
      CompiledQuery.raw(`${prefix} ${query.sql}`, [...query.parameters]),
    );
    return rows.map((r) => r[column]).join('\n');
  } finally {
    await db.destroy();
  }
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

    const listPath = `/files?parentFolderId=${encodeURIComponent(big.id)}&paging.limit=${PAGE}`;
    const liveFilter: ListingFilter = { locationId: big.id, state: 'OK' };
    const scenarios: Scenario[] = [
      {
        name: 'list first page (updatedDate DESC)',
        http: { method: 'GET', path: listPath },
        store: { filter: liveFilter, column: 'updated_date', order: 'DESC', after: null },
        expectCount: PAGE,
      },
      {
        name: 'list deep page (updatedDate DESC)',
        firstOf: 'list first page (updatedDate DESC)',
        http: {
          method: 'GET',
          path: `/files?paging.limit=${PAGE}&paging.cursor=${encodeURIComponent(deepDefault.cursor)}`,
        },
        store: {
          filter: deepDefault.filter,
          column: 'updated_date',
          order: 'DESC',
          after: deepDefault.position,
        },
        expectFirstId: deepDefault.nextId,
        expectCount: PAGE,
      },
      {
        name: 'list first page (displayName ASC)',
        http: { method: 'GET', path: `${listPath}&sort.fieldName=displayName&sort.order=ASC` },
        store: { filter: liveFilter, column: 'sort_name', order: 'ASC', after: null },
        expectCount: PAGE,
      },
      {
        name: 'list deep page (displayName ASC)',
        firstOf: 'list first page (displayName ASC)',
        http: {
          method: 'GET',
          path: `/files?paging.limit=${PAGE}&paging.cursor=${encodeURIComponent(deepByName.cursor)}`,
        },
        store: { filter: deepByName.filter, column: 'sort_name', order: 'ASC', after: deepByName.position },
        expectFirstId: deepByName.nextId,
        expectCount: PAGE,
      },
      {
        name: `search "${COMMON_TERM}" (${commonCount.toLocaleString('en')} matches)`,
        http: {
          method: 'POST',
          path: '/files/search',
          body: { search: COMMON_TERM, paging: { limit: PAGE } },
        },
        store: {
          filter: { scope: 'MEDIA_ROOT', search: COMMON_TERM },
          column: 'updated_date',
          order: 'DESC',
          after: null,
        },
        expectCount: PAGE,
      },
      {
        name: `search "${MID_TERM}" (${midCount.toLocaleString('en')} matches)`,
        http: { method: 'POST', path: '/files/search', body: { search: MID_TERM, paging: { limit: PAGE } } },
        store: {
          filter: { scope: 'MEDIA_ROOT', search: MID_TERM },
          column: 'updated_date',
          order: 'DESC',
          after: null,
        },
        expectCount: Math.min(PAGE, midCount),
      },
      {
        name: `search "${EDGE_TERM}" (${edgeCount.toLocaleString('en')} matches)`,
        http: { method: 'POST', path: '/files/search', body: { search: EDGE_TERM, paging: { limit: PAGE } } },
        store: {
          filter: { scope: 'MEDIA_ROOT', search: EDGE_TERM },
          column: 'updated_date',
          order: 'DESC',
          after: null,
        },
        expectCount: Math.min(PAGE, edgeCount),
      },
      {
        name: `search "${RARE_TERM}" (${rareCount} matches)`,
        http: { method: 'POST', path: '/files/search', body: { search: RARE_TERM, paging: { limit: PAGE } } },
        store: {
          filter: { scope: 'MEDIA_ROOT', search: RARE_TERM },
          column: 'updated_date',
          order: 'DESC',
          after: null,
        },
        expectCount: Math.min(PAGE, rareCount),
      },
      {
        name: `trash listing (${trashCount.toLocaleString('en')} in trash)`,
        http: { method: 'GET', path: `/trash-bin/files?paging.limit=${PAGE}` },
        store: {
          filter: { locationId: 'trash-root', state: 'DELETED' },
          column: 'updated_date',
          order: 'DESC',
          after: null,
        },
        expectCount: PAGE,
      },
    ];

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
      const query = await sqlOf(target, s);
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

// ---- report ----------------------------------------------------------------------------------------------

const ms = (v: number) => v.toFixed(2);

function report(all: Result[], plans: Map<number, Map<string, { sql: string; plan: string }>>): void {
  const lines: string[] = [];
  lines.push(
    '| Scenario | N files | HTTP p50 ms | HTTP p95 ms | HTTP max ms | in-process p50 ms | in-process p95 ms | in-process max ms | deep/first (p50, HTTP / in-process) | samples |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  const ratio = (r: Result) => {
    if (!r.scenario.firstOf) return undefined;
    const first = all.find((x) => x.files === r.files && x.scenario.name === r.scenario.firstOf);
    if (!first) return undefined;
    return { http: r.http.p50 / first.http.p50, inProcess: r.inProcess.p50 / first.inProcess.p50 };
  };
  for (const r of all) {
    const q = ratio(r);
    lines.push(
      `| ${r.scenario.name} | ${r.files.toLocaleString('en')} | ${ms(r.http.p50)} | ${ms(r.http.p95)} | ${ms(r.http.max)} | ${ms(r.inProcess.p50)} | ${ms(r.inProcess.p95)} | ${ms(r.inProcess.max)} | ${q ? `${q.http.toFixed(2)} / ${q.inProcess.toFixed(2)}` : ''} | ${r.http.n} / ${r.inProcess.n} |`,
    );
  }
  console.log(lines.join('\n'));

  console.log('\nGoals:');
  const largest = Math.max(...all.map((r) => r.files));
  const goalSize = all.some((r) => r.files >= GOAL_AT) ? largest : undefined;
  if (goalSize === undefined)
    console.log(
      `- (the p95 goal is for ${GOAL_AT.toLocaleString('en')} files; shown here for ${largest.toLocaleString('en')})`,
    );
  for (const r of all.filter((x) => x.files === largest)) {
    const pass = r.http.p95 < GOAL_P95_MS;
    console.log(
      `- ${pass ? 'PASS' : 'FAIL'} p95 < ${GOAL_P95_MS} ms at ${r.files.toLocaleString('en')} files: ${r.scenario.name}: HTTP p95 ${ms(r.http.p95)} ms${pass ? '' : ` (${(r.http.p95 / GOAL_P95_MS).toFixed(1)}x the goal, +${ms(r.http.p95 - GOAL_P95_MS)} ms)`}`,
    );
  }
  for (const r of all) {
    const q = ratio(r);
    if (!q) continue;
    const pass = q.http <= GOAL_DEEP_RATIO;
    console.log(
      `- ${pass ? 'PASS' : 'FAIL'} deep page within ${GOAL_DEEP_RATIO}x of the first page at ${r.files.toLocaleString('en')} files: ${r.scenario.name}: ${q.http.toFixed(2)}x (HTTP p50), ${q.inProcess.toFixed(2)}x (in-process p50)`,
    );
  }

  console.log(
    DATABASE_URL === undefined
      ? '\nEXPLAIN QUERY PLAN of each scenario (as `store.listFiles` runs it):'
      : `\n${EXPLAIN.postgres.prefix.toUpperCase()} of each scenario (as \`store.listFiles\` runs it):`,
  );
  for (const [size, bySize] of plans) {
    if (size !== largest) continue;
    for (const [name, { sql, plan }] of bySize) {
      console.log(`\n${name} (${size.toLocaleString('en')} files)\n\n\`\`\`\n${sql}\n--\n${plan}\n\`\`\``);
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
  report(all, plans);
}

await main();
