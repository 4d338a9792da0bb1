import { sql } from 'kysely';
import type { MetadataStore } from './metadata-store.ts';

/** The site's storage usage: the running total of every file's bytes, and the Visitor Uploads sum. */
export class UsageStore {
  constructor(private readonly store: MetadataStore) {}

  /** The store's connection, or its open transaction (see `MetadataStore.db`). */
  private get db() {
    return this.store.db;
  }

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

  /** Moves the running total; called by the repositories that add, resize or delete files, in their transaction. */
  async addUsage(delta: number): Promise<void> {
    if (delta === 0) return;
    await this.db
      .updateTable('site_usage')
      .set({ bytes: sql`bytes + ${delta}` })
      .where('id', '=', 'site')
      .execute();
  }
}
