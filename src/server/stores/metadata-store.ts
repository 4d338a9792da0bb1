import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import { TRASH_ROOT_ID, type SortOrder } from '../../contract/index.ts';
import { dialectOf, type SqlDialect } from './dialect.ts';
import { migrateToLatest } from './migrations.ts';
import { ensureSlack, isSqliteFull, releaseSlack } from './sqlite.ts';
import type {
  Database,
  FileRow,
  FileUpdate,
  FolderRow,
  FolderUpdate,
  JobRow,
  NewFileRow,
  NewFolderRow,
  Scope,
  ZipDownloadRow,
} from './schema.ts';

export type LiveRoot = 'MEDIA_ROOT' | 'VISITOR_UPLOADS_ROOT';
export type FolderSortColumn = 'sort_name' | 'updated_date';
export type FileSortColumn = FolderSortColumn | 'size_in_bytes';
export type SortValue = string | number;

/** Where a page of a listing starts: the sort value and id of the last item of the previous page. */
export type KeysetPosition = readonly [SortValue, string];

/** The columns of a file a zip needs: its entry's name, bytes, size and date, and whether it has bytes yet. */
export type ZipFileRow = Pick<
  FileRow,
  'id' | 'sort_name' | 'display_name' | 'blob_key' | 'size_in_bytes' | 'created_date' | 'hash'
>;

export interface ListingFilter {
  /** Items shown in this listing (a folder id, or `trash-root`). */
  locationId?: string;
  /** Items in this search scope (every depth). */
  scope?: Scope;
  state?: 'OK' | 'DELETED';
  /** Lower-cased substring of `sort_name` (folders) or `search_text` (files). */
  search?: string;
  mediaTypes?: string[];
  private?: boolean;
}

export interface PageQuery<C extends string> {
  filter: ListingFilter;
  column: C;
  order: SortOrder;
  after: KeysetPosition | null;
  /** Rows to return; callers ask for one more than a page to learn whether there is a next one. */
  limit: number;
}

type Db = Kysely<Database> | Transaction<Database>;

/** Ids per `IN (...)` list: well below SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Rows of the sort order a search looks at before it asks the trigram index: a term in more than ~1 in 20 files
 * fills a page within them.
 */
const SEARCH_PROBE_ROWS = 1000;
const TRIGRAM_CANDIDATES_MAX = 20_000;
const PG_TRIGRAM_CANDIDATES_MAX = 2_000;

/**
 * First key of the PostgreSQL advisory lock that makes store transactions run one at a time (the second key is
 * the schema's name hashed, so instances in other schemas do not wait for each other).
 */
const TRANSACTION_LOCK = 0x534d4d; // 'SMM'

/** An FTS5 phrase matching the text as a substring (trigram tokenizer); quotes are doubled. */
function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** LIKE pattern for a substring, with the pattern characters escaped (`ESCAPE '\'`). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * `column LIKE '%text%'`. Both sides are lower-cased by the callers, so PostgreSQL's case-sensitive LIKE and
 * SQLite's ASCII-case-insensitive one match the same rows.
 */
function contains(column: string, text: string) {
  return sql<boolean>`${sql.ref(column)} like ${containsPattern(text)} escape '\\'`;
}

/**
 * Applies the filter, the keyset position and the order of one listing. Every listing runs on an index that
 * starts with (location_id | scope, sort column, id), so a deep page costs what the first page costs.
 */
function applyPage<QB extends SelectQueryBuilder<Database, 'folders' | 'files', object>>(
  qb: QB,
  query: PageQuery<string>,
  searchColumn: 'sort_name' | 'search_text',
  /**
   * The rows come from a short candidate list (the trigram plan on SQLite): then no index may drive the query,
   * or SQLite walks a sort index testing each row against the list. A unary `+` keeps a column out of index
   * planning (SQLite only: PostgreSQL has no unary `+` for text).
   */
  candidatesDriven = false,
): QB {
  const { filter, column, order, after, limit } = query;
  let q = qb as SelectQueryBuilder<Database, 'folders' | 'files', object>;
  const direction = order === 'ASC' ? sql`asc` : sql`desc`;
  const col = (name: string) => (candidatesDriven ? sql`+${sql.ref(name)}` : sql.ref(name));
  if (filter.locationId !== undefined)
    q = q.where(sql<boolean>`${col('location_id')} = ${filter.locationId}`);
  if (filter.scope !== undefined) q = q.where(sql<boolean>`${col('scope')} = ${filter.scope}`);
  if (filter.state !== undefined) q = q.where('state', '=', filter.state);
  if (filter.search) q = q.where(contains(searchColumn, filter.search));
  if (after) {
    const op = order === 'ASC' ? sql`>` : sql`<`;
    q = q.where(sql<boolean>`(${col(column)}, ${col('id')}) ${op} (${after[0]}, ${after[1]})`);
  }
  q = q
    .orderBy(sql`${col(column)} ${direction}`)
    .orderBy(sql`${col('id')} ${direction}`)
    .limit(limit);
  return q as QB;
}

