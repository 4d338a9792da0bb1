import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import {
  FILE_NAME_MAX,
  MEDIA_ROOT_ID,
  UPLOAD_LABELS_MAX,
  type FileDescriptor,
  type FileMedia,
  type MediaType,
} from '../../contract/index.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { isoIn, nowIso } from '../clock.ts';
import { ApiError, invalid } from '../errors.ts';
import { randomToken, sha256 } from '../secrets.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { FileRow } from '../stores/schema.ts';
import type { FileService } from './file-service.ts';
import { searchTextOf, validateLabels } from './file-service.ts';
import { newId, splitFilePath, type FolderService } from './folder-service.ts';
import { extensionOf, mediaTypeOf } from './media-types.ts';
import { nameProblem } from './names.ts';

export interface UploadRequest {
  mimeType: string;
  fileName?: string | undefined;
  sizeInBytes?: number | undefined;
  parentFolderId?: string | undefined;
  private?: boolean | undefined;
  labels?: string[] | undefined;
  externalInfo?: unknown;
  filePath?: string | undefined;
}

/** What an upload token stands for, resolved and checked when the URL was generated. */
interface UploadParams {
  mimeType: string;
  fileName: string | null;
  sizeInBytes: number | null;
  parentFolderId: string;
  filePath: string | null;
  private: boolean;
  labels: string[];
  externalInfo: unknown;
}

export interface UploadLimits {
  maxFileSizeBytes: number;
  uploadUrlTtlMinutes: number;
}

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

/** Blob key of a file's original bytes. */
export function originalKey(fileId: string): string {
  return `originals/${fileId.slice(0, 2)}/${fileId}`;
}

/** A file id: random hex, with the original's extension so URLs show what they are. */
function newFileId(fileName: string): string {
  const ext = extensionOf(fileName)
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 10);
  return ext ? `${newId()}.${ext}` : newId();
}

/**
 * The `media` object stored at ingest. Dimensions, colours and renditions are filled in by processing; until
 * then each type carries what is known from the upload itself.
 */
function initialMedia(mediaType: MediaType, fileId: string, fileName: string, size: number): FileMedia {
  const file = { id: fileId, url: '', filename: fileName, sizeInBytes: String(size) };
  switch (mediaType) {
    case 'IMAGE':
    case 'VECTOR': {
      const image = {
        image: { id: fileId, url: '', width: 0, height: 0, filename: fileName, altText: null },
        colors: null,
        faces: [],
        previewImage: null,
      };
      return mediaType === 'IMAGE' ? { image } : { vector: image };
    }
    case 'VIDEO':
      return { video: { id: fileId, filename: fileName, resolutions: [] } };
    case 'AUDIO':
      return { audio: { id: fileId, assets: [] } };
    case 'DOCUMENT':
      return { document: file };
    case 'ARCHIVE':
      return { archive: file };
    case 'MODEL3D':
      return { model3d: file };
    default:
      return {};
  }
}

/**
 * Plain uploads: `generate-upload-url` hands out a URL with a single-use, expiring token; a PUT of the raw bytes
 * to it creates the file. Bytes stream to a temp blob through a hash; the file row is written only after the
 * blob is complete, so an interrupted PUT leaves neither.
 */
export class UploadService {
  constructor(
    private readonly store: MetadataStore,
    private readonly blobs: BlobStore,
    private readonly folders: FolderService,
    private readonly files: FileService,
    private readonly limits: UploadLimits,
    private readonly publicUrl: string,
  ) {}

  async generateUploadUrl(request: UploadRequest): Promise<{ uploadUrl: string }> {
    const mimeType = request.mimeType.trim().toLowerCase();
    if (!MIME.test(mimeType)) throw invalid('mimeType', 'must be a MIME type like image/jpeg');
    if (request.fileName !== undefined) {
      const problem = nameProblem(request.fileName, FILE_NAME_MAX);
      if (problem) throw invalid('fileName', problem);
    }
    if (request.sizeInBytes !== undefined) this.checkSize(request.sizeInBytes);
    if (request.filePath !== undefined) splitFilePath(request.filePath);
    const labels = validateLabels(request.labels ?? [], UPLOAD_LABELS_MAX, 'labels');
    const parentFolderId = request.parentFolderId ?? MEDIA_ROOT_ID;
    await this.folders.destination(parentFolderId, 'parentFolderId');

    const params: UploadParams = {
      mimeType,
      fileName: request.fileName ?? null,
      sizeInBytes: request.sizeInBytes ?? null,
      parentFolderId,
      filePath: request.filePath ?? null,
      private: request.private ?? false,
      labels,
      externalInfo: request.externalInfo ?? null,
    };
    const token = randomToken(32);
    await this.store.insertUploadToken(
      sha256(token),
      JSON.stringify(params),
      isoIn(this.limits.uploadUrlTtlMinutes * 60_000),
    );
    return { uploadUrl: `${this.publicUrl}/upload/v1/${token}` };
  }

