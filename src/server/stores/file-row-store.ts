import { sql } from 'kysely';
import type { MetadataStore } from './metadata-store.ts';
import type { FileRow, FileUpdate, NewFileRow } from './schema.ts';
import {
  applyPage,
  chunks,
  contains,
  ftsPhrase,
  type FileSortColumn,
  type PageQuery,
} from './sql-helpers.ts';

/**
 * Rows of the sort order a search looks at before it asks the trigram index: a term in more than ~1 in 20 files
 * fills a page within them.
 */
const SEARCH_PROBE_ROWS = 1000;
const TRIGRAM_CANDIDATES_MAX = 20_000;
const PG_TRIGRAM_CANDIDATES_MAX = 2_000;

/**
 * Files: rows (their sizes kept in the site's usage), and listings with substring search, which is where the two
 * dialects differ most (FTS5 trigram index on SQLite, pg_trgm on PostgreSQL).
 */
export class FileRowStore {
  /** Above this many files containing a term, walking the sort index finds a page sooner than sorting them. */
  private readonly trigramCandidatesMax: number;

  constructor(
    private readonly store: MetadataStore,
    trigramCandidatesMax?: number,
    /** Rows of the sort order a search tries first (lowered by tests to reach the other plans with few rows). */
    private readonly searchProbeRows = SEARCH_PROBE_ROWS,
  ) {
    // Counting the candidates is cheap on SQLite (FTS5 reads its index only) and costs a table page per
    // candidate on PostgreSQL (pg_trgm rechecks every row), so PostgreSQL switches to walking much sooner.
    this.trigramCandidatesMax =
      trigramCandidatesMax ??
      (this.dialect === 'postgres' ? PG_TRIGRAM_CANDIDATES_MAX : TRIGRAM_CANDIDATES_MAX);
  }

  /** The store's connection, or its open transaction (see `MetadataStore.db`). */
  private get db() {
    return this.store.db;
  }

  private get dialect() {
    return this.store.dialect;
  }

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

  /** Inserts a file and adds its size to the site's usage (one transaction). */
  async insertFile(row: NewFileRow): Promise<void> {
    await this.store.transaction(async () => {
      await this.db.insertInto('files').values(row).execute();
      await this.store.usage.addUsage(Number(row.size_in_bytes));
    });
  }

  /** Updates a file; a new `size_in_bytes` moves the site's usage by the difference (one transaction). */
  async updateFile(id: string, patch: FileUpdate): Promise<void> {
    if (patch.size_in_bytes === undefined) {
      await this.db.updateTable('files').set(patch).where('id', '=', id).execute();
      return;
    }
    await this.store.transaction(async () => {
      const before = await this.db
        .selectFrom('files')
        .select('size_in_bytes')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!before) return;
      await this.db.updateTable('files').set(patch).where('id', '=', id).execute();
      await this.store.usage.addUsage(Number(patch.size_in_bytes) - Number(before.size_in_bytes));
    });
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
}
