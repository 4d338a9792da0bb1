import { sql } from 'kysely';
import type { MetadataStore } from './metadata-store.ts';
import type { FileRow, Scope } from './schema.ts';
import { recomputeStorageTotals } from './storage-totals-schema.ts';

export interface AreaMediaTotal {
  scope: Scope;
  mediaType: string;
  files: number;
  bytes: number;
}

export interface FolderTotal {
  id: string;
  displayName: string;
  files: number;
  bytes: number;
}

export interface DuplicateTotals {
  duplicateFiles: number;
  wastedBytes: number;
}

/** The aggregates themselves, as kept or as recomputed from `files`, in a comparable form. */
export interface StorageAggregates {
  totals: Map<string, { files: number; bytes: number }>;
  folders: Map<string, { files: number; bytes: number }>;
  hashGroups: number;
  duplicates: DuplicateTotals;
}

export type LargestFileRow = Pick<
  FileRow,
  'id' | 'display_name' | 'size_in_bytes' | 'media_type' | 'mime_type' | 'parent_folder_id' | 'scope'
>;

/**
 * The Storage page's reads: the aggregates that triggers keep (migration 0015, storage-totals-schema.ts), and
 * the few index-bounded queries around them. Nothing here reads `files` row by row except `recomputed` (the
 * data check).
 */
export class StorageStore {
  constructor(private readonly store: MetadataStore) {}

  private get db() {
    return this.store.db;
  }

  async totals(): Promise<AreaMediaTotal[]> {
    const rows = await this.db.selectFrom('storage_totals').selectAll().where('file_count', '>', 0).execute();
    return rows.map((r) => ({
      scope: r.scope,
      mediaType: r.media_type,
      files: Number(r.file_count),
      bytes: Number(r.bytes),
    }));
  }

  async duplicates(): Promise<DuplicateTotals> {
    const row = await this.db
      .selectFrom('storage_duplicates')
      .selectAll()
      .where('id', '=', 'site')
      .executeTakeFirst();
    return { duplicateFiles: Number(row?.duplicate_files ?? 0), wastedBytes: Number(row?.wasted_bytes ?? 0) };
  }

  /** Live files directly in a folder or root (not in its subfolders). */
  async directTotal(folderId: string): Promise<{ files: number; bytes: number }> {
    const row = await this.db
      .selectFrom('storage_folders')
      .selectAll()
      .where('folder_id', '=', folderId)
      .executeTakeFirst();
    return { files: Number(row?.file_count ?? 0), bytes: Number(row?.bytes ?? 0) };
  }

  /**
   * The live top-level folders of a root with the most bytes in their live subtrees. The walk reads the live
   * folders under the root (parent index) and one `storage_folders` row each: its cost follows the number of
   * folders, not of files.
   */
  async topFolders(rootId: string, limit: number): Promise<FolderTotal[]> {
    const { rows } = await this.topFoldersQuery(rootId, limit).execute(this.db);
    return rows.map((r) => ({
      id: r.id,
      displayName: r.display_name,
      files: Number(r.files),
      bytes: Number(r.bytes),
    }));
  }

  /**
   * The query of `topFolders` (tests read its plan). Its recursive step runs once per folder walked, so it
   * must be one index lookup: once the database has statistics (`ANALYZE`, `PRAGMA optimize`), SQLite's planner
   * preferred an automatic index on `state` there, built again for every folder (quadratic in the folders: 0.6-0.9 s
   * of the Storage page's 0.7 s at 2,050 folders, docs/benchmarks.md), or a scan of the folders. So on SQLite
   * the step names its index, and CROSS JOIN (which SQLite never reorders; the same join elsewhere) keeps the
   * one queued folder outside and the lookups inside.
   */
  topFoldersQuery(rootId: string, limit: number) {
    const byParent = this.store.dialect === 'sqlite' ? sql`indexed by folders_parent` : sql``;
    return sql<{ id: string; display_name: string; files: number | string; bytes: number | string }>`
      with recursive tops (top_id, id) as (
        select id, id from folders where parent_folder_id = ${rootId} and state = 'OK'
        union all
        select tops.top_id, child.id from tops cross join folders child ${byParent}
        where child.parent_folder_id = tops.id and child.state = 'OK'
      ),
      sums as (
        select tops.top_id, sum(s.file_count) as files, sum(s.bytes) as bytes
        from tops cross join storage_folders s where s.folder_id = tops.id group by tops.top_id
      )
      select f.id, f.display_name, sums.files, sums.bytes
      from sums cross join folders f where f.id = sums.top_id
      order by sums.bytes desc, f.id limit ${limit}`;
  }

