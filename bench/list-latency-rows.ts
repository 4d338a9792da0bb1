/**
 * The rows of the list-latency benchmark (`list-latency.ts`): a camera-roll library of N files, mostly in one
 * big folder, with realistic names (so searches match many, some or few rows: the `*_TERM`s), sizes, dates and
 * a share in the trash. Its own shape, not the Storage page's (`library-seed.ts`): the search terms and the big
 * folder are what this benchmark measures; the PRNG is shared.
 */
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { MediaType } from '../src/contract/index.ts';
import { initialMedia } from '../src/server/services/file-rows.ts';
import { searchTextOf } from '../src/server/services/file-service.ts';
import { mediaTypeOf } from '../src/server/services/media-types.ts';
import { originalKey } from '../src/server/services/file-rows.ts';
import type { Database, FileRow } from '../src/server/stores/schema.ts';
import { rng } from './library-seed.ts';

/** Rows per transaction. */
const BATCH = 10_000;

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

/** The `media` JSON the upload service stores at ingest (`initialMedia`), with an image's dimensions filled in. */
function mediaJson(
  mediaType: MediaType,
  id: string,
  fileName: string,
  size: number,
  r: () => number,
): string {
  const media = initialMedia(mediaType, id, fileName, size);
  const image = media.image ?? media.vector;
  if (image) {
    image.image.width = 400 + Math.floor(r() * 3600);
    image.image.height = 300 + Math.floor(r() * 2700);
  }
  return JSON.stringify(media);
}

const LABELS = ['summer', 'team', 'product', 'event', 'archive', 'press', 'draft'];
const THREE_YEARS_MS = 3 * 365 * 24 * 3600_000;
const NOW = Date.parse('2025-06-01T12:00:00.000Z');

/** The few rows the "few matches" search finds. */
export const RARE_TERM = 'zebra';
const RARE_COUNT = 20;
/** A term of middling frequency, found through the trigram index (below its 20,000-candidate limit). */
export const MID_TERM = 'quokka';
const MID_COUNT = 6000;
/**
 * Just above the store's trigram candidate limit (20,000): the worst case of the search planner, which then
 * walks the sort index and meets a match only every N/25,000 rows.
 */
export const EDGE_TERM = 'wombat';
const EDGE_COUNT = 25_000;
/** Matches a large share of the library (JPEG names of one year). */
export const COMMON_TERM = 'img_2023';

export interface Placement {
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
export async function seedSqlite(dbFile: string, total: number, placement: Placement): Promise<void> {
  const db = new SQLite(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  let insert: SQLite.Statement | undefined;
  const insertBatch = db.transaction((rows: FileRow[]) => {
    // Every column of the row, as the app's own inserts write them.
    const columns = Object.keys(rows[0]!);
    insert ??= db.prepare(
      `insert into files (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
    );
    for (const row of rows) insert.run(row);
  });
  await seedRows(total, placement, insertBatch);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Rows per INSERT on PostgreSQL: 25 columns each, under its limit of 65,535 bound parameters per statement. */
const PG_ROWS_PER_INSERT = 2_500;

/** Inserts `total` rows through Kysely (BATCH rows per transaction, in multi-row INSERTs), then ANALYZEs. */
export async function seedPostgres(db: Kysely<Database>, total: number, placement: Placement): Promise<void> {
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
