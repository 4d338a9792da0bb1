import { MEDIA_ROOT_ID, VISITOR_UPLOADS_ROOT_ID } from '../../contract/index.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import { resolveDuplicateUpload } from './duplicate-service.ts';
import { newFileRow } from './file-rows.ts';
import type { FileService } from './file-service.ts';
import type { FolderService } from './folder-service.ts';
import { mediaTypeOf } from './media-types.ts';
import type { ProcessingService } from './processing/processing-service.ts';
import type { UploadClaim } from './upload-claims.ts';
import { checkReceivedSize, type UploadChecks } from './upload-checks.ts';
import type { UploadParams } from './upload-tokens.ts';

/** An upload whose bytes are stored under `key`, waiting for its row. */
export interface StoredUpload {
  fileId: string;
  fileName: string;
  params: UploadParams;
  size: number;
  hash: string;
  key: string;
}

/**
 * The last step of every upload (plain, tus on disk, tus on S3): the file row, or (with `onDuplicate`) the
 * existing file with these bytes, written by the holder of the token's claim in the transaction that ends it.
 */
export class UploadRegistrar {
  constructor(
    private readonly store: MetadataStore,
    private readonly blobs: BlobStore,
    private readonly folders: FolderService,
    private readonly files: FileService,
    private readonly processing: ProcessingService,
    private readonly checks: UploadChecks,
  ) {}

  /**
   * Inserts the row of a file whose blob is stored under `key`, in its destination folder (made from
   * `filePath` when given), ending `claim` in the same transaction: a row is written only by the holder of
   * the token's claim, and the token is done with once it is. The blob is removed when the row cannot be
   * written. With `onDuplicate` other than `KEEP_BOTH` and these bytes already in a live file, no row is
   * written: the blob is removed and the existing file's id is returned (see `resolveDuplicateUpload`).
   */
  async register(
    file: StoredUpload,
    expected: number | null | undefined,
    claim: UploadClaim | undefined,
  ): Promise<string> {
    const { params, size, key } = file;
    let fileId = file.fileId;
    try {
      checkReceivedSize(size, expected);
      fileId = await this.store.transaction(async (store) => {
        const placeOf = async () => {
          let parent = await this.folders
            .destination(params.parentFolderId, 'parentFolderId')
            // The folder went to the trash while the bytes were on their way: keep the file, in its root.
            .catch(() =>
              params.visitor
                ? { id: VISITOR_UPLOADS_ROOT_ID, root: 'VISITOR_UPLOADS_ROOT' as const }
                : { id: MEDIA_ROOT_ID, root: 'MEDIA_ROOT' as const },
            );
          if (params.filePath) parent = await this.folders.ensurePath(parent, params.filePath);
          return parent;
        };
        const duplicate = await resolveDuplicateUpload(
          store,
          this.files,
          params.onDuplicate,
          file.hash,
          async () => ({
            parentFolderId: (await placeOf()).id,
            fileName: file.fileName,
          }),
        );
        if (duplicate) {
          await claim?.commit(store, duplicate.fileId);
          return duplicate.fileId;
        }
        await this.checks.checkQuotas(params, size);
        const mediaType = mediaTypeOf(params.mimeType, file.fileName);
        const row = newFileRow({
          id: file.fileId,
          fileName: file.fileName,
          parent: await placeOf(),
          mimeType: params.mimeType,
          mediaType,
          labels: params.labels,
          private: params.private,
          externalInfo: params.externalInfo === null ? null : JSON.stringify(params.externalInfo),
          size,
          hash: file.hash,
          // Media processing fills in dimensions and renditions; other files are complete as they are.
          operationStatus: this.processing.needsProcessing({
            media_type: mediaType,
            mime_type: params.mimeType,
          })
            ? 'PENDING'
            : 'READY',
          sourceUrl: null,
          blobKey: key,
        });
        await store.files.insertFile(row);
        // A visitor's file waits for review (Approve / Reject); an admin's upload does not.
        if (params.visitor && row.root === 'VISITOR_UPLOADS_ROOT') await store.moderation.markNew(row.id);
        await claim?.commit(store, row.id);
        if (row.operation_status === 'PENDING') await this.processing.enqueue(row.id);
        return row.id;
      });
      this.processing.wake();
    } catch (error) {
      await this.blobs.delete([key]);
      throw error;
    }
    // The upload answered an existing file: its bytes are not kept (a crash before this leaves a blob no row
    // owns, which the blob sweeper removes).
    if (fileId !== file.fileId) await this.blobs.delete([key]);
    return fileId;
  }
}
