import { MEDIA_ROOT_ID, VISITOR_UPLOADS_ROOT_ID } from '../../contract/index.ts';
import { blobKeysOf } from './processing/assets.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { nowIso } from '../clock.ts';
import { ApiError } from '../errors.ts';
import { ImageStore } from '../stores/image-store.ts';
import { SharingStore } from '../stores/sharing-store.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { LiveRoot } from '../stores/sql-helpers.ts';
import type { FileRow, FolderRow } from '../stores/schema.ts';
import { isRootId, type Destination } from './folder-service.ts';

type Kind = 'folders' | 'files';

/**
 * Delete (to the trash or for good) and restore, for folders and files alike.
 * "Delete without `permanent` moves items to the trash ... Deleting a folder trashes its whole subtree with it.
 * Deleting an item that is already in the trash is not an error. `permanent: true` removes the item and its
 * bytes." "Restore puts items back where they were; if the original parent folder is gone or itself in the
 * trash, they go to `media-root`."
 * A bulk call names only existing items or changes nothing (404 with the missing ids).
 */
export class TrashService {
  constructor(
    private readonly store: MetadataStore,
    private readonly blobs: BlobStore,
    private readonly log: { warn: (obj: object, msg: string) => void },
  ) {}

  async delete(kind: Kind, ids: readonly string[], permanent: boolean): Promise<void> {
    const unique = [...new Set(ids)];
    const blobKeys = await this.store.transaction(async (store) => {
      await this.requireExisting(store, kind, unique);
      if (!permanent) {
        await store.trash.trash(kind, unique, nowIso());
        return [];
      }
      return kind === 'files' ? this.purgeRows(store, unique, []) : this.purgeRows(store, [], unique);
    });
    await this.removeBlobs(blobKeys);
  }

  /**
   * Deletes files and folders (with what went to the trash with them) for good, inside the caller's
   * transaction, and returns the blob keys to remove once it committed (`removeBlobs`).
   */
  async purgeRows(
    store: MetadataStore,
    fileIds: readonly string[],
    folderIds: readonly string[],
  ): Promise<string[]> {
    const purged = await store.trash.purge(fileIds, folderIds);
    // Share links of the purged files go with them.
    await new SharingStore(store).deleteOrphans();
    // Rendered image variants of the purged files go with them.
    return [...purged.flatMap(blobKeysOf), ...(await new ImageStore(store).takeOrphanVariants())];
  }

  /**
   * Bytes go after the rows are gone: a failure (or a crash) here leaves an orphan blob, never a row without
   * bytes; the blob sweeper (blob-sweeper.ts) removes it once past its grace period.
   */
  async removeBlobs(blobKeys: readonly string[]): Promise<void> {
    if (blobKeys.length === 0) return;
    try {
      await this.blobs.delete([...blobKeys]);
    } catch (error) {
      this.log.warn({ err: error, count: blobKeys.length }, 'could not remove the blobs of purged files');
    }
    // Room was freed: the SQLite slack file, if a full disk used it up, can come back.
    this.store.keepSlack();
  }

  async restore(kind: Kind, ids: readonly string[]): Promise<void> {
    const unique = [...new Set(ids)];
    await this.store.transaction(async (store) => {
      await this.requireExisting(store, kind, unique);
      await this.restoreIds(store, kind, unique, nowIso());
    });
  }

  /** Restores trashed items inside the caller's transaction; returns those that were still in the trash. */
  async restoreIds(store: MetadataStore, kind: Kind, ids: readonly string[], now: string): Promise<string[]> {
    const restored: string[] = [];
    for (const id of ids) {
      // Re-read: restoring an earlier id of this call may already have restored this one.
      const row = kind === 'files' ? await store.files.getFile(id) : await store.folders.getFolder(id);
      if (!row || row.state !== 'DELETED') continue;
      const home = await this.restoreTarget(store, row.parent_folder_id, row.root);
      await store.trash.restore(kind, row, home.id, home.root, now);
      restored.push(id);
    }
    return restored;
  }

  /** Where a restored item goes: its old parent if that is live, else `media-root`. */
  private async restoreTarget(store: MetadataStore, parentId: string, root: LiveRoot): Promise<Destination> {
    if (parentId === MEDIA_ROOT_ID || parentId === VISITOR_UPLOADS_ROOT_ID) return { id: parentId, root };
    const parent = await store.folders.getFolder(parentId);
    if (parent && parent.state === 'OK') return { id: parent.id, root: parent.root };
    return { id: MEDIA_ROOT_ID, root: 'MEDIA_ROOT' };
  }

  private async requireExisting(store: MetadataStore, kind: Kind, ids: readonly string[]) {
    const roots = kind === 'folders' ? ids.filter(isRootId) : [];
    if (roots.length > 0) {
      throw new ApiError(
        'PERMISSION_DENIED',
        `Root folders cannot be deleted or restored: ${roots.join(', ')}`,
      );
    }
    const rows: (FileRow | FolderRow)[] =
      kind === 'files' ? await store.files.getFiles(ids) : await store.folders.getFolders(ids);
    const found = new Set(rows.map((r) => r.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      const what = kind === 'files' ? 'Files' : 'Folders';
      throw new ApiError('RESOURCE_NOT_FOUND', `${what} not found: ${missing.slice(0, 10).join(', ')}`, {
        ids: missing,
      });
    }
  }
}
