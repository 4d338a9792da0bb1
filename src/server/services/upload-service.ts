import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  FILE_NAME_MAX,
  MEDIA_ROOT_ID,
  UPLOAD_LABELS_MAX,
  VISITOR_UPLOADS_ROOT_ID,
  type FileDescriptor,
  type FileMedia,
  type MediaType,
  type OnDuplicate,
  type VisitorUploadUrlResponse,
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
import { resolveDuplicateUpload } from './duplicate-service.ts';
import type { ProcessingService } from './processing/processing-service.ts';
import { UploadClaims, type UploadClaim } from './upload-claims.ts';
import { contentMismatch, SNIFF_BYTES } from './sniff.ts';
import type { StorageGuard } from './storage-guard.ts';
import {
  checkDeclaredSize,
  checkMimeAllowed,
  IngestGate,
  quotaLeft,
  zeroFileSize,
  type Quota,
  type UploadPolicy,
} from './upload-limits.ts';

export interface UploadRequest {
  mimeType: string;
  fileName?: string | undefined;
  sizeInBytes?: number | undefined;
  parentFolderId?: string | undefined;
  private?: boolean | undefined;
  labels?: string[] | undefined;
  externalInfo?: unknown;
  filePath?: string | undefined;
  /** Extension only (`/site-media-ext/v1`): what to do when the bytes are already in the library. */
  onDuplicate?: OnDuplicate | undefined;
}

/** Which upload flow a token opens: a plain PUT, a tus upload, or (visitor tokens) whichever comes first. */
export type UploadProtocolKind = 'plain' | 'tus' | 'any';

/** What an upload token stands for, resolved and checked when the URL was generated. */
export interface UploadParams {
  /** Absent in tokens made before resumable uploads existed: plain. */
  protocol?: UploadProtocolKind;
  /** A site visitor's token: the visitor policy applies, and the file goes to visitor-uploads. */
  visitor?: boolean;
  mimeType: string;
  fileName: string | null;
  sizeInBytes: number | null;
  parentFolderId: string;
  filePath: string | null;
  private: boolean;
  labels: string[];
  externalInfo: unknown;
  /** A Replace upload's token: the bytes become this file's new version (see `ReplaceService`). */
  replaceFileId?: string;
  /** Absent (tokens from Wix's endpoints, visitors, imports): `KEEP_BOTH`. */
  onDuplicate?: OnDuplicate;
}

/** Commits the bytes of a Replace upload (`ReplaceService`), instead of inserting a new file. */
export interface ReplacementCommitter {
  /** The blob key the new bytes of `fileId` go to (one of their own: the earlier bytes stay where they are). */
  replacementKey(fileId: string): string;
  commit(
    params: UploadParams,
    stored: { key: string; size: number; hash: string },
    claim: UploadClaim | undefined,
  ): Promise<void>;
}

export interface UploadOptions {
  /** Limits of uploads made with the API key (and of imports). */
  policy: UploadPolicy;
  /** Limits of visitor uploads. */
  visitorPolicy: UploadPolicy;
  /** The site quota: every upload and import. */
  quota: Quota;
  /** The Visitor Uploads quota: visitor uploads, on top of the site quota. */
  visitorQuota: Quota;
  /** The free-space reserve of the data volume. */
  space: StorageGuard;
  uploadUrlTtlMinutes: number;
  /** How long a claim on an upload URL lasts unless renewed (see `UploadClaim`). */
  claimLeaseMs: number;
  publicUrl: string;
}

/** Path of the tus creation endpoint; uploads live below it and `PUT <it>/<token>` finalizes one. */
export const TUS_PATH = '/upload/v1/tus';

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

/** Validates and normalises a MIME type given by a client. */
export function normaliseMime(mimeType: string, field: string): string {
  const mime = mimeType.trim().toLowerCase();
  if (!MIME.test(mime)) throw invalid(field, 'must be a MIME type like image/jpeg');
  return mime;
}

/** Blob key of a file's original bytes. */
export function originalKey(fileId: string): string {
  return `originals/${fileId.slice(0, 2)}/${fileId}`;
}

/** A file id: random hex, with the original's extension so URLs show what they are. */
export function newFileId(fileName: string): string {
  const ext = extensionOf(fileName)
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 10);
  return ext ? `${newId()}.${ext}` : newId();
}

/**
 * The `media` object stored at ingest. Dimensions, colours and renditions are filled in by processing; until
 * then each type carries what is known from the upload itself.
 */