/**
 * The metadata store: the only place that speaks SQL. One Kysely schema on SQLite or PostgreSQL; the SQL stays
 * within what both run (row values, recursive CTEs, LIKE ... ESCAPE, RETURNING) except where `dialect` says
 * otherwise: the trigram search index (FTS5 / pg_trgm), planner hints, and row locks.
 */
export class MetadataStore {
  /** The transaction of the current async context, if any: every method joins it. */
  private readonly currentTransaction = new AsyncLocalStorage<Transaction<Database>>();
  readonly dialect: SqlDialect;

  /** Above this many files containing a term, walking the sort index finds a page sooner than sorting them. */
  private readonly trigramCandidatesMax: number;

  constructor(
    private readonly root: Kysely<Database>,
    trigramCandidatesMax?: number,
    /** Rows of the sort order a search tries first (lowered by tests to reach the other plans with few rows). */
    private readonly searchProbeRows = SEARCH_PROBE_ROWS,
  ) {
    this.dialect = dialectOf(root);
    // Counting the candidates is cheap on SQLite (FTS5 reads its index only) and costs a table page per
    // candidate on PostgreSQL (pg_trgm rechecks every row), so PostgreSQL switches to walking much sooner.
    this.trigramCandidatesMax =
      trigramCandidatesMax ??
      (this.dialect === 'postgres' ? PG_TRIGRAM_CANDIDATES_MAX : TRIGRAM_CANDIDATES_MAX);
  }

  /**
   * The connection to use: the caller's transaction when one is open. SQLite has one connection, so a query
   * made outside an open transaction would wait for it forever; joining it makes that impossible. On
   * PostgreSQL it keeps a transaction's reads and writes on the transaction's pooled connection.
   */
  get db(): Db {
    return this.currentTransaction.getStore() ?? this.root;
  }

  async migrate(): Promise<void> {
    await migrateToLatest(this.root as unknown as Kysely<unknown>);
  }

  async close(): Promise<void> {
    await this.root.destroy();
  }

  /**
   * Runs `work` in one transaction; nested calls join the outer one.
   *
   * The services read, check and write inside one transaction (the quota check before an insert, find-or-create
   * of a folder path, a job's "still pending?" before it completes) and rely on no other transaction running
   * in between, which SQLite guarantees by having one writer. PostgreSQL's default isolation does not, so there
   * each transaction first takes a transaction-scoped advisory lock: store transactions run one at a time, also
   * across server instances sharing the database. Statements outside a transaction do not take it; they are
   * atomic on their own (conditional UPDATE ... RETURNING, SKIP LOCKED for jobs).
   */
  async transaction<T>(work: (store: MetadataStore) => Promise<T>): Promise<T> {
    if (this.currentTransaction.getStore()) return work(this);
    try {
      return await this.runTransaction(work);
    } catch (error) {
      // The disk is full: SQLite rolled the transaction back. With the room of the slack file it runs again,
      // once (`work` only touches the store, so running it again is running it once).
      if (!isSqliteFull(error) || !releaseSlack(this.root)) throw error;
      return this.runTransaction(work);
    }
  }

  /**
   * Makes the SQLite slack file again when it was used up and the volume has room (see `SqliteSlack`); nothing
   * on PostgreSQL.
   */
  keepSlack(): void {
    ensureSlack(this.root);
  }

  private runTransaction<T>(work: (store: MetadataStore) => Promise<T>): Promise<T> {
    return this.root.transaction().execute((trx) =>
      this.currentTransaction.run(trx, async () => {
        if (this.dialect === 'postgres') {
          await sql`select pg_advisory_xact_lock(${TRANSACTION_LOCK}, hashtext(current_schema()))`.execute(
            trx,
          );
        }
        return work(this);
      }),
    );
  }

  // ---- folders -------------------------------------------------------------------------------------------

