import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { searchTextOf } from '../src/server/services/file-service.ts';
import { mediaTypeOf } from '../src/server/services/media-types.ts';
import { originalKey } from '../src/server/services/upload-service.ts';
import type { FileRow, FolderRow } from '../src/server/stores/schema.ts';

/**
 * Seeds a library of N files straight into an app's SQLite database (migrated, app closed), for the Storage page
 * and bulk-by-filter benchmarks: a folder tree (top-level folders with subfolders) in Site Files, a few folders
 * in Visitor Uploads, mixed media types and sizes, a share of duplicates (same hash and size as an earlier file)
 * and a share of files trashed on their own. The rows go in through the triggers of migration 0015, as the
 * app's writes do, so the aggregates are the maintained ones (and their insert cost is in the seeding time).
 */

export interface LibraryShape {
  files: number;
  topFolders: number;
  subfoldersEach: number;
  visitorFolders: number;
  /** Shares of the files: directly in a root, in Visitor Uploads, trashed (on their own), duplicates. */
  atRoot: number;
  visitor: number;
  trashed: number;
  duplicates: number;
}

export const DEFAULT_SHAPE: LibraryShape = {
  files: 1_000_000,
  topFolders: 40,
  subfoldersEach: 50,
  visitorFolders: 10,
  atRoot: 0.03,
  visitor: 0.05,
  trashed: 0.05,
  duplicates: 0.03,
};

/** Small fast PRNG (mulberry32), seeded so every run seeds the same library. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const KINDS: { weight: number; mime: string; ext: string; size: [number, number] }[] = [
  { weight: 60, mime: 'image/jpeg', ext: 'jpg', size: [300_000, 12_000_000] },
  { weight: 10, mime: 'image/png', ext: 'png', size: [50_000, 4_000_000] },
  { weight: 10, mime: 'video/mp4', ext: 'mp4', size: [2_000_000, 900_000_000] },
  { weight: 8, mime: 'application/pdf', ext: 'pdf', size: [20_000, 8_000_000] },
  { weight: 6, mime: 'audio/mpeg', ext: 'mp3', size: [1_000_000, 15_000_000] },
  { weight: 3, mime: 'application/zip', ext: 'zip', size: [100_000, 500_000_000] },
  { weight: 3, mime: 'image/svg+xml', ext: 'svg', size: [1_000, 200_000] },
];
const KIND_TOTAL = KINDS.reduce((s, k) => s + k.weight, 0);

const NOW = Date.parse('2025-06-01T12:00:00.000Z');
const YEAR_MS = 365 * 24 * 3600_000;
const BATCH = 10_000;

const FILE_COLUMNS = [
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

export interface SeededLibrary {
  /** Folder ids of Site Files (top-level and sub) and of Visitor Uploads. */
  siteFolders: string[];
  visitorFolders: string[];
  seconds: number;
}