export function initialMedia(
  mediaType: MediaType,
  fileId: string,
  fileName: string,
  size: number,
): FileMedia {
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

/** The first `length` bytes of a file (fewer when it is shorter). */
async function readHead(file: string, length: number): Promise<Buffer> {
  const handle = await fsp.open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** SHA-256 of a file, read as a stream. */
async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/** Bytes stored through the ingest gate. */
export interface StoredBytes {
  size: number;
  hash: string;
  /** What the first bytes showed, when the signature table knows them. */
  detectedMime: string | undefined;
}

/**
 * Uploads: `generate-upload-url` and `generate-resumable-upload-url` hand out single-use, expiring tokens (kept
 * only as hashes); a PUT of the raw bytes (plain) or a finalized tus upload (resumable, see
 * `ResumableUploads`) creates the file. Limits are checked before any byte is stored: at generate time from
 * the declared size and type, then while the bytes stream (`IngestGate`), then once more in the transaction
 * that inserts the row (quota). Bytes stream to a temp blob through the gate; the file row is written only
 * after the blob is complete, so an interrupted transfer leaves neither.
 */
export class UploadService {
  readonly claims: UploadClaims;
  /** Set by `ReplaceService`: where the bytes of a Replace upload's token go. */
  replacements: ReplacementCommitter | undefined;

  constructor(
    private readonly store: MetadataStore,
    private readonly blobs: BlobStore,
    private readonly folders: FolderService,
    private readonly files: FileService,
    private readonly processing: ProcessingService,
    readonly options: UploadOptions,
  ) {
    this.claims = new UploadClaims(store, options.claimLeaseMs);
  }

  get quota(): Quota {
    return this.options.quota;
  }

  get space(): StorageGuard {
    return this.options.space;
  }

  /** The quotas an upload counts against: the site's, and for a visitor's also Visitor Uploads'. */
  quotasOf(params: Pick<UploadParams, 'visitor'>): Quota[] {
    return params.visitor ? [this.options.quota, this.options.visitorQuota] : [this.options.quota];
  }

  /** Refuses when `additional` more bytes would not fit every quota of the upload. */
  async checkQuotas(params: Pick<UploadParams, 'visitor'>, additional: number): Promise<void> {
    for (const quota of this.quotasOf(params)) await quota.check(additional);
  }

  async generateUploadUrl(request: UploadRequest): Promise<{ uploadUrl: string }> {
    const { token } = await this.issue(request, 'plain', false);
    return { uploadUrl: this.plainUrl(token) };
  }

  async generateResumableUploadUrl(
    request: UploadRequest,
  ): Promise<{ uploadProtocol: 'TUS'; uploadUrl: string; uploadToken: string }> {
    const { token } = await this.issue(request, 'tus', false);
    return { uploadProtocol: 'TUS', uploadUrl: this.tusUrl(), uploadToken: token };
  }

  /**
   * A visitor's upload: one token, good for either protocol (the first use wins), that always puts the file
   * in visitor-uploads under the visitor policy.
   */
  async generateVisitorUpload(request: {
    mimeType: string;
    fileName: string;
    sizeInBytes?: number | undefined;
  }): Promise<VisitorUploadUrlResponse> {
    const { token, expiresAt } = await this.issue(
      {
        mimeType: request.mimeType,
        fileName: request.fileName,
        sizeInBytes: request.sizeInBytes,
        parentFolderId: VISITOR_UPLOADS_ROOT_ID,
      },
      'any',
      true,
    );
    return {
      uploadUrl: this.plainUrl(token),
      resumableUploadUrl: this.tusUrl(),
      uploadToken: token,
      expiresAt,
    };
  }

  private plainUrl(token: string): string {
    return `${this.options.publicUrl}/upload/v1/${token}`;
  }

  private tusUrl(): string {
    return `${this.options.publicUrl}${TUS_PATH}`;
  }

  policyOf(params: Pick<UploadParams, 'visitor'>): UploadPolicy {
    return params.visitor ? this.options.visitorPolicy : this.options.policy;
  }

  /** Checks an upload request and stores its token; `extra` marks a Replace upload's. */
  async issue(
    request: UploadRequest,
    protocol: UploadProtocolKind,
    visitor: boolean,
    extra: Pick<UploadParams, 'replaceFileId'> = {},
  ): Promise<{ token: string; expiresAt: string }> {
    const mimeType = normaliseMime(request.mimeType, 'mimeType');
    if (request.fileName !== undefined) {
      const problem = nameProblem(request.fileName, FILE_NAME_MAX);
      if (problem) throw invalid('fileName', problem);
    }
    if (request.filePath !== undefined) splitFilePath(request.filePath);
    const labels = validateLabels(request.labels ?? [], UPLOAD_LABELS_MAX, 'labels');
    const parentFolderId = request.parentFolderId ?? MEDIA_ROOT_ID;
    await this.folders.destination(parentFolderId, 'parentFolderId');
    // Limits, before any byte is sent: type, declared size, quotas, free disk space.
    const policy = this.policyOf({ visitor });
    checkMimeAllowed(mimeType, policy);
    if (request.sizeInBytes !== undefined) checkDeclaredSize(request.sizeInBytes, policy);
    await this.checkQuotas({ visitor }, request.sizeInBytes ?? 0);
    await this.space.check(request.sizeInBytes ?? 0);

    const params: UploadParams = {
      protocol,
      visitor,
      mimeType,
      fileName: request.fileName ?? null,
      sizeInBytes: request.sizeInBytes ?? null,
      parentFolderId,
      filePath: request.filePath ?? null,
      private: request.private ?? false,
      labels,
      externalInfo: request.externalInfo ?? null,
      ...extra,
      ...(request.onDuplicate && !visitor && { onDuplicate: request.onDuplicate }),
    };
    const token = randomToken(32);
    const expiresAt = isoIn(this.options.uploadUrlTtlMinutes * 60_000);
    await this.store.uploadTokens.insertUploadToken(sha256(token), JSON.stringify(params), expiresAt);
    return { token, expiresAt };
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
    const claimed = await this.claims.claimPlain(sha256(token));
    if (claimed === undefined) {
      throw new ApiError(
        'PERMISSION_DENIED',
        'This upload URL is invalid, expired, already used, or in use by another upload',
      );
    }
    const { claim } = claimed;
    const params = JSON.parse(claimed.params) as UploadParams;
    if (params.protocol === 'tus') {
      await claim.release();
      throw new ApiError(
        'PERMISSION_DENIED',
        'This token is for a resumable (tus) upload; send the bytes to the tus endpoint',
      );
    }
    // The token is used up in the transaction that inserts the file (`claim.commit`).
    const fileId = await this.ingest(params, body, declaredLength, fileNameParam, claim).catch(
      async (error: unknown) => {
        // The transfer did not complete: hand the token back so the client can retry with the same URL.
        await claim.release();
        throw error;
      },
    );
    claim.stop();
    return this.files.get(fileId);
  }

  /** The file name an upload gets: the one given at generate time, else the one given with the bytes. */
  fileNameOf(params: UploadParams, given: string | undefined): string {
    const fileName = params.fileName ?? given;
    if (!fileName) {
      throw invalid('filename', 'give fileName when generating the URL or ?filename= with the upload');
    }
    const problem = nameProblem(fileName, FILE_NAME_MAX);
    if (problem) throw invalid('filename', problem);
    return fileName;
  }

  /** Checks a size known before the bytes come (Content-Length, tus Upload-Length) against the token. */
  checkKnownSize(params: UploadParams, size: number): void {
    checkDeclaredSize(size, this.policyOf(params));
    if (params.sizeInBytes !== null && size !== params.sizeInBytes) {
      throw invalid('sizeInBytes', `the upload URL was made for ${params.sizeInBytes} bytes, not ${size}`);
    }
  }

  /**
   * Streams bytes through the ingest gate (size limit, quotas, free disk space, content check, hash) into a
   * blob under `key`. Nothing is left behind when it fails.
   */
  async storeBytes(
    key: string,
    body: Readable,
    policy: UploadPolicy,
    declaredMime: string,
    visitor = false,
    claim?: UploadClaim,
  ): Promise<StoredBytes> {
    const left = await quotaLeft(this.quotasOf({ visitor }));
    const gate = new IngestGate({
      maxBytes: policy.maxFileSizeBytes,
      quotaRemaining: left?.remaining ?? null,
      quotaBytes: null,
      quotaExceeded: left?.exceeded,
      declaredMime,
      space: this.space.meter(),
    });
    body.on('error', (error) => gate.destroy(error));
    body.on('aborted', () => gate.destroy(new Error('the transfer was cut off before the end')));
    // The claim on the URL lives while the bytes flow; taken over meanwhile, the transfer stops.
    claim?.watchBytes(
      () => gate.size,
      (error) => gate.destroy(error),
    );
    let size: number;
    try {
      size = await this.blobs.put(key, body.pipe(gate));
    } finally {
      claim?.unwatchBytes();
    }
    return { size, hash: gate.digest(), detectedMime: gate.detectedMime };
  }

  /**
   * Stores the bytes of a plain upload (streamed through the ingest gate) and inserts its file row, ending
   * `claim` (the token's) in the same transaction. Resolves with the new file's id.
   */
  async ingest(
    params: UploadParams,
    body: Readable,
    declaredLength: number | undefined,
    fileNameParam: string | undefined,
    claim?: UploadClaim,
  ): Promise<string> {
    const fileName = this.fileNameOf(params, fileNameParam);
    if (declaredLength !== undefined) this.checkKnownSize(params, declaredLength);
    const policy = this.policyOf(params);
    checkMimeAllowed(params.mimeType, policy);
    // Before a byte is stored: the disk must keep its reserve with the declared length on it.
    await this.space.check(declaredLength ?? 0);

    const replacing = params.replaceFileId;
    if (replacing !== undefined) {
      if (!this.replacements) throw new ApiError('INTERNAL', 'Replace is not available');
      const key = this.replacements.replacementKey(replacing);
      const stored = await this.storeBytes(key, body, policy, params.mimeType, params.visitor, claim);
      await this.replacements.commit(params, { key, ...stored }, claim);
      return replacing;
    }
    const fileId = newFileId(fileName);
    const key = originalKey(fileId);
    const { size, hash } = await this.storeBytes(key, body, policy, params.mimeType, params.visitor, claim);
    return this.register(
      { fileId, fileName, params, size, hash, key },
      params.sizeInBytes ?? declaredLength,
      claim,
    );
  }

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
    const fileName = this.fileNameOf(params, fileNameParam);
    this.checkKnownSize(params, size);
    const policy = this.policyOf(params);
    checkMimeAllowed(params.mimeType, policy);
    const mismatch = contentMismatch(params.mimeType, await readHead(localPath, SNIFF_BYTES));
    if (mismatch) {
      throw new ApiError('MISMATCH_MIME_TYPE', mismatch.description, {
        declaredMimeType: mismatch.declared,
        detectedMimeType: mismatch.detected,
      });
    }
    await this.checkQuotas(params, size);

    const fileId = newFileId(fileName);
    const key = originalKey(fileId);
    const digest = hash ?? (await hashFile(localPath));
    const stored = await this.blobs.putFile(key, localPath);
    return this.register({ fileId, fileName, params, size: stored, hash: digest, key }, size, claim);
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
    const fileName = this.fileNameOf(params, fileNameParam);
    this.checkKnownSize(params, blob.size);
    if (blob.size === 0) throw zeroFileSize();
    const policy = this.policyOf(params);
    checkMimeAllowed(params.mimeType, policy);
    const mismatch = contentMismatch(params.mimeType, blob.head);
    if (mismatch) {
      throw new ApiError('MISMATCH_MIME_TYPE', mismatch.description, {
        declaredMimeType: mismatch.declared,
        detectedMimeType: mismatch.detected,
      });
    }
    await this.checkQuotas(params, blob.size);
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
    return this.register({ fileId, fileName, params, size: blob.size, hash, key }, blob.size, claim);
  }

  /**
   * Inserts the row of a file whose blob is stored under `key`, in its destination folder (made from
   * `filePath` when given), ending `claim` in the same transaction: a row is written only by the holder of
   * the token's claim, and the token is done with once it is. The blob is removed when the row cannot be written.
   * With `onDuplicate` other than `KEEP_BOTH` and these bytes already in a live file, no row is written: the
   * blob is removed and the existing file's id is returned (see `resolveDuplicateUpload`).
   */
  private async register(
    file: { fileId: string; fileName: string; params: UploadParams; size: number; hash: string; key: string },
    expected: number | null | undefined,
    claim: UploadClaim | undefined,
  ): Promise<string> {
    const { params, size, key } = file;
    let fileId = file.fileId;
    try {
      if (size === 0) throw zeroFileSize();
      if (expected !== null && expected !== undefined && size !== expected) {
        throw invalid('sizeInBytes', `expected ${expected} bytes, received ${size}`);
      }
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
        await this.checkQuotas(params, size);
        const row = this.newRow({ ...file, parent: await placeOf() });
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
      // Media processing fills in dimensions and renditions; other files are complete as they are.
      operation_status: this.processing.needsProcessing({ media_type: mediaType, mime_type: params.mimeType })
        ? 'PENDING'
        : 'READY',
      failure_reason: null,
      source_url: null,
      media: JSON.stringify(initialMedia(mediaType, fileId, fileName, size)),
      external_info: params.externalInfo === null ? null : JSON.stringify(params.externalInfo),
      blob_key: key,
      assets: '{}',
      created_date: now,
      updated_date: now,
    };
  }
}
