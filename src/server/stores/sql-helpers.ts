import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { SortOrder } from '../../contract/index.ts';
import type { Database, Scope } from './schema.ts';

/*
 * What the repositories of the metadata store share: the listing types, the keyset page every listing runs on,
 * substring matching, and chunked `IN (...)` lists. Kept within SQL both SQLite and PostgreSQL run.
 */

export type LiveRoot = 'MEDIA_ROOT' | 'VISITOR_UPLOADS_ROOT';
export type FolderSortColumn = 'sort_name' | 'updated_date';
export type FileSortColumn = FolderSortColumn | 'size_in_bytes';
export type SortValue = string | number;

/** Where a page of a listing starts: the sort value and id of the last item of the previous page. */
export type KeysetPosition = readonly [SortValue, string];

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

export type Db = Kysely<Database> | Transaction<Database>;

/** Ids per `IN (...)` list: well below SQLite's and PostgreSQL's bound-parameter limits. */
export const CHUNK = 500;

export function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** An FTS5 phrase matching the text as a substring (trigram tokenizer); quotes are doubled. */
export function ftsPhrase(text: string): string {
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
export function contains(column: string, text: string) {
  return sql<boolean>`${sql.ref(column)} like ${containsPattern(text)} escape '\\'`;
}

/**
 * Applies the filter, the keyset position and the order of one listing. Every listing runs on an index that
 * starts with (location_id | scope, sort column, id), so a deep page costs what the first page costs.
 */
export function applyPage<QB extends SelectQueryBuilder<Database, 'folders' | 'files', object>>(
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