export function seedLibrary(dbFile: string, shape: LibraryShape = DEFAULT_SHAPE): SeededLibrary {
  const db = new SQLite(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const r = rng(0x5eed ^ shape.files);
  const started = performance.now();
  const iso = (ms: number) => new Date(ms).toISOString();

  const folderRows: FolderRow[] = [];
  const folder = (id: string, name: string, parent: string, root: FolderRow['root']): FolderRow => ({
    id,
    parent_folder_id: parent,
    location_id: parent,
    root,
    scope: root,
    state: 'OK',
    trash_batch: null,
    display_name: name,
    sort_name: name.toLowerCase(),
    created_date: iso(NOW - YEAR_MS),
    updated_date: iso(NOW - YEAR_MS),
  });
  const siteFolders: string[] = [];
  for (let t = 0; t < shape.topFolders; t++) {
    const top = `bench-top-${t}`;
    folderRows.push(folder(top, `Collection ${t}`, 'media-root', 'MEDIA_ROOT'));
    siteFolders.push(top);
    for (let s = 0; s < shape.subfoldersEach; s++) {
      const sub = `bench-sub-${t}-${s}`;
      folderRows.push(folder(sub, `Album ${t}.${s}`, top, 'MEDIA_ROOT'));
      siteFolders.push(sub);
    }
  }
  const visitorFolders: string[] = [];
  for (let v = 0; v < shape.visitorFolders; v++) {
    const id = `bench-visitor-${v}`;
    folderRows.push(folder(id, `Submissions ${v}`, 'visitor-uploads', 'VISITOR_UPLOADS_ROOT'));
    visitorFolders.push(id);
  }
  const folderColumns = Object.keys(folderRows[0]!);
  const insertFolder = db.prepare(
    `insert into folders (${folderColumns.join(', ')}) values (${folderColumns.map((c) => `@${c}`).join(', ')})`,
  );
  db.transaction(() => folderRows.forEach((f) => insertFolder.run(f)))();

  // Rows go in with the indexes and triggers of `files` dropped, which are then made again: building an index
  // from sorted rows is many times faster than growing it row by row, and on this shared 2-core machine row by
  // row took most of an hour for 1M rows. So the aggregates of migration 0015 are not kept during the seeding:
  // the caller recomputes them (`StorageStore.recompute`, what the migration's backfill does), and the triggers
  // keep them from then on. The FTS5 search index stays empty of the seeded rows (neither benchmark searches).
  const schemaObjects = db
    .prepare(
      `select type, name, sql from sqlite_master where tbl_name = 'files' and type in ('index', 'trigger') and sql is not null`,
    )
    .all() as { type: string; name: string; sql: string }[];
  for (const o of schemaObjects) db.exec(`drop ${o.type} ${o.name}`);
  const insertFile = db.prepare(
    `insert into files (${FILE_COLUMNS.join(', ')}) values (${FILE_COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  const insertBatch = db.transaction((rows: FileRow[]) => rows.forEach((row) => insertFile.run(row)));
  /** Earlier files a duplicate copies (hash and size). */
  const originals: { hash: string; size: number; mime: string; ext: string }[] = [];
  let bytes = 0;
  for (let done = 0; done < shape.files;) {
    const rows: FileRow[] = [];
    const end = Math.min(shape.files, done + BATCH);
    for (let n = done; n < end; n++) {
      let x = r() * KIND_TOTAL;
      let kind = KINDS[0]!;
      for (const k of KINDS) {
        x -= k.weight;
        if (x < 0) {
          kind = k;
          break;
        }
      }
      const id = `${n.toString(16).padStart(8, '0')}${((n * 2654435761) >>> 0).toString(16).padStart(8, '0')}.${kind.ext}`;
      let size = Math.round(Math.exp(Math.log(kind.size[0]) + r() * Math.log(kind.size[1] / kind.size[0])));
      let hash = createHash('sha256').update(id).digest('hex');
      let mime = kind.mime;
      let ext = kind.ext;
      const copy =
        originals.length > 0 && r() < shape.duplicates
          ? originals[Math.floor(r() * originals.length)]
          : undefined;
      if (copy) ({ hash, size, mime, ext } = copy);
      else if (originals.length < 50_000 && r() < 0.05) originals.push({ hash, size, mime, ext });
      const place = r();
      let parent: string;
      let root: FileRow['root'] = 'MEDIA_ROOT';
      if (place < shape.atRoot) parent = 'media-root';
      else if (place < shape.atRoot + shape.visitor) {
        root = 'VISITOR_UPLOADS_ROOT';
        parent = r() < 0.2 ? 'visitor-uploads' : visitorFolders[Math.floor(r() * visitorFolders.length)]!;
      } else parent = siteFolders[Math.floor(r() * siteFolders.length)]!;
      const trashed = r() < shape.trashed;
      const name = `${copy ? 'copy-' : ''}file-${n}.${ext}`;
      const created = NOW - Math.floor(r() * YEAR_MS);
      const mediaType = mediaTypeOf(mime, name);
      bytes += size;
      rows.push({
        id,
        display_name: name,
        sort_name: name.toLowerCase(),
        search_text: searchTextOf(name, mime, []),
        parent_folder_id: parent,
        location_id: trashed ? 'trash-root' : parent,
        root,
        scope: trashed ? 'TRASH_ROOT' : root,
        state: trashed ? 'DELETED' : 'OK',
        trash_batch: trashed ? id : null,
        mime_type: mime,
        media_type: mediaType,
        size_in_bytes: size,
        hash,
        private: 0,
        labels: '[]',
        operation_status: 'READY',
        failure_reason: null,
        source_url: null,
        media: JSON.stringify({ document: { id, url: '', filename: name, sizeInBytes: String(size) } }),
        external_info: null,
        blob_key: originalKey(id),
        assets: '{}',
        created_date: iso(created),
        updated_date: iso(trashed ? created + Math.floor(r() * (NOW - created)) : created),
      });
    }
    insertBatch(rows);
    done = end;
    if (done % 100_000 === 0 || done === shape.files) {
      const s = (performance.now() - started) / 1000;
      console.error(`  seeded ${done.toLocaleString('en')} files in ${s.toFixed(1)} s`);
    }
  }
  const indexStarted = performance.now();
  for (const o of schemaObjects.filter((x) => x.type === 'index')) db.exec(o.sql);
  for (const o of schemaObjects.filter((x) => x.type === 'trigger')) db.exec(o.sql);
  console.error(`  indexes built in ${((performance.now() - indexStarted) / 1000).toFixed(1)} s`);
  // The site's running usage total (kept by the repositories, not by triggers), as the app would have it.
  db.prepare(`update site_usage set bytes = bytes + ?`).run(bytes);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('analyze');
  db.close();
  return { siteFolders, visitorFolders, seconds: (performance.now() - started) / 1000 };
}

export interface Stats {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? 0, n: sorted.length };
}
