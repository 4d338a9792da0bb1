import { sql } from 'kysely';
import type { MetadataStore } from './metadata-store.ts';
import type { FileRow } from './schema.ts';

/** A set of live files with the same bytes, as the index gives it. */
export interface DuplicateGroupRow {
  size_in_bytes: number;
  hash: string;
  file_count: number;
}

/** Where a page of groups starts: the size and hash of the last group of the previous page. */
export type GroupPosition = readonly [number, string];

/**
 * SQL of duplicates: live files (not in the trash) with the same SHA-256, through the indexes of migration 0014.
 * Over the metadata store's connection, so it joins its transactions.
 */
export class DuplicateStore {
  constructor(private readonly store: MetadataStore) {}

  private get db() {
    return this.store.db;
  }

  /** Live files with these bytes, oldest first (`files_hash`). */
  liveWithHash(hash: string, limit: number): Promise<FileRow[]> {
    return this.db
      .selectFrom('files')
      .selectAll()
      .where('hash', '=', hash)
      .where('state', '=', 'OK')
      .orderBy('created_date')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /**
   * Groups of at least two live files with the same bytes, largest first (size descending, then hash
   * descending), after `after`. A walk of `files_state_size_hash` that stops once `limit` groups are found.
   */
  async groups(after: GroupPosition | null, limit: number): Promise<DuplicateGroupRow[]> {
    let query = this.db
      .selectFrom('files')
      .select(['size_in_bytes', 'hash', sql<number>`count(*)`.as('file_count')])
      .where('state', '=', 'OK');
    if (after) {
      const [size, hash] = after;
      query = query.where(sql<boolean>`(size_in_bytes, hash) < (${size}, ${hash})`);
    }
    const rows = await query
      .groupBy(['size_in_bytes', 'hash'])
      .having(sql<number>`count(*)`, '>', 1)
      .orderBy('size_in_bytes', 'desc')
      .orderBy('hash', 'desc')
      .limit(limit)
      .execute();
    // PostgreSQL answers bigint and count(*) as strings.
    return rows.map((row) => ({
      size_in_bytes: Number(row.size_in_bytes),
      hash: row.hash,
      file_count: Number(row.file_count),
    }));
  }
}
