import { sql } from 'kysely';
import type { MetadataStore } from './metadata-store.ts';
import type { FolderRow, FolderUpdate, NewFolderRow } from './schema.ts';
import { applyPage, chunks, type FolderSortColumn, type LiveRoot, type PageQuery } from './sql-helpers.ts';

/** Folders: rows, listings, and walks up and down the tree (recursive CTEs). */
export class FolderStore {
  constructor(private readonly store: MetadataStore) {}

  /** The store's connection, or its open transaction (see `MetadataStore.db`). */
  private get db() {
    return this.store.db;
  }

  getFolder(id: string): Promise<FolderRow | undefined> {
    return this.db.selectFrom('folders').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertFolder(row: NewFolderRow): Promise<void> {
    await this.db.insertInto('folders').values(row).execute();
  }

  async updateFolder(id: string, patch: FolderUpdate): Promise<void> {
    await this.db.updateTable('folders').set(patch).where('id', '=', id).execute();
  }

  async getFolders(ids: readonly string[]): Promise<FolderRow[]> {
    const out: FolderRow[] = [];
    for (const part of chunks(ids)) {
      out.push(...(await this.db.selectFrom('folders').selectAll().where('id', 'in', part).execute()));
    }
    return out;
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
}
