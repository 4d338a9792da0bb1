import { MEDIA_ROOT_ID, TRASH_ROOT_ID, VISITOR_UPLOADS_ROOT_ID } from '../../contract/index.ts';
import { BulkStore } from '../stores/bulk-store.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type {
  BulkAction,
  BulkOperationItemRow,
  BulkOperationItemTable,
  FileRow,
  FolderRow,
} from '../stores/schema.ts';
import type { Destination } from './folder-service.ts';
import type { TrashService } from './trash-service.ts';

type Kind = 'folders' | 'files';

/** What one batch of a bulk operation changed, as rows of `bulk_operation_items` (for its undo). */
export function undoRecords(
  operationId: string,
  action: BulkAction,
  kind: Kind,
  rows: readonly (FileRow | FolderRow)[],
  actedIds: readonly string[],
  now: string,
): BulkOperationItemTable[] {
  if (action === 'DELETE_FOREVER' || action === 'UNDO') return [];
  const acted = new Set(actedIds);
  return rows
    .filter((row) => acted.has(row.id))
    .map((row) => ({
      operation_id: operationId,
      kind,
      item_id: row.id,
      before_parent_id: action === 'MOVE' ? row.parent_folder_id : null,
      before_root: action === 'MOVE' ? row.root : null,
      after_date: now,
    }));
}

/**
 * Reverses one batch of what an operation changed, inside the batch's transaction; returns how many items it
 * put back. An item is put back only if it is as the operation left it: same `updated_date` (not moved,
 * renamed, trashed or restored since) and still there. Anything else is a newer change, and is left alone.
 * - MOVE: back into its old parent, if that is still a live folder (or root) and, for a folder, not inside it.
 * - TRASH: restored, as `bulk/trash-bin/*\/restore` does (its old parent if live, else `media-root`).
 * - RESTORE: back to the trash, with what it holds.
 */
export async function undoItems(
  store: MetadataStore,
  trash: TrashService,
  action: BulkAction,
  kind: Kind,
  items: readonly BulkOperationItemRow[],
  now: string,
): Promise<number> {
  const ids = items.map((i) => i.item_id);
  const rows: (FileRow | FolderRow)[] =
    kind === 'files' ? await store.files.getFiles(ids) : await store.folders.getFolders(ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const unchanged = (item: BulkOperationItemRow, state: 'OK' | 'DELETED') => {
    const row = byId.get(item.item_id);
    return row !== undefined && row.state === state && row.updated_date === item.after_date ? row : undefined;
  };
  switch (action) {
    case 'TRASH': {
      const trashed = items
        .filter((i) => unchanged(i, 'DELETED')?.location_id === TRASH_ROOT_ID)
        .map((i) => i.item_id);
      return (await trash.restoreIds(store, kind, trashed, now)).length;
    }
    case 'RESTORE': {
      const live = items.filter((i) => unchanged(i, 'OK')).map((i) => i.item_id);
      await store.trash.trash(kind, live, now);
      return live.length;
    }
    case 'MOVE':
      return moveBack(store, kind, items, unchanged, now);
    default:
      return 0;
  }
}

async function moveBack(
  store: MetadataStore,
  kind: Kind,
  items: readonly BulkOperationItemRow[],
  unchanged: (item: BulkOperationItemRow, state: 'OK') => FileRow | FolderRow | undefined,
  now: string,
): Promise<number> {
  const targets = new Map<string, Destination | null>();
  const targetOf = async (item: BulkOperationItemRow): Promise<Destination | null> => {
    const parentId = item.before_parent_id;
    if (parentId === null) return null;
    if (!targets.has(parentId)) targets.set(parentId, await liveFolder(store, parentId));
    return targets.get(parentId)!;
  };
  const files = new Map<string, { target: Destination; ids: string[] }>();
  let moved = 0;
  for (const item of items) {
    const row = unchanged(item, 'OK');
    const target = row ? await targetOf(item) : null;
    if (!row || !target) continue;
    if (kind === 'files') {
      const group = files.get(target.id) ?? { target, ids: [] };
      group.ids.push(row.id);
      files.set(target.id, group);
      continue;
    }
    // A folder never goes into itself or its own subtree (its old parent may have been moved inside it since).
    if (target.id === row.id || (await store.folders.ancestorIds(target.id)).includes(row.id)) continue;
    await store.folders.updateFolder(row.id, {
      parent_folder_id: target.id,
      location_id: target.id,
      root: target.root,
      scope: target.root,
      updated_date: now,
    });
    if (row.root !== target.root) await store.folders.setSubtreeRoot(row.id, target.root);
    moved++;
  }
  for (const { target, ids } of files.values()) {
    await new BulkStore(store).moveFiles(ids, target, now);
    moved += ids.length;
  }
  return moved;
}

/** The folder (or root) an item was in, if it is still live. */
async function liveFolder(store: MetadataStore, id: string): Promise<Destination | null> {
  if (id === MEDIA_ROOT_ID) return { id, root: 'MEDIA_ROOT' };
  if (id === VISITOR_UPLOADS_ROOT_ID) return { id, root: 'VISITOR_UPLOADS_ROOT' };
  const folder = await store.folders.getFolder(id);
  if (folder?.state !== 'OK') return null;
  return { id: folder.id, root: folder.root };
}
