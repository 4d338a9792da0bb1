import { sql, type ColumnDataType, type Expression, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';

/**
 * The type of every text column. SQLite compares text byte by byte (BINARY); PostgreSQL would use the
 * database's locale, where 'B' < 'a' may not hold and punctuation may be ignored. Keyset paging needs the index
 * order, the ORDER BY and the row-value comparison to agree on one total order, and cursors should page alike
 * on both: so on PostgreSQL text columns are `COLLATE "C"` (byte order of UTF-8, like SQLite), whatever the
 * database's locale.
 */
export function textType(db: Kysely<unknown>): ColumnDataType | Expression<unknown> {
  return dialectOf(db) === 'postgres' ? sql`text collate "C"` : 'text';
}
