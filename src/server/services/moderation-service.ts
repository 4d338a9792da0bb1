import { MEDIA_ROOT_ID, type Folder } from '../../contract/index.ts';
import { nowIso } from '../clock.ts';
import { ApiError, invalid } from '../errors.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { FolderService } from './folder-service.ts';

/** What the admin app shows of the review of visitor uploads. */
export interface ModerationState {
  /** Live files in Visitor Uploads not yet approved or rejected. */
  newCount: number;
  /** The first of them, oldest upload first (as many as asked for). */
  fileIds: string[];
  /** The Site Files folder Approve used last, while it is live; null before the first approval. */
  approveFolder: Folder | null;
}

/**
 * The review of visitor uploads (not in Wix's API): a visitor's upload is new until it is approved (moved into
 * a Site Files folder) or rejected (moved to the trash). Each action and the end of the review happen in one
 * transaction, so a file is never moved yet still new, nor trashed yet still counted.
 */
export class ModerationService {
  constructor(
    private readonly store: MetadataStore,
    private readonly folders: FolderService,
  ) {}

  async state(limit: number): Promise<ModerationState> {
    const [newCount, fileIds, approveFolder] = await Promise.all([
      this.store.moderation.countNew(),
      this.store.moderation.queue(limit),
      this.approveFolder(),
    ]);
    return { newCount, fileIds, approveFolder };
  }

  /** Moves visitor uploads into a Site Files folder, ends their review, and remembers the folder for next time. */
  async approve(fileIds: readonly string[], folderId: string): Promise<ModerationState> {
    const ids = [...new Set(fileIds)];
    await this.store.transaction(async (store) => {
      const destination = await this.folders.destination(folderId, 'folderId');
      if (destination.root !== 'MEDIA_ROOT') {
        throw invalid('folderId', 'approved files go to a folder of Site Files');
      }
      await this.requireLiveVisitorFiles(ids);
      const now = nowIso();
      await store.moderation.approve(ids, destination, now);
      await store.moderation.rememberApproveFolder(destination.id, now);
    });
    return this.state(0);
  }

  /** Moves visitor uploads to the trash and ends their review (restoring one puts it back, reviewed). */
  async reject(fileIds: readonly string[]): Promise<ModerationState> {
    const ids = [...new Set(fileIds)];
    await this.store.transaction(async (store) => {
      await this.requireLiveVisitorFiles(ids);
      await store.trash.trash('files', ids, nowIso());
      await store.moderation.markReviewed(ids);
    });
    return this.state(0);
  }

  /** Every id names a live file in Visitor Uploads, or nothing happens. */
  private async requireLiveVisitorFiles(ids: readonly string[]): Promise<void> {
    const rows = await this.store.files.getFiles(ids);
    const found = new Set(rows.map((r) => r.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new ApiError('RESOURCE_NOT_FOUND', `Files not found: ${missing.slice(0, 10).join(', ')}`, {
        ids: missing,
      });
    }
    const trashed = rows.filter((r) => r.state !== 'OK').map((r) => r.id);
    if (trashed.length > 0) {
      throw new ApiError('FAILED_PRECONDITION', `Files in the trash: ${trashed.slice(0, 10).join(', ')}`, {
        ids: trashed,
      });
    }
    const elsewhere = rows.filter((r) => r.root !== 'VISITOR_UPLOADS_ROOT').map((r) => r.id);
    if (elsewhere.length > 0) {
      throw new ApiError(
        'FAILED_PRECONDITION',
        `Files not in Visitor Uploads: ${elsewhere.slice(0, 10).join(', ')}`,
        { ids: elsewhere },
      );
    }
  }

  /** The remembered folder while it is a live Site Files folder; null once it is gone or trashed. */
  private async approveFolder(): Promise<Folder | null> {
    const id = await this.store.moderation.approveFolderId();
    if (id === null) return null;
    if (id === MEDIA_ROOT_ID) return this.folders.get(id);
    const row = await this.store.folders.getFolder(id);
    if (row?.state !== 'OK' || row.root !== 'MEDIA_ROOT') return null;
    return this.folders.toWire(row);
  }
}
