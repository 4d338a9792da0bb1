import { randomBytes } from 'node:crypto';
import {
  FILE_PATH_SEGMENTS_MAX,
  FOLDER_NAME_MAX,
  MEDIA_ROOT_ID,
  ROOT_FOLDER_IDS,
  TRASH_ROOT_ID,
  VISITOR_UPLOADS_ROOT_ID,
  type Folder,
  type FolderSortField,
  type RootFolder,
  type SortOrder,
} from '../../contract/index.ts';
import { nowIso } from '../clock.ts';
import { ApiError, invalid, notFound } from '../errors.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { FolderSortColumn, LiveRoot } from '../stores/sql-helpers.ts';
import type { FolderRow } from '../stores/schema.ts';
import type { CursorCodec } from './cursors.ts';
import { nameProblem } from './names.ts';
import { pageOf, type Page, type PageRequest } from './paging.ts';
import { folderToWire, rootFolder } from './serializers.ts';
import { newNode } from './tree-nodes.ts';

export const FOLDER_SORT_COLUMNS: Record<FolderSortField, FolderSortColumn> = {
  displayName: 'sort_name',
  updatedDate: 'updated_date',
};

export interface FolderSort {
  fieldName: FolderSortField;
  order: SortOrder;
}

const DEFAULT_SORT: FolderSort = { fieldName: 'updatedDate', order: 'DESC' };

export function isRootId(id: string): boolean {
  return (ROOT_FOLDER_IDS as readonly string[]).includes(id);
}

export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** A place new items can go: a live root or a live folder. */
export interface Destination {
  id: string;
  root: LiveRoot;
}

export class FolderService {
  constructor(
    private readonly store: MetadataStore,
    private readonly codec: CursorCodec,
    private readonly siteId: string,
  ) {}

  toWire(row: FolderRow): Folder {
    return folderToWire(row, this.siteId);
  }

  /**
   * Resolves a folder items can be created in or moved to. Trash is not a destination: items get there by
   * being deleted.
   */
  async destination(folderId: string, field: string): Promise<Destination> {
    if (folderId === MEDIA_ROOT_ID) return { id: folderId, root: 'MEDIA_ROOT' };
    if (folderId === VISITOR_UPLOADS_ROOT_ID) return { id: folderId, root: 'VISITOR_UPLOADS_ROOT' };
    if (folderId === TRASH_ROOT_ID)
      throw invalid(field, 'items cannot be put in the trash folder; delete them');
    const row = await this.store.folders.getFolder(folderId);
    if (!row) throw notFound('Folder', folderId);
    if (row.state !== 'OK') throw new ApiError('FAILED_PRECONDITION', `Folder ${folderId} is in the trash`);
    return { id: row.id, root: row.root };
  }

  async get(folderId: string): Promise<Folder> {
    if (isRootId(folderId)) return rootFolder(folderId, this.siteId);
    const row = await this.store.folders.getFolder(folderId);
    if (!row) throw notFound('Folder', folderId);
    return this.toWire(row);
  }

  async create(displayName: string, parentFolderId: string): Promise<Folder> {
    const problem = nameProblem(displayName, FOLDER_NAME_MAX);
    if (problem) throw invalid('displayName', problem);
    return this.store.transaction(async (store) => {
      const parent = await this.destination(parentFolderId, 'parentFolderId');
      const row = this.newRow(displayName, parent);
      await store.folders.insertFolder(row);
      return this.toWire(row);
    });
  }

  private newRow(displayName: string, parent: Destination): FolderRow {
    return newNode(newId(), displayName, parent, nowIso());
  }

  /**
   * Finds or creates the folders of `filePath` (e.g. `/videos/2024`) below `base`, inside the caller's
   * transaction. Segments are matched by exact display name among live folders.
   */
  async ensurePath(base: Destination, filePath: string): Promise<Destination> {
    const segments = splitFilePath(filePath);
    let current = base;
    for (const segment of segments) {
      const existing = await this.store.folders.findLiveChildFolder(current.id, segment);
      if (existing) {
        current = { id: existing.id, root: existing.root };
        continue;
      }
      const row = this.newRow(segment, current);
      await this.store.folders.insertFolder(row);
      current = { id: row.id, root: row.root };
    }
    return current;
  }