  /** The largest live files: a walk of `files_size_id` from its end, skipping trashed rows. */
  async largestFiles(limit: number): Promise<LargestFileRow[]> {
    const rows = await this.db
      .selectFrom('files')
      .select(['id', 'display_name', 'size_in_bytes', 'media_type', 'mime_type', 'parent_folder_id', 'scope'])
      .where('scope', '<>', 'TRASH_ROOT')
      .orderBy('size_in_bytes', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, size_in_bytes: Number(r.size_in_bytes) }));
  }

  /** What the triggers keep, in comparable form. */
  async maintained(): Promise<StorageAggregates> {
    const totals = await this.db
      .selectFrom('storage_totals')
      .selectAll()
      .where('file_count', '<>', 0)
      .execute();
    const folders = await this.db.selectFrom('storage_folders').selectAll().execute();
    const groups = await this.db
      .selectFrom('storage_hashes')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return {
      totals: new Map(totals.map((r) => [`${r.scope}/${r.media_type}`, pair(r.file_count, r.bytes)])),
      folders: new Map(folders.map((r) => [r.folder_id, pair(r.file_count, r.bytes)])),
      hashGroups: Number(groups.n),
      duplicates: await this.duplicates(),
    };
  }

  /** The same figures computed from `files` by full scans: what the maintained ones must equal. */
  async recomputed(): Promise<StorageAggregates> {
    const totals = await this.db
      .selectFrom('files')
      .select(['scope', 'media_type'])
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('size_in_bytes').as('bytes')])
      .groupBy(['scope', 'media_type'])
      .execute();
    const folders = await this.db
      .selectFrom('files')
      .select('parent_folder_id')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('size_in_bytes').as('bytes')])
      .where('scope', '<>', 'TRASH_ROOT')
      .groupBy('parent_folder_id')
      .execute();
    const { rows } = await sql<{ groups: number | string; dup: number | string; wasted: number | string }>`
      select count(*) as groups, coalesce(sum(n - 1), 0) as dup, coalesce(sum((n - 1) * size), 0) as wasted
      from (select hash, count(*) as n, min(size_in_bytes) as size from files
            where scope <> 'TRASH_ROOT' and hash <> '' group by hash) as g`.execute(this.db);
    const dup = rows[0];
    return {
      totals: new Map(totals.map((r) => [`${r.scope}/${r.media_type}`, pair(r.n, r.bytes)])),
      folders: new Map(folders.map((r) => [r.parent_folder_id, pair(r.n, r.bytes)])),
      hashGroups: Number(dup?.groups ?? 0),
      duplicates: { duplicateFiles: Number(dup?.dup ?? 0), wastedBytes: Number(dup?.wasted ?? 0) },
    };
  }

  /** Rebuilds the aggregates from `files`, in one transaction (writes wait meanwhile). */
  async recompute(): Promise<void> {
    await this.store.transaction(async () => recomputeStorageTotals(this.db as never));
  }
}

function pair(files: number | string | bigint, bytes: number | string | bigint | null) {
  return { files: Number(files), bytes: Number(bytes ?? 0) };
}

/** The keys whose figures differ between two sets of aggregates (empty: they agree). */
export function aggregateDifferences(a: StorageAggregates, b: StorageAggregates): string[] {
  const out: string[] = [];
  for (const [name, left, right] of [
    ['totals', a.totals, b.totals],
    ['folders', a.folders, b.folders],
  ] as const) {
    for (const key of new Set([...left.keys(), ...right.keys()])) {
      const x = left.get(key);
      const y = right.get(key);
      if (x?.files !== y?.files || x?.bytes !== y?.bytes) {
        out.push(`${name} ${key}: ${JSON.stringify(x ?? null)} != ${JSON.stringify(y ?? null)}`);
      }
    }
  }
  if (a.hashGroups !== b.hashGroups) out.push(`hash groups: ${a.hashGroups} != ${b.hashGroups}`);
  if (
    a.duplicates.duplicateFiles !== b.duplicates.duplicateFiles ||
    a.duplicates.wastedBytes !== b.duplicates.wastedBytes
  ) {
    out.push(`duplicates: ${JSON.stringify(a.duplicates)} != ${JSON.stringify(b.duplicates)}`);
  }
  return out;
}
