import { sql } from 'kysely';
import { TRASH_ROOT_ID } from '../../contract/index.ts';
import type { MetadataStore } from './metadata-store.ts';
import type { FileRow, FolderRow } from './schema.ts';
import { chunks, type LiveRoot } from './sql-helpers.ts';

/** The trash: moving subtrees in as batches, restoring a batch, and deleting for good. */
export class TrashStore {
  constructor(private readonly store: MetadataStore) {}

  /** The store's connection, or its open transaction (see `MetadataStore.db`). */
  private get db() {
    return this.store.db;
  }

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
      const below = (await this.store.folders.subtreeFolderIds([id])).filter((f) => f !== id);
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
    const below = (await this.store.folders.subtreeFolderIds([row.id])).filter((f) => f !== row.id);
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
    return this.store.transaction(async () => {
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
      const named = await this.store.folders.getFolders(folderIds);
      const batches = new Map<string | null, string[]>();
      for (const folder of named) {
        batches.set(folder.trash_batch, [...(batches.get(folder.trash_batch) ?? []), folder.id]);
      }
      for (const [batch, ids] of batches) {
        const subtree = await this.store.folders.subtreeFolderIds(ids);
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
      await this.store.usage.addUsage(-freed);
      return purged;
    });
  }
}
