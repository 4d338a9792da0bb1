import type { Readable } from 'node:stream';
import type { FileDescriptor, VisitorUploadUrlResponse } from '../../contract/index.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { ApiError } from '../errors.ts';
import { sha256 } from '../secrets.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import { newFileId, originalKey } from './file-rows.ts';
import type { FileService } from './file-service.ts';
import type { FolderService } from './folder-service.ts';
import { FinishedUploads } from './finished-uploads.ts';
import type { ProcessingService } from './processing/processing-service.ts';
import { storeThroughGate, type StoredBytes } from './upload-bytes.ts';
import { UploadClaims, type UploadClaim } from './upload-claims.ts';
import { UploadChecks, type UploadLimitOptions } from './upload-checks.ts';
import { checkMimeAllowed, type Quota, type UploadPolicy } from './upload-limits.ts';
import { UploadRegistrar } from './upload-register.ts';
import {
  UploadTokens,
  type UploadParams,
  type UploadProtocolKind,
  type UploadRequest,
} from './upload-tokens.ts';

// What other modules import from here, kept where they were before the upload service was split by job.
export { initialMedia, newFileId, originalKey } from './file-rows.ts';
export type { StoredBytes } from './upload-bytes.ts';
export {
  normaliseMime,
  TUS_PATH,
  type UploadParams,
  type UploadProtocolKind,
  type UploadRequest,
} from './upload-tokens.ts';

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

export interface UploadOptions extends UploadLimitOptions {
  uploadUrlTtlMinutes: number;
  /** How long a claim on an upload URL lasts unless renewed (see `UploadClaim`). */
  claimLeaseMs: number;
  publicUrl: string;
}

/**
 * Uploads: `generate-upload-url` and `generate-resumable-upload-url` hand out single-use, expiring tokens
 * (`UploadTokens`); a PUT of the raw bytes (plain, here) or a finalized tus upload (resumable, see
 * `ResumableUploads` and `FinishedUploads`) creates the file. Limits are checked before any byte is stored: at
 * generate time from the declared size and type, then while the bytes stream (`IngestGate`), then once more in
 * the transaction that inserts the row (quota, `UploadRegistrar`). Bytes stream to a temp blob through the
 * gate; the file row is written only after the blob is complete, so an interrupted transfer leaves neither.
 * This class is the one face of all that to routes and other services.
 */
export class UploadService {
  readonly claims: UploadClaims;
  /** Set by `ReplaceService`: where the bytes of a Replace upload's token go. */
  replacements: ReplacementCommitter | undefined;
  private readonly checks: UploadChecks;
  private readonly tokens: UploadTokens;
  private readonly registrar: UploadRegistrar;
  private readonly finished: FinishedUploads;

  constructor(
    store: MetadataStore,
    private readonly blobs: BlobStore,
    folders: FolderService,
    private readonly files: FileService,
    processing: ProcessingService,
    readonly options: UploadOptions,
  ) {
    this.claims = new UploadClaims(store, options.claimLeaseMs);
    this.checks = new UploadChecks(options);
    this.tokens = new UploadTokens(store, folders, this.checks, options);
    this.registrar = new UploadRegistrar(store, blobs, folders, files, processing, this.checks);
    this.finished = new FinishedUploads(blobs, this.checks, this.registrar);
  }

  get quota(): Quota {
    return this.options.quota;
  }

  get space() {
    return this.options.space;
  }

  quotasOf(params: Pick<UploadParams, 'visitor'>): Quota[] {
    return this.checks.quotasOf(params);
  }

  checkQuotas(params: Pick<UploadParams, 'visitor'>, additional: number): Promise<void> {
    return this.checks.checkQuotas(params, additional);
  }

  policyOf(params: Pick<UploadParams, 'visitor'>): UploadPolicy {
    return this.checks.policyOf(params);
  }

  fileNameOf(params: UploadParams, given: string | undefined): string {
    return this.checks.fileNameOf(params, given);
  }

  checkKnownSize(params: UploadParams, size: number): void {
    this.checks.checkKnownSize(params, size);
  }

  generateUploadUrl(request: UploadRequest): Promise<{ uploadUrl: string }> {
    return this.tokens.generateUploadUrl(request);
  }

  generateResumableUploadUrl(
    request: UploadRequest,
  ): Promise<{ uploadProtocol: 'TUS'; uploadUrl: string; uploadToken: string }> {
    return this.tokens.generateResumableUploadUrl(request);
  }

  generateVisitorUpload(
    request: Parameters<UploadTokens['generateVisitorUpload']>[0],
  ): Promise<VisitorUploadUrlResponse> {
    return this.tokens.generateVisitorUpload(request);
  }

  /** The URL a plain upload's bytes are PUT to. */
  plainUrl(token: string): string {
    return this.tokens.plainUrl(token);
  }

  issue(
    request: UploadRequest,
    protocol: UploadProtocolKind,
    visitor: boolean,
    extra: Pick<UploadParams, 'replaceFileId'> = {},
  ): Promise<{ token: string; expiresAt: string }> {
    return this.tokens.issue(request, protocol, visitor, extra);
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

  /** Streams bytes through the ingest gate into a blob under `key` (see `storeThroughGate`). */
  storeBytes(
    key: string,
    body: Readable,
    policy: UploadPolicy,
    declaredMime: string,
    visitor = false,
    claim?: UploadClaim,
  ): Promise<StoredBytes> {
    return storeThroughGate(this.blobs, this.checks, key, body, policy, declaredMime, visitor, claim);
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
    const fileName = this.checks.fileNameOf(params, fileNameParam);
    if (declaredLength !== undefined) this.checks.checkKnownSize(params, declaredLength);
    const policy = this.checks.policyOf(params);
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
    return this.registrar.register(
      { fileId, fileName, params, size, hash, key },
      params.sizeInBytes ?? declaredLength,
      claim,
    );
  }

  /** A finished tus upload on disk becomes a file (see `FinishedUploads.ingestLocalFile`). */
  ingestLocalFile(
    ...args: Parameters<FinishedUploads['ingestLocalFile']>
  ): ReturnType<FinishedUploads['ingestLocalFile']> {
    return this.finished.ingestLocalFile(...args);
  }

  /** A finished tus upload already in the bucket becomes a file (see `FinishedUploads.ingestPlacedBlob`). */
  ingestPlacedBlob(
    ...args: Parameters<FinishedUploads['ingestPlacedBlob']>
  ): ReturnType<FinishedUploads['ingestPlacedBlob']> {
    return this.finished.ingestPlacedBlob(...args);
  }
}