  getFolder(id: string): Promise<FolderRow | undefined> {
    return this.db.selectFrom('folders').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertFolder(row: NewFolderRow): Promise<void> {
    await this.db.insertInto('folders').values(row).execute();
  }

  async updateFolder(id: string, patch: FolderUpdate): Promise<void> {
    await this.db.updateTable('folders').set(patch).where('id', '=', id).execute();
  }

  listFolders(query: PageQuery<FolderSortColumn>): Promise<FolderRow[]> {
    return applyPage(this.db.selectFrom('folders').selectAll(), query, 'sort_name').execute();
  }

  /** A live folder with this display name under a parent, for `filePath` lookups. */
  findLiveChildFolder(parentId: string, displayName: string): Promise<FolderRow | undefined> {
    return this.db
      .selectFrom('folders')
      .selectAll()
      .where('location_id', '=', parentId)
      .where('state', '=', 'OK')
      .where('display_name', '=', displayName)
      .orderBy('created_date')
      .orderBy('id')
      .executeTakeFirst();
  }

  /** Ids of the folder's ancestors, nearest first (roots are not rows, so they are not included). */
  async ancestorIds(folderId: string): Promise<string[]> {
    const rows = await this.db
      .withRecursive('up(id, parent_folder_id, depth)', (db) =>
        db
          .selectFrom('folders')
          .select(['id', 'parent_folder_id', sql<number>`0`.as('depth')])
          .where('id', '=', folderId)
          .unionAll(
            db
              .selectFrom('folders as f')
              .innerJoin('up', 'up.parent_folder_id', 'f.id')
              .select(['f.id', 'f.parent_folder_id', sql<number>`up.depth + 1`.as('depth')]),
          ),
      )
      .selectFrom('up')
      .select('id')
      .where('id', '!=', folderId)
      .orderBy('depth')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Ids of the given folders and of every folder below them, whatever their state. */
  async subtreeFolderIds(folderIds: readonly string[]): Promise<string[]> {
    if (folderIds.length === 0) return [];
    const found = new Set<string>();
    for (const part of chunks(folderIds)) {
      const rows = await this.db
        .withRecursive('down(id)', (db) =>
          db
            .selectFrom('folders')
            .select('id')
            .where('id', 'in', part)
            .union(
              db.selectFrom('folders as f').innerJoin('down', 'down.id', 'f.parent_folder_id').select('f.id'),
            ),
        )
        .selectFrom('down')
        .select('id')
        .execute();
      for (const row of rows) found.add(row.id);
    }
    return [...found];
  }

  /** Moves the folder's whole subtree (folders and files, live or trashed) into another live root. */
  async setSubtreeRoot(folderId: string, root: LiveRoot): Promise<void> {
    const ids = await this.subtreeFolderIds([folderId]);
    for (const part of chunks(ids)) {
      for (const table of ['folders', 'files'] as const) {
        const column = table === 'folders' ? 'id' : 'parent_folder_id';
        await this.db
          .updateTable(table)
          .set({ root, scope: sql`case when state = 'OK' then ${root} else scope end` })
          .where(column, 'in', part)
          .execute();
      }
    }
  }

  // ---- files ---------------------------------------------------------------------------------------------

  getFile(id: string): Promise<FileRow | undefined> {
    return this.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async getFiles(ids: readonly string[]): Promise<FileRow[]> {
    const out: FileRow[] = [];
    for (const part of chunks(ids)) {
      out.push(...(await this.db.selectFrom('files').selectAll().where('id', 'in', part).execute()));
    }
    return out;
  }

  async getFolders(ids: readonly string[]): Promise<FolderRow[]> {
    const out: FolderRow[] = [];
    for (const part of chunks(ids)) {
      out.push(...(await this.db.selectFrom('folders').selectAll().where('id', 'in', part).execute()));
    }
    return out;
  }

  /** Inserts a file and adds its size to the site's usage (one transaction). */
  async insertFile(row: NewFileRow): Promise<void> {
    await this.transaction(async () => {
      await this.db.insertInto('files').values(row).execute();
      await this.addUsage(Number(row.size_in_bytes));
    });
  }

  /** Updates a file; a new `size_in_bytes` moves the site's usage by the difference (one transaction). */
  async updateFile(id: string, patch: FileUpdate): Promise<void> {
    if (patch.size_in_bytes === undefined) {
      await this.db.updateTable('files').set(patch).where('id', '=', id).execute();
      return;
    }
    await this.transaction(async () => {
      const before = await this.db
        .selectFrom('files')
        .select('size_in_bytes')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!before) return;
      await this.db.updateTable('files').set(patch).where('id', '=', id).execute();
      await this.addUsage(Number(patch.size_in_bytes) - Number(before.size_in_bytes));
    });
  }

  // ---- usage ---------------------------------------------------------------------------------------------

  /** Bytes of every file, live or trashed: a running total, not a SUM. */
  async usageBytes(): Promise<number> {
    const row = await this.db
      .selectFrom('site_usage')
      .select('bytes')
      .where('id', '=', 'site')
      .executeTakeFirst();
    return Number(row?.bytes ?? 0);
  }

  /**
   * Bytes of the files in Visitor Uploads, live or trashed (what `VISITOR_QUOTA_BYTES` bounds). A SUM over the
   * covering index `files_root_size`, not a running total: files move between the roots in many ways (a move,
   * a folder's subtree, a restore), and visitor uploads are few and rate-limited.
   */
  async visitorUsageBytes(): Promise<number> {
    const row = await this.db
      .selectFrom('files')
      .select(sql<number | string | null>`sum(size_in_bytes)`.as('bytes'))
      .where('root', '=', 'VISITOR_UPLOADS_ROOT')
      .executeTakeFirst();
    return Number(row?.bytes ?? 0);
  }

  private async addUsage(delta: number): Promise<void> {
    if (delta === 0) return;
    await this.db
      .updateTable('site_usage')
      .set({ bytes: sql`bytes + ${delta}` })
      .where('id', '=', 'site')
      .execute();
  }

  /**
   * One keyset page of a folder's live public files in name order, with only the columns a zip needs: a zip
   * walks up to 1000 rows, and whole rows (media metadata, search text) were most of what it allocated.
   */
  listZipFiles(locationId: string, after: KeysetPosition | null, limit: number): Promise<ZipFileRow[]> {
    const qb = this.db
      .selectFrom('files')
      .select(['id', 'sort_name', 'display_name', 'blob_key', 'size_in_bytes', 'created_date', 'hash'])
      .where('private', '=', 0);
    const filter = { locationId, state: 'OK' as const };
    return applyPage(
      qb,
      { filter, column: 'sort_name', order: 'ASC', after, limit },
      'search_text',
    ).execute();
  }

  async listFiles(query: PageQuery<FileSortColumn>): Promise<FileRow[]> {
    let qb = this.db.selectFrom('files').selectAll();
    const { mediaTypes, private: isPrivate, search } = query.filter;
    if (mediaTypes && mediaTypes.length > 0) qb = qb.where('media_type', 'in', mediaTypes);
    if (isPrivate !== undefined) qb = qb.where('private', '=', isPrivate ? 1 : 0);
    if (!search || [...search].length < 3) return applyPage(qb, query, 'search_text').execute();
    // No search text holds a NUL (names and labels refuse control characters; PostgreSQL cannot even store
    // one), and FTS5 cannot parse a query containing one.
    if (search.includes('\0')) return [];

    // A common term fills a page within the first rows of the sort order: try that first, it is the cheapest.
    const probe = await this.db
      .selectFrom(
        applyPage(
          qb,
          {
            ...query,
            filter: { ...query.filter, search: undefined },
            limit: this.searchProbeRows,
          },
          'search_text',
        ).as('p'),
      )
      .selectAll()
      .where(contains('search_text', search))
      .orderBy(sql`${sql.ref(query.column)} ${query.order === 'ASC' ? sql`asc` : sql`desc`}`)
      .orderBy(sql`id ${query.order === 'ASC' ? sql`asc` : sql`desc`}`)
      .limit(query.limit)
      .execute();
    if (probe.length >= query.limit) return probe;

    const plan = await this.searchPlan(search);
    if (plan === 'none') return [];
    if (plan === 'trigram' && this.dialect === 'postgres') {
      // The candidates come from the trigram index, then the few of them are filtered and sorted. OFFSET 0
      // keeps PostgreSQL from merging the subquery into the outer query (and walking a sort index instead,
      // what the unary `+` prevents on SQLite) or pushing the outer filters into it.
      const candidates = qb.where(contains('search_text', search)).offset(0).as('files');
      const fenced = this.db.selectFrom(candidates).selectAll() as unknown as typeof qb;
      return applyPage(fenced, query, 'search_text').execute();
    }
    if (plan === 'trigram') {
      qb = qb.where(
        sql<boolean>`files.rowid in (select rowid from files_fts where files_fts match ${ftsPhrase(search)})`,
      );
    }
    return applyPage(qb, query, 'search_text', plan === 'trigram').execute();
  }

  /**
   * How to run a substring search whose term is not common. A term that few files contain is found through the
   * trigram index (then those rows are sorted: cheap, there are few); one that many files contain is found by
   * walking the sort index and testing each row, which stops after one page because matches are dense enough.
   */
  private async searchPlan(search: string): Promise<'walk' | 'trigram' | 'none'> {
    // The files containing the term, counted up to the cap: through FTS5 on SQLite, through pg_trgm's index on
    // PostgreSQL (which rechecks each row it finds, so the count is exact on both).
    const candidates =
      this.dialect === 'postgres'
        ? this.db
            .selectFrom('files')
            .select(sql<number>`1`.as('one'))
            .where(contains('search_text', search))
            .limit(this.trigramCandidatesMax + 1)
        : sql`(select 1 from files_fts where files_fts match ${ftsPhrase(search)} limit ${this.trigramCandidatesMax + 1})`;
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${candidates} as candidates`.execute(
      this.db,
    );
    const n = rows[0]?.n ?? 0;
    if (n === 0) return 'none';
    return n <= this.trigramCandidatesMax ? 'trigram' : 'walk';
  }

  // ---- trash ---------------------------------------------------------------------------------------------

  /**
   * Moves live items to the trash. Each given item becomes a top-level trash entry (`location_id` trash-root)
   * and the batch of everything that goes with it; a folder takes its live subtree along. Items already in
   * the trash are left as they are.
   */
  async trash(kind: 'folders' | 'files', ids: readonly string[], now: string): Promise<void> {
    for (const id of ids) {
      const trashed = {
        state: 'DELETED' as const,
        scope: 'TRASH_ROOT' as const,
        trash_batch: id,
        updated_date: now,
      };
      const top = await this.db
        .updateTable(kind)
        .set({ ...trashed, location_id: TRASH_ROOT_ID })
        .where('id', '=', id)
        .where('state', '=', 'OK')
        .executeTakeFirst();
      if (kind === 'files' || top.numUpdatedRows === 0n) continue;
      const below = (await this.subtreeFolderIds([id])).filter((f) => f !== id);
      for (const part of chunks(below)) {
        await this.db
          .updateTable('folders')
          .set(trashed)
          .where('id', 'in', part)
          .where('state', '=', 'OK')
          .execute();
      }
      for (const part of chunks([id, ...below])) {
        await this.db
          .updateTable('files')
          .set(trashed)
          .where('parent_folder_id', 'in', part)
          .where('state', '=', 'OK')
          .execute();
      }
    }
  }

  /**
   * Restores a trashed item and what was trashed with it (same batch, same subtree) under `parentId` (for the
   * item itself; the rest keep their parents).
   */
  async restore(
    kind: 'folders' | 'files',
    row: FolderRow | FileRow,
    parentId: string,
    root: LiveRoot,
    now: string,
  ) {
    const batch = row.trash_batch;
    await this.db
      .updateTable(kind)
      .set({
        state: 'OK',
        scope: root,
        root,
        trash_batch: null,
        parent_folder_id: parentId,
        location_id: parentId,
        updated_date: now,
      })
      .where('id', '=', row.id)
      .execute();
    if (kind === 'files' || batch === null) return;
    const live = { state: 'OK' as const, scope: root, root, trash_batch: null, updated_date: now };
    const below = (await this.subtreeFolderIds([row.id])).filter((f) => f !== row.id);
    for (const part of chunks(below)) {
      await this.db
        .updateTable('folders')
        .set({ ...live, location_id: sql`parent_folder_id` })
        .where('id', 'in', part)
        .where('trash_batch', '=', batch)
        .execute();
    }
    for (const part of chunks([row.id, ...below])) {
      await this.db
        .updateTable('files')
        .set({ ...live, location_id: sql`parent_folder_id` })
        .where('parent_folder_id', 'in', part)
        .where('trash_batch', '=', batch)
        .execute();
    }
  }

  /**
   * Deletes files and folder subtrees (what went to the trash with each folder) for good and returns what the
   * caller must remove from the blob store:
   * each file's original and its renditions (`assets`).
   */
  async purge(
    fileIds: readonly string[],
    folderIds: readonly string[],
  ): Promise<Pick<FileRow, 'blob_key' | 'assets'>[]> {
    return this.transaction(async () => {
      const purged: Pick<FileRow, 'blob_key' | 'assets'>[] = [];
      let freed = 0;
      for (const part of chunks(fileIds)) {
        const rows = await this.db
          .deleteFrom('files')
          .where('id', 'in', part)
          .returning(['blob_key', 'assets', 'size_in_bytes'])
          .execute();
        for (const r of rows) {
          purged.push({ blob_key: r.blob_key, assets: r.assets });
          freed += Number(r.size_in_bytes);
        }
      }
      // A folder takes along only what shares its trash batch (everything live, for a live folder): an item
      // trashed on its own earlier is its own trash entry, and stays restorable after its folder is gone.
      // Items of one batch hang together (trashing a folder reaches only its live subtree), so filtering the
      // subtree by batch loses no path.
      const named = await this.getFolders(folderIds);
      const batches = new Map<string | null, string[]>();
      for (const folder of named) {
        batches.set(folder.trash_batch, [...(batches.get(folder.trash_batch) ?? []), folder.id]);
      }
      for (const [batch, ids] of batches) {
        const subtree = await this.subtreeFolderIds(ids);
        const folders: string[] = [];
        for (const part of chunks(subtree)) {
          const rows = await this.db
            .selectFrom('folders')
            .select('id')
            .where('id', 'in', part)
            .where('trash_batch', batch === null ? 'is' : '=', batch)
            .execute();
          folders.push(...rows.map((r) => r.id));
        }
        for (const part of chunks(folders)) {
          const rows = await this.db
            .deleteFrom('files')
            .where('parent_folder_id', 'in', part)
            .where('trash_batch', batch === null ? 'is' : '=', batch)
            .returning(['blob_key', 'assets', 'size_in_bytes'])
            .execute();
          for (const r of rows) {
            purged.push({ blob_key: r.blob_key, assets: r.assets });
            freed += Number(r.size_in_bytes);
          }
          await this.db.deleteFrom('folders').where('id', 'in', part).execute();
        }
      }
      await this.addUsage(-freed);
      return purged;
    });
  }

  // ---- zip downloads -------------------------------------------------------------------------------------

  async insertZipDownload(row: ZipDownloadRow): Promise<void> {
    await this.db.insertInto('zip_downloads').values(row).execute();
  }

  getZipDownload(id: string): Promise<ZipDownloadRow | undefined> {
    return this.db.selectFrom('zip_downloads').selectAll().where('id', '=', id).executeTakeFirst();
  }

  // ---- upload tokens, sessions, login links --------------------------------------------------------------

  async insertUploadToken(tokenHash: string, params: string, expiresAt: string): Promise<void> {
    await this.db
      .insertInto('upload_tokens')
      .values({
        token_hash: tokenHash,
        params,
        expires_at: expiresAt,
        claimed_at: null,
        upload_id: null,
        claim_expires_at: null,
        claim_id: null,
        file_id: null,
      })
      .execute();
  }

  /**
   * Claims an unexpired token that has not started a resumable upload and that nobody holds (unclaimed, or
   * its claim ran out: its holder died), atomically, until `leaseUntil`; a second claimant gets nothing.
   */
  async claimUploadToken(
    tokenHash: string,
    now: string,
    leaseUntil: string,
    claimId: string,
  ): Promise<string | undefined> {
    const row = await this.db
      .updateTable('upload_tokens')
      .set({ claimed_at: now, claim_expires_at: leaseUntil, claim_id: claimId })
      .where('token_hash', '=', tokenHash)
      .where((eb) => eb.or([eb('claimed_at', 'is', null), eb('claim_expires_at', '<=', now)]))
      .where('upload_id', 'is', null)
      .where('expires_at', '>', now)
      .returning('params')
      .executeTakeFirst();
    return row?.params;
  }

  /** The params of an unexpired token that is free (nobody holds it, not tied to an upload). */
  async freeUploadToken(tokenHash: string, now: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('upload_tokens')
      .select('params')
      .where('token_hash', '=', tokenHash)
      .where((eb) => eb.or([eb('claimed_at', 'is', null), eb('claim_expires_at', '<=', now)]))
      .where('upload_id', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row?.params;
  }

  /**
   * Ties a free token to the resumable upload it creates, atomically (one upload per token), and keeps it
   * until the upload itself expires. False when the token is not free any more.
   */
  async bindUploadToken(
    tokenHash: string,
    uploadId: string,
    now: string,
    expiresAt: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('upload_tokens')
      .set({
        upload_id: uploadId,
        expires_at: expiresAt,
        claimed_at: null,
        claim_expires_at: null,
        claim_id: null,
      })
      .where('token_hash', '=', tokenHash)
      .where((eb) => eb.or([eb('claimed_at', 'is', null), eb('claim_expires_at', '<=', now)]))
      .where('upload_id', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Claims a token tied to a resumable upload and not finalized yet, for its finalize call, until `leaseUntil`
   * (see `claimUploadToken`); a second claimant gets nothing while the claim lasts.
   */
  async claimBoundUploadToken(
    tokenHash: string,
    now: string,
    leaseUntil: string,
    claimId: string,
  ): Promise<{ params: string; uploadId: string } | undefined> {
    const row = await this.db
      .updateTable('upload_tokens')
      .set({ claimed_at: now, claim_expires_at: leaseUntil, claim_id: claimId })
      .where('token_hash', '=', tokenHash)
      .where((eb) => eb.or([eb('claimed_at', 'is', null), eb('claim_expires_at', '<=', now)]))
      .where('upload_id', 'is not', null)
      .where('file_id', 'is', null)
      .where('expires_at', '>', now)
      .returning(['params', 'upload_id'])
      .executeTakeFirst();
    return row?.upload_id ? { params: row.params, uploadId: row.upload_id } : undefined;
  }

  /** The file an unexpired token's resumable upload became, once finalized. */
  async finalizedUploadOf(
    tokenHash: string,
    now: string,
  ): Promise<{ fileId: string; uploadId: string } | undefined> {
    const row = await this.db
      .selectFrom('upload_tokens')
      .select(['file_id', 'upload_id'])
      .where('token_hash', '=', tokenHash)
      .where('file_id', 'is not', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row?.file_id && row.upload_id ? { fileId: row.file_id, uploadId: row.upload_id } : undefined;
  }

  /** Extends a claim its holder still has; false when it is gone (taken over, released, completed). */
  async renewUploadClaim(tokenHash: string, claimId: string, leaseUntil: string): Promise<boolean> {
    const result = await this.db
      .updateTable('upload_tokens')
      .set({ claim_expires_at: leaseUntil })
      .where('token_hash', '=', tokenHash)
      .where('claim_id', '=', claimId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The claim on a token, if any (who holds it is not told). */
  async uploadClaimOf(
    tokenHash: string,
  ): Promise<{ claimedAt: string | null; claimExpiresAt: string | null } | undefined> {
    const row = await this.db
      .selectFrom('upload_tokens')
      .select(['claimed_at', 'claim_expires_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && { claimedAt: row.claimed_at, claimExpiresAt: row.claim_expires_at };
  }

  /**
   * Uses up a plain upload's token, when `claimId` still holds it; run in the transaction that inserts the
   * file, so that a URL makes one file at most. False when the claim is gone.
   */
  async consumeUploadToken(tokenHash: string, claimId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('upload_tokens')
      .where('token_hash', '=', tokenHash)
      .where('claim_id', '=', claimId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /**
   * Marks a resumable upload's token finalized into `fileId`, when `claimId` still holds it (in the
   * transaction that inserts the file). The token stays until it expires, so that finalize can be repeated.
   */
  async completeUploadToken(tokenHash: string, claimId: string, fileId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('upload_tokens')
      .set({ file_id: fileId, claimed_at: null, claim_expires_at: null, claim_id: null })
      .where('token_hash', '=', tokenHash)
      .where('claim_id', '=', claimId)
      .where('file_id', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Forgets the token of a resumable upload (terminated by its client). */
  async deleteUploadTokensOfUpload(uploadId: string): Promise<void> {
    await this.db.deleteFrom('upload_tokens').where('upload_id', '=', uploadId).execute();
  }

  /**
   * Gives a claimed token back after a transfer that did not complete, so the client may retry; only its
   * holder can (a claim taken over meanwhile is someone else's).
   */
  async releaseUploadToken(tokenHash: string, claimId: string): Promise<void> {
    await this.db
      .updateTable('upload_tokens')
      .set({ claimed_at: null, claim_expires_at: null, claim_id: null })
      .where('token_hash', '=', tokenHash)
      .where('claim_id', '=', claimId)
      .execute();
  }

  async deleteUploadToken(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('upload_tokens').where('token_hash', '=', tokenHash).execute();
  }

  async insertSession(idHash: string, csrfToken: string, now: string, expiresAt: string): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({ id_hash: idHash, csrf_token: csrfToken, created_at: now, expires_at: expiresAt })
      .execute();
  }

  getSession(idHash: string, now: string) {
    return this.db
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async insertLoginToken(tokenHash: string, expiresAt: string): Promise<void> {
    await this.db
      .insertInto('login_tokens')
      .values({ token_hash: tokenHash, expires_at: expiresAt })
      .execute();
  }

  /** Consumes a one-time login token; true when it existed and had not expired. */
  async consumeLoginToken(tokenHash: string, now: string): Promise<boolean> {
    const row = await this.db
      .deleteFrom('login_tokens')
      .where('token_hash', '=', tokenHash)
      .returning('expires_at')
      .executeTakeFirst();
    return row !== undefined && row.expires_at > now;
  }

  // ---- jobs ----------------------------------------------------------------------------------------------

  async enqueueJob(job: { id: string; kind: string; payload: string; runAfter: string; now: string }) {
    await this.db
      .insertInto('jobs')
      .values({
        id: job.id,
        kind: job.kind,
        payload: job.payload,
        state: 'queued',
        attempts: 0,
        run_after: job.runAfter,
        locked_until: null,
        last_error: null,
        created_at: job.now,
        updated_at: job.now,
      })
      .execute();
  }

  getJob(id: string): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Claims the next due job of one of `kinds` in one statement: a queued job whose `run_after` has come, or a
   * running one whose lock ran out (its runner died). The claim counts as an attempt; `attempts` after it is
   * the claim's fencing token for complete/fail/extend.
   */
  claimNextJob(kinds: readonly string[], now: string, lockedUntil: string): Promise<JobRow | undefined> {
    if (kinds.length === 0) return Promise.resolve(undefined);
    const next = this.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', 'in', kinds)
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'queued'), eb('run_after', '<=', now)]),
          eb.and([eb('state', '=', 'running'), eb('locked_until', '<=', now)]),
        ]),
      )
      .orderBy('run_after')
      .orderBy('id')
      .limit(1)
      // On PostgreSQL two claimers may read the same next job; the second would then wait for the first's row
      // lock and update the row again (the `id = ...` still holds). Locking the row as it is read, and skipping
      // rows other claimers hold, gives each claimer a different job. SQLite has one writer: nothing to do.
      .$if(this.dialect === 'postgres', (qb) => qb.forUpdate().skipLocked());
    return this.db
      .updateTable('jobs')
      .set({ state: 'running', attempts: sql`attempts + 1`, locked_until: lockedUntil, updated_at: now })
      .where('id', '=', next)
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * The database's clock: job leases written by one instance are compared by another, so every instance reads
   * the time from the one database rather than trusting its own clock. SQLite is one host's file: its clock.
   */
  async databaseNow(): Promise<string> {
    if (this.dialect !== 'postgres') return new Date().toISOString();
    const { rows } = await sql<{ now: Date | string }>`select now() as now`.execute(this.db);
    return new Date(rows[0]!.now).toISOString();
  }

  /** Keeps a long job's claim; false when the claim was lost (another runner took the job over). */
  async extendJobLock(id: string, attempts: number, lockedUntil: string): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set({ locked_until: lockedUntil })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('attempts', '=', attempts)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async completeJob(id: string, attempts: number, now: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ state: 'done', locked_until: null, updated_at: now })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('attempts', '=', attempts)
      .execute();
  }

  /** Records a failed attempt: queued again after `retryAt`, or failed for good when it is null. */
  async failJob(id: string, attempts: number, error: string, retryAt: string | null, now: string) {
    await this.db
      .updateTable('jobs')
      .set({
        state: retryAt === null ? 'failed' : 'queued',
        run_after: retryAt ?? sql`run_after`,
        locked_until: null,
        last_error: error,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('attempts', '=', attempts)
      .execute();
  }

  /** Hands a job back unfinished (the runner is stopping); the attempt does not count. */
  async releaseJob(id: string, attempts: number, now: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ state: 'queued', attempts: attempts - 1, locked_until: null, updated_at: now })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .where('attempts', '=', attempts)
      .execute();
  }

  /** Removes expired tokens and sessions, and jobs finished more than a week ago; run at start and now and then. */
  async deleteExpired(now: string): Promise<void> {
    const weekAgo = new Date(Date.parse(now) - 7 * 24 * 3600_000).toISOString();
    await this.db
      .deleteFrom('jobs')
      .where('state', 'in', ['done', 'failed'])
      .where('updated_at', '<', weekAgo)
      .execute();
    await this.db.deleteFrom('upload_tokens').where('expires_at', '<=', now).execute();
    await this.db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
    await this.db.deleteFrom('login_tokens').where('expires_at', '<=', now).execute();
  }
}
