import { FILE_NAME_MAX, TRASH_ROOT_ID, type MediaType } from '../../contract/index.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { nowIso } from '../clock.ts';
import { ApiError } from '../errors.ts';
import { randomBytes } from 'node:crypto';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { RevisedFileRow } from '../stores/replace-store.ts';
import type { FileRow } from '../stores/schema.ts';
import { searchTextOf, type FileService } from './file-service.ts';
import type { JobRunner } from './job-runner.ts';
import { extensionOf, mediaTypeOf } from './media-types.ts';
import { assetBlobKeys, assetsOf } from './processing/assets.ts';
import type { ProcessingService } from './processing/processing-service.ts';
import type { UploadClaim } from './upload-claims.ts';
import { initialMedia, newFileId, originalKey } from './file-rows.ts';
import { checkReceivedSize } from './upload-checks.ts';
import type { ReplacementCommitter, UploadService } from './upload-service.ts';
import { normaliseMime, type UploadParams } from './upload-tokens.ts';

/** Removes blobs nothing owns any more once a replace committed (the replaced renditions and variants). */
export const REPLACE_CLEANUP_JOB = 'replace-cleanup';

interface CleanupPayload {
  keys: string[];
}

/** "photo (version of 2026-12-06 14.31 UTC).jpg": the name the replaced bytes get in the trash. */
export function versionName(displayName: string, at: string): string {
  const ext = extensionOf(displayName);
  const base = ext ? displayName.slice(0, -(ext.length + 1)) : displayName;
  const suffix = ` (version of ${at.slice(0, 10)} ${at.slice(11, 13)}.${at.slice(14, 16)} UTC)${ext ? `.${ext}` : ''}`;
  const room = Math.max(1, FILE_NAME_MAX - [...suffix].length);
  return `${[...base].slice(0, room).join('').trimEnd()}${suffix}`;
}

function trashedFile(id: string): ApiError {
  return new ApiError(
    'FAILED_PRECONDITION',
    `File ${id} is in the trash; restore it before replacing its content`,
    { fileId: id, state: 'DELETED' },
  );
}

function otherMediaType(id: string, current: string, replacement: string): ApiError {
  return new ApiError(
    'UNSUPPORTED_MEDIA_TYPE',
    `File ${id} is ${current}; its content can only be replaced by another ${current}, not ${replacement}`,
    { fileId: id, mediaType: current, replacementMediaType: replacement },
  );
}

/**
 * Replace: new bytes for an existing file, which keeps its id, name, folder, URL, labels and share links.
 * `replaceUploadUrl` hands out a plain upload URL (an upload token that names the file); the PUT streams the
 * bytes to a key of their own (`replacementKey`), then one transaction (`commit`):
 * - inserts the earlier bytes as a file of their own in the trash ("name (version of <date>)", same parent),
 *   restorable like any trashed file and deleted for good by trash retention; its renditions are made again
 *   under its own id;
 * - points the file at the new bytes (hash, size, MIME type, a new revision: the `v` of its URLs), PENDING
 *   for processing when its type is processed;
 * - forgets the cached transformations of the earlier bytes and queues a job deleting them and the earlier
 *   renditions.
 * Until that commit nothing of the file changed; after it, both versions have their rows and bytes. A crash in
 * between leaves only the new blob, which no row names: the blob sweeper removes it.
 */
export class ReplaceService implements ReplacementCommitter {
  constructor(
    private readonly store: MetadataStore,
    private readonly blobs: BlobStore,
    private readonly uploads: UploadService,
    private readonly files: FileService,
    private readonly processing: ProcessingService,
    private readonly jobs: JobRunner,
  ) {
    uploads.replacements = this;
    jobs.register<CleanupPayload>(REPLACE_CLEANUP_JOB, {
      run: async ({ keys }) => {
        await this.blobs.delete(keys);
      },
    });
  }

  /** An upload URL whose bytes become `fileId`'s new content. */
  async replaceUploadUrl(
    fileId: string,
    request: { mimeType: string; sizeInBytes?: number | undefined },
  ): Promise<{ uploadUrl: string }> {
    const row = await this.files.row(fileId);
    const mimeType = normaliseMime(request.mimeType, 'mimeType');
    this.check(row, mimeType);
    const { token } = await this.uploads.issue(
      {
        mimeType,
        fileName: row.display_name,
        sizeInBytes: request.sizeInBytes,
        parentFolderId: row.parent_folder_id,
      },
      'plain',
      false,
      { replaceFileId: row.id },
    );
    return { uploadUrl: this.uploads.plainUrl(token) };
  }

