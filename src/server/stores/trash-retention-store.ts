import { TRASH_ROOT_ID } from '../../contract/index.ts';
import type { MetadataStore } from './metadata-store.ts';

/** Ids per `IN (...)` list: well below SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

/** A top-level trash entry: an item moved to the trash on its own (a folder takes its subtree's batch along). */
export interface TrashEntry {
  kind: 'files' | 'folders';
  id: string;
}

/**
 * The queries of trash retention: which trash entries are due, and a folder entry's files a chunk at a time.
 * When an item went to the trash is its `updated_date`: moving to the trash sets it, and a trashed item cannot
 * be changed (renames, moves and labels are refused in the trash), so it stays that moment (an import that
 * finishes later moves it later, never earlier: nothing is purged before it is due). Over the metadata store's
 * connection and its transaction, like the other per-area stores.
 */
export class TrashRetentionStore {
  constructor(private readonly metadata: MetadataStore) {}

  /**
   * Top-level trash entries moved there at or before `cutoff`, oldest first: one index range scan
   * (`location_id, updated_date, id`) per table.
   */
  async dueEntries(cutoff: string, limit: number): Promise<TrashEntry[]> {
    const due: TrashEntry[] = [];
    for (const kind of ['files', 'folders'] as const) {
      const rows = await this.metadata.db
        .selectFrom(kind)
        .select('id')
        .where('location_id', '=', TRASH_ROOT_ID)
        .where('state', '=', 'DELETED')
        .where('updated_date', '<=', cutoff)
        .orderBy('updated_date')
        .orderBy('id')
        .limit(limit - due.length)
        .execute();
      due.push(...rows.map((r) => ({ kind, id: r.id })));
      if (due.length >= limit) break;
    }
    return due;
  }

  /** Whether the entry is still in the trash and due (a restore may have come in between). */
  async isDue(entry: TrashEntry, cutoff: string): Promise<boolean> {
    const row = await this.metadata.db
      .selectFrom(entry.kind)
      .select('id')
      .where('id', '=', entry.id)
      .where('location_id', '=', TRASH_ROOT_ID)
      .where('state', '=', 'DELETED')
      .where('updated_date', '<=', cutoff)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Up to `limit` files that went to the trash with this folder (its batch, anywhere in its subtree). Files of
   * the subtree trashed on their own earlier are entries of their own, with their own date: not these.
   */
  async batchFileIds(folderId: string, limit: number): Promise<string[]> {
    const subtree = await this.metadata.folders.subtreeFolderIds([folderId]);
    const ids: string[] = [];
    for (let i = 0; i < subtree.length && ids.length < limit; i += CHUNK) {
      const rows = await this.metadata.db
        .selectFrom('files')
        .select('id')
        .where('parent_folder_id', 'in', subtree.slice(i, i + CHUNK))
        .where('trash_batch', '=', folderId)
        .limit(limit - ids.length)
        .execute();
      ids.push(...rows.map((r) => r.id));
    }
    return ids;
  }
}