  async update(
    folderId: string,
    patch: { displayName?: string | undefined; parentFolderId?: string | undefined },
  ) {
    if (isRootId(folderId)) {
      throw new ApiError('PERMISSION_DENIED', `The root folder ${folderId} cannot be renamed or moved`);
    }
    if (patch.displayName !== undefined) {
      const problem = nameProblem(patch.displayName, FOLDER_NAME_MAX);
      if (problem) throw invalid('folder.displayName', problem);
    }
    return this.store.transaction(async (store) => {
      const row = await store.folders.getFolder(folderId);
      if (!row) throw notFound('Folder', folderId);
      if (row.state !== 'OK') throw new ApiError('FAILED_PRECONDITION', `Folder ${folderId} is in the trash`);
      const now = nowIso();
      const next: FolderRow = { ...row, updated_date: now };
      if (patch.displayName !== undefined) {
        next.display_name = patch.displayName;
        next.sort_name = patch.displayName.toLowerCase();
      }
      if (patch.parentFolderId !== undefined && patch.parentFolderId !== row.parent_folder_id) {
        const target = await this.destination(patch.parentFolderId, 'folder.parentFolderId');
        // "a folder never moves into itself or its own subtree"
        if (target.id === folderId || (await store.folders.ancestorIds(target.id)).includes(folderId)) {
          throw invalid(
            'folder.parentFolderId',
            'a folder cannot be moved into itself or one of its sub-folders',
          );
        }
        next.parent_folder_id = target.id;
        next.location_id = target.id;
        if (target.root !== row.root) {
          await store.folders.setSubtreeRoot(folderId, target.root);
          next.root = target.root;
          next.scope = target.root;
        }
      }
      await store.folders.updateFolder(folderId, {
        display_name: next.display_name,
        sort_name: next.sort_name,
        parent_folder_id: next.parent_folder_id,
        location_id: next.location_id,
        root: next.root,
        scope: next.scope,
        updated_date: now,
      });
      return this.toWire(next);
    });
  }

  /** Lists the live sub-folders of a folder (a root or a live folder). */
  async list(parentFolderId: string, sort: FolderSort | undefined, paging: PageRequest) {
    return this.page('folders.list', 'paging.cursor', paging, async () => {
      await this.requireListable(parentFolderId, 'OK');
      return { filter: { locationId: parentFolderId, state: 'OK' }, sort: sort ?? DEFAULT_SORT };
    });
  }

  /** Lists trashed folders: the top-level trash entries, or the contents of a trashed folder. */
  async listDeleted(parentFolderId: string | undefined, sort: FolderSort | undefined, paging: PageRequest) {
    const locationId = parentFolderId ?? TRASH_ROOT_ID;
    return this.page('folders.deleted', 'paging.cursor', paging, async () => {
      await this.requireListable(locationId, 'DELETED');
      return { filter: { locationId, state: 'DELETED' }, sort: sort ?? DEFAULT_SORT };
    });
  }

  async search(
    rootFolder: RootFolder,
    search: string | undefined,
    sort: FolderSort | undefined,
    paging: PageRequest,
  ) {
    return this.page('folders.search', 'paging.cursor', paging, () => ({
      filter: { scope: rootFolder, search: search?.toLowerCase() || undefined },
      sort: sort ?? DEFAULT_SORT,
    }));
  }

  async query(
    filter: { state?: 'OK' | 'DELETED' | undefined; parentFolderId?: string | undefined },
    sort: FolderSort | undefined,
    paging: PageRequest,
  ) {
    return this.page('folders.query', 'query.cursorPaging.cursor', paging, async () => {
      const state = filter.state ?? 'OK';
      if (filter.parentFolderId !== undefined) {
        await this.requireListable(filter.parentFolderId, state);
        return { filter: { locationId: filter.parentFolderId, state }, sort: sort ?? DEFAULT_SORT };
      }
      return { filter: { scope: state === 'OK' ? 'MEDIA_ROOT' : 'TRASH_ROOT' }, sort: sort ?? DEFAULT_SORT };
    });
  }

  /** Checks that a folder exists and can hold items in the given state, so an unknown id is a 404. */
  async requireListable(folderId: string, state: 'OK' | 'DELETED'): Promise<void> {
    if (folderId === TRASH_ROOT_ID) {
      if (state === 'OK') throw invalid('parentFolderId', 'list the trash with the list-deleted endpoints');
      return;
    }
    if (isRootId(folderId)) {
      if (state === 'DELETED') throw invalid('parentFolderId', 'is not a folder in the trash');
      return;
    }
    const row = await this.store.folders.getFolder(folderId);
    if (!row) throw notFound('Folder', folderId);
  }

  private async page(
    listing: string,
    cursorField: string,
    request: PageRequest,
    spec: Parameters<typeof pageOf<FolderRow, FolderSortField, FolderSortColumn>>[0]['spec'],
  ): Promise<Page<Folder>> {
    const page = await pageOf<FolderRow, FolderSortField, FolderSortColumn>({
      codec: this.codec,
      listing,
      cursorField,
      request,
      spec,
      column: (field) => FOLDER_SORT_COLUMNS[field],
      fetch: (filter, column, order, after, limit) =>
        this.store.folders.listFolders({ filter, column, order, after, limit }),
    });
    return { rows: page.rows.map((row) => this.toWire(row)), nextCursor: page.nextCursor };
  }
}

/** Splits `filePath` into folder names, refusing empty, `.`/`..` and control-character segments. */
export function splitFilePath(filePath: string): string[] {
  const segments = filePath.split('/').filter((s) => s.length > 0);
  if (segments.length > FILE_PATH_SEGMENTS_MAX) {
    throw invalid('filePath', `must have at most ${FILE_PATH_SEGMENTS_MAX} folders`);
  }
  for (const segment of segments) {
    const problem = nameProblem(segment, FOLDER_NAME_MAX);
    if (problem) throw invalid('filePath', `folder name "${segment.slice(0, 50)}" ${problem}`);
  }
  return segments;
}