  private checkSize(size: number): void {
    if (size === 0) throw new ApiError('ZERO_FILE_SIZE', 'The file is empty');
    if (size > this.limits.maxFileSizeBytes) {
      throw new ApiError(
        'FILE_SIZE_OVER_LIMIT',
        `Files may be at most ${this.limits.maxFileSizeBytes} bytes`,
        {
          maxFileSizeBytes: String(this.limits.maxFileSizeBytes),
        },
      );
    }
  }

  /**
   * Receives the bytes of a plain upload. `declaredLength` is the request's Content-Length when it sent one;
   * `fileNameParam` the optional `?filename=`.
   */
  async receive(
    token: string,
    body: Readable,
    declaredLength: number | undefined,
    fileNameParam: string | undefined,
  ): Promise<FileDescriptor> {
    const tokenHash = sha256(token);
    const claimed = await this.store.claimUploadToken(tokenHash, nowIso());
    if (claimed === undefined) {
      throw new ApiError('PERMISSION_DENIED', 'This upload URL is invalid, expired or already used');
    }
    const params = JSON.parse(claimed) as UploadParams;
    const fileId = await this.receiveClaimed(params, body, declaredLength, fileNameParam).catch(
      async (error) => {
        // The transfer did not complete: hand the token back so the client can retry with the same URL.
        await this.store.releaseUploadToken(tokenHash);
        throw error;
      },
    );
    await this.store.deleteUploadToken(tokenHash);
    return this.files.get(fileId);
  }

  private async receiveClaimed(
    params: UploadParams,
    body: Readable,
    declaredLength: number | undefined,
    fileNameParam: string | undefined,
  ): Promise<string> {
    const fileName = params.fileName ?? fileNameParam;
    if (!fileName)
      throw invalid('filename', 'give fileName when generating the URL or ?filename= on the PUT');
    const problem = nameProblem(fileName, FILE_NAME_MAX);
    if (problem) throw invalid('filename', problem);
    if (declaredLength !== undefined) this.checkSize(declaredLength);
    if (
      params.sizeInBytes !== null &&
      declaredLength !== undefined &&
      declaredLength !== params.sizeInBytes
    ) {
      throw invalid(
        'sizeInBytes',
        `the upload URL was made for ${params.sizeInBytes} bytes, not ${declaredLength}`,
      );
    }

    const fileId = newFileId(fileName);
    const key = originalKey(fileId);
    const hash = createHash('sha256');
    const max = this.limits.maxFileSizeBytes;
    let seen = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        if (seen > max) {
          done(new ApiError('FILE_SIZE_OVER_LIMIT', `Files may be at most ${max} bytes`));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    body.on('error', (error) => meter.destroy(error));
    body.on('aborted', () => meter.destroy(new Error('upload aborted by the client')));
    const size = await this.blobs.put(key, body.pipe(meter));

    try {
      if (size === 0) throw new ApiError('ZERO_FILE_SIZE', 'The file is empty');
      const expected = params.sizeInBytes ?? declaredLength;
      if (expected !== null && expected !== undefined && size !== expected) {
        throw invalid('sizeInBytes', `expected ${expected} bytes, received ${size}`);
      }
      await this.store.transaction(async (store) => {
        let parent = await this.folders
          .destination(params.parentFolderId, 'parentFolderId', store)
          // The folder went to the trash while the bytes were on their way: keep the file, in the root.
          .catch(() => ({ id: MEDIA_ROOT_ID, root: 'MEDIA_ROOT' as const }));
        if (params.filePath) parent = await this.folders.ensurePath(store, parent, params.filePath);
        await store.insertFile(
          this.newRow({ fileId, fileName, params, size, hash: hash.digest('hex'), key, parent }),
        );
      });
      return fileId;
    } catch (error) {
      await this.blobs.delete([key]);
      throw error;
    }
  }

  private newRow(args: {
    fileId: string;
    fileName: string;
    params: UploadParams;
    size: number;
    hash: string;
    key: string;
    parent: { id: string; root: FileRow['root'] };
  }): FileRow {
    const { fileId, fileName, params, size, hash, key, parent } = args;
    const now = nowIso();
    const mediaType = mediaTypeOf(params.mimeType, fileName);
    return {
      id: fileId,
      display_name: fileName,
      sort_name: fileName.toLowerCase(),
      search_text: searchTextOf(fileName, params.mimeType, params.labels),
      parent_folder_id: parent.id,
      location_id: parent.id,
      root: parent.root,
      scope: parent.root,
      state: 'OK',
      trash_batch: null,
      mime_type: params.mimeType,
      media_type: mediaType,
      size_in_bytes: size,
      hash,
      private: params.private ? 1 : 0,
      labels: JSON.stringify(params.labels),
      // No processing pipeline runs yet: what is known at ingest is all there is, so the file is READY.
      operation_status: 'READY',
      failure_reason: null,
      source_url: null,
      media: JSON.stringify(initialMedia(mediaType, fileId, fileName, size)),
      external_info: params.externalInfo === null ? null : JSON.stringify(params.externalInfo),
      blob_key: key,
      created_date: now,
      updated_date: now,
    };
  }
}
