import type { Kysely } from 'kysely';
import type { MetadataStore } from './metadata-store.ts';
import type { Database } from './schema.ts';
import { chunks, type LiveRoot } from './sql-helpers.ts';

/** `files.visitor_new` (migration 0016): 1 while a visitor's upload waits for review, null otherwise. */
interface VisitorNewColumn {
  visitor_new: number | null;
}

/** The site's moderation settings (migration 0016): one row, `id` 'site'. */
interface VisitorModerationTable {
  id: string;
  approve_folder_id: string | null;
  updated_at: string;
}

/** The schema with the columns and table of migration 0016, which `Database` (shared by every store) leaves out. */
type ModerationDatabase = Omit<Database, 'files'> & {
  files: Database['files'] & VisitorNewColumn;
  visitor_moderation: VisitorModerationTable;
};

const SETTINGS_ID = 'site';

/**
 * SQL of the moderation of visitor uploads: which live files of Visitor Uploads are new (not yet approved or
 * rejected), in upload order, and the folder Approve used last. A file is new when its `visitor_new` is set,
 * it is live and still in Visitor Uploads: every query reads the `files_visitor_new` index range of those rows
 * only, never a scan of all files.
 */
export class ModerationStore {
  constructor(private readonly store: MetadataStore) {}

  private get db(): Kysely<ModerationDatabase> {
    return this.store.db as unknown as Kysely<ModerationDatabase>;
  }

  private newFiles() {
    return this.db
      .selectFrom('files')
      .where('visitor_new', '=', 1)
      .where('root', '=', 'VISITOR_UPLOADS_ROOT')
      .where('state', '=', 'OK');
  }

  /** Marks a file a visitor just uploaded as new (in the upload's transaction). */
  async markNew(fileId: string): Promise<void> {
    await this.db.updateTable('files').set({ visitor_new: 1 }).where('id', '=', fileId).execute();
  }

  async countNew(): Promise<number> {
    const row = await this.newFiles()
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The first `limit` new files, oldest upload first (the review queue's order). */
  async queue(limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const rows = await this.newFiles()
      .select('id')
      .orderBy('created_date', 'asc')
      .orderBy('id', 'asc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Moves live files into a live folder and ends their review (in the caller's transaction). */
  async approve(
    fileIds: readonly string[],
    destination: { id: string; root: LiveRoot },
    now: string,
  ): Promise<void> {
    for (const part of chunks(fileIds)) {
      await this.db
        .updateTable('files')
        .set({
          parent_folder_id: destination.id,
          location_id: destination.id,
          root: destination.root,
          scope: destination.root,
          updated_date: now,
          visitor_new: null,
        })
        .where('id', 'in', part)
        .where('state', '=', 'OK')
        .execute();
    }
  }

  /** Ends the review of these files (rejected ones go to the trash as well, by the caller). */
  async markReviewed(fileIds: readonly string[]): Promise<void> {
    for (const part of chunks(fileIds)) {
      await this.db.updateTable('files').set({ visitor_new: null }).where('id', 'in', part).execute();
    }
  }

  async approveFolderId(): Promise<string | null> {
    const row = await this.db
      .selectFrom('visitor_moderation')
      .select('approve_folder_id')
      .where('id', '=', SETTINGS_ID)
      .executeTakeFirst();
    return row?.approve_folder_id ?? null;
  }

  async rememberApproveFolder(folderId: string, now: string): Promise<void> {
    await this.db
      .insertInto('visitor_moderation')
      .values({ id: SETTINGS_ID, approve_folder_id: folderId, updated_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ approve_folder_id: folderId, updated_at: now }))
      .execute();
  }
}