  /** Refuses a replace of a trashed file, or by bytes of another media type. */
  private check(row: FileRow, mimeType: string): void {
    if (row.state !== 'OK') throw trashedFile(row.id);
    const replacement = mediaTypeOf(mimeType, row.display_name);
    if (replacement !== row.media_type) throw otherMediaType(row.id, row.media_type, replacement);
  }

  replacementKey(fileId: string): string {
    return `${originalKey(fileId)}~${randomBytes(6).toString('hex')}`;
  }

  async commit(
    params: UploadParams,
    stored: { key: string; size: number; hash: string },
    claim: UploadClaim | undefined,
  ): Promise<void> {
    const fileId = params.replaceFileId!;
    try {
      checkReceivedSize(stored.size, params.sizeInBytes);
      await this.store.transaction(async (store) => {
        const row = await store.replacements.getFile(fileId);
        if (!row) throw new ApiError('RESOURCE_NOT_FOUND', `File not found: ${fileId}`, { id: fileId });
        this.check(row, params.mimeType);
        await this.uploads.checkQuotas(params, stored.size);
        const now = nowIso();
        const oldVersionId = await this.keepEarlierVersion(store, row, now);
        const processed = this.processing.needsProcessing(row);
        await store.files.updateFile(fileId, {
          mime_type: params.mimeType,
          search_text: searchTextOf(row.display_name, params.mimeType, JSON.parse(row.labels) as string[]),
          size_in_bytes: stored.size,
          hash: stored.hash,
          blob_key: stored.key,
          assets: '{}',
          media: JSON.stringify(
            initialMedia(row.media_type as MediaType, fileId, row.display_name, stored.size),
          ),
          operation_status: processed ? 'PENDING' : 'READY',
          failure_reason: null,
          updated_date: now,
        });
        await store.replacements.setRevision(fileId, row.revision + 1);
        await claim?.commit(store, fileId);
        if (processed) await this.processing.enqueue(fileId);
        if (oldVersionId !== undefined) await this.processing.enqueue(oldVersionId);
        const stale = [...assetBlobKeys(assetsOf(row)), ...(await store.replacements.takeVariantsOf(fileId))];
        if (stale.length > 0) {
          await this.jobs.enqueue(REPLACE_CLEANUP_JOB, { keys: stale } satisfies CleanupPayload);
        }
      });
      this.processing.wake();
    } catch (error) {
      await this.blobs.delete([stored.key]);
      throw error;
    }
  }

  /**
   * Inserts the file's current bytes as a trashed file of their own (it takes over the blob; the renditions
   * are made again under its id). Resolves with its id when it needs processing.
   */
  private async keepEarlierVersion(
    store: MetadataStore,
    row: RevisedFileRow,
    now: string,
  ): Promise<string | undefined> {
    const name = versionName(row.display_name, now);
    const id = newFileId(row.display_name);
    const labels = JSON.parse(row.labels) as string[];
    const pending = this.processing.needsProcessing(row) && row.hash !== '';
    const version: FileRow = {
      id,
      display_name: name,
      sort_name: name.toLowerCase(),
      search_text: searchTextOf(name, row.mime_type, labels),
      parent_folder_id: row.parent_folder_id,
      location_id: TRASH_ROOT_ID,
      root: row.root,
      scope: 'TRASH_ROOT',
      state: 'DELETED',
      trash_batch: id,
      mime_type: row.mime_type,
      media_type: row.media_type,
      size_in_bytes: row.size_in_bytes,
      hash: row.hash,
      private: row.private,
      labels: row.labels,
      operation_status: pending ? 'PENDING' : row.operation_status,
      failure_reason: pending ? null : row.failure_reason,
      source_url: row.source_url,
      media: JSON.stringify(initialMedia(row.media_type as MediaType, id, name, row.size_in_bytes)),
      external_info: row.external_info,
      blob_key: row.blob_key,
      assets: '{}',
      created_date: row.created_date,
      updated_date: now,
    };
    await store.files.insertFile(version);
    return pending ? id : undefined;
  }
}
