import type { MediaType } from '../../contract/index.ts';
import { nowIso } from '../clock.ts';
import { ApiError } from '../errors.ts';
import type { ContentsCount, ContentsStore } from '../stores/contents-store.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { FolderService } from './folder-service.ts';
import { isRootId } from './folder-service.ts';

/**
 * Whole-folder operations of the admin app (not in Wix's API): the item count of a listing, and "all items of
 * folder X except these" for the bulk actions, so a folder of thousands is one request and one transaction,
 * whatever the browser has loaded.
 */
export class ContentsService {
  constructor(
    private readonly store: MetadataStore,
    private readonly contents: ContentsStore,
    private readonly folders: FolderService,
  ) {}

  async count(
    folderId: string,
    state: 'OK' | 'DELETED',
    mediaTypes: readonly MediaType[] | undefined,
  ): Promise<ContentsCount> {
    await this.folders.requireListable(folderId, state);
    return this.contents.count({ locationId: folderId, state, mediaTypes });
  }

  /**
   * Moves everything in a live folder to the trash but the excepted items: its sub-folders with their subtrees,
   * and its files (of these types only, when given; then no folders). One transaction: all or nothing.
   */
  async trashContents(
    folderId: string,
    options: {
      mediaTypes?: readonly MediaType[] | undefined;
      exceptFolderIds?: readonly string[] | undefined;
      exceptFileIds?: readonly string[] | undefined;
    },
  ): Promise<{ trashedFolders: number; trashedFiles: number }> {
    return this.store.transaction(async (store) => {
      await this.folders.requireListable(folderId, 'OK');
      if (!isRootId(folderId)) {
        const folder = await store.folders.getFolder(folderId);
        if (folder?.state !== 'OK') {
          throw new ApiError('FAILED_PRECONDITION', `Folder ${folderId} is in the trash`);
        }
      }
      const now = nowIso();
      const folderIds = options.mediaTypes?.length
        ? []
        : await this.contents.liveFolderIds(folderId, new Set(options.exceptFolderIds ?? []));
      if (folderIds.length > 0) await store.trash.trash('folders', folderIds, now);
      const trashedFiles = await this.contents.trashFiles(
        folderId,
        options.mediaTypes,
        options.exceptFileIds ?? [],
        now,
      );
      return { trashedFolders: folderIds.length, trashedFiles };
    });
  }
}
