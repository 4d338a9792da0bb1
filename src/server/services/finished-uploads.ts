import type { BlobStore } from '../blobs/blob-store.ts';
import { newFileId, originalKey } from './file-rows.ts';
import { SNIFF_BYTES } from './sniff.ts';
import type { UploadClaim } from './upload-claims.ts';
import { hashFile, readHead } from './upload-bytes.ts';
import type { UploadChecks } from './upload-checks.ts';
import type { UploadRegistrar } from './upload-register.ts';
import type { UploadParams } from './upload-tokens.ts';

/**
 * Finished resumable uploads becoming files: their bytes did not stream through the ingest gate (tus received
 * them), so the gate's checks run on what was recorded of them, then the blob store takes them where they are.
 */
export class FinishedUploads {
  constructor(
    private readonly blobs: BlobStore,
    private readonly checks: UploadChecks,
    private readonly registrar: UploadRegistrar,
  ) {}

  /**
   * Turns a complete local file (a finished tus upload) into a file: the same checks as the ingest gate, then
   * the blob store takes the file as it is (a hard link on disk: no byte is read or copied). `hash` is the
   * SHA-256 computed while the bytes arrived, when known; otherwise the file is read once to hash it. The
   * local file is left in place for the caller to remove.
   */
  async ingestLocalFile(
    params: UploadParams,
    localPath: string,
    size: number,
    fileNameParam: string | undefined,
    hash: string | undefined,
    claim?: UploadClaim,
  ): Promise<string> {
    const fileName = await this.checks.checkArrived(
      params,
      fileNameParam,
      size,
      () => readHead(localPath, SNIFF_BYTES),
      false,
    );
    const fileId = newFileId(fileName);
    const key = originalKey(fileId);
    const digest = hash ?? (await hashFile(localPath));
    const stored = await this.blobs.putFile(key, localPath);
    return this.registrar.register(
      { fileId, fileName, params, size: stored, hash: digest, key },
      size,
      claim,
    );
  }

  /**
   * Turns a finished upload already in the blob store's bucket (a tus upload on S3: its multipart upload was
   * made at the blob key of `blob.fileId`) into a file: the checks of the ingest gate on what was recorded as
   * the bytes arrived (first bytes, size, hash), then `place` completes the blob under the key of the file's id
   * (the same key unless the final name changes the id's extension), then the row. `hash` is undefined when the
   * bytes were not hashed as they arrived: `hashOf` reads the placed blob once.
   */
  async ingestPlacedBlob(
    params: UploadParams,
    blob: { fileId: string; size: number; head: Buffer; hash: string | undefined },
    fileNameParam: string | undefined,
    place: (key: string) => Promise<void>,
    hashOf: (key: string) => Promise<string>,
    claim?: UploadClaim,
  ): Promise<string> {
    const fileName = await this.checks.checkArrived(params, fileNameParam, blob.size, () => blob.head, true);
    // The id keeps its random part; its extension follows the final name.
    const fileId = newFileId(fileName).replace(/^[^.]*/, blob.fileId.replace(/\..*$/, ''));
    const key = originalKey(fileId);
    await place(key);
    let hash: string;
    try {
      hash = blob.hash ?? (await hashOf(key));
    } catch (error) {
      await this.blobs.delete([key]);
      throw error;
    }
    // The id of the file the upload ends as: this one, or an existing one with these bytes (`onDuplicate`).
    return this.registrar.register(
      { fileId, fileName, params, size: blob.size, hash, key },
      blob.size,
      claim,
    );
  }
}
