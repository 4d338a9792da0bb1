import type { FolderRow } from '../stores/schema.ts';

/** Where a new folder or file goes: a live root or folder, and the root it belongs to. */
export interface NodePlace {
  id: string;
  root: FolderRow['root'];
}

/**
 * The columns every new item of the tree (a folder or a file) starts with: its name, its place, live and not
 * in the trash. One builder for both, so folders and files are placed alike.
 */
export function newNode(id: string, displayName: string, parent: NodePlace, now: string): FolderRow {
  return {
    id,
    display_name: displayName,
    sort_name: displayName.toLowerCase(),
    parent_folder_id: parent.id,
    location_id: parent.id,
    root: parent.root,
    scope: parent.root,
    state: 'OK',
    trash_batch: null,
    created_date: now,
    updated_date: now,
  };
}
