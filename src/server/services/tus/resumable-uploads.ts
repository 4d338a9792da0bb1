import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERRORS, EVENTS, Server, type Upload } from '@tus/server';
import { sendNodeResponse } from 'srvx/node';
import type { FileDescriptor } from '../../../contract/index.ts';
import { isoIn, nowIso } from '../../clock.ts';
import { ApiError } from '../../errors.ts';
import { sha256 } from '../../secrets.ts';
import { storageFailure } from '../../storage-errors.ts';
import type { MetadataStore } from '../../stores/metadata-store.ts';
import type { FileService } from '../file-service.ts';
import { checkMimeAllowed } from '../upload-limits.ts';
import { newFileId, TUS_PATH, type UploadParams, type UploadService } from '../upload-service.ts';
import { errorBody, type TusError } from './checks.ts';
import { asContractError, codeOf, isTusError, toTusError } from './contract-errors.ts';
import { CachedConfigstore, CheckedFileStore } from './file-store.ts';
import { UncontendedFastLocker } from './locker.ts';
import { currentBody, TusRequest } from './request-body.ts';
import type { CheckedS3Store } from './s3-store.ts';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface ResumableOptions {
  /** Where unfinished tus uploads live (kept across restarts, so uploads resume after one) without `s3`. */
  directory: string;
  /**
   * Set: unfinished uploads live in S3 instead, where every instance of the server sees them. Made by the
   * caller (`s3-store.ts`, loaded only when S3 is configured: the AWS SDK is memory the default does not
   * need), with the same `expiryMs`.
   */
  s3Store?: CheckedS3Store | undefined;
  /** An upload not finalized this long after its creation expires; its bytes go at the next cleanup. */
  expiryMs: number;
  /** The largest file any uploader may send (advertised as `Tus-Max-Size`). */
  maxSizeBytes: number;
}

/**
 * Resumable uploads over tus 1.0.0 (`@tus/server` with its file store in `DATA_DIR/tus`, or with S3 configured
 * its S3 store in the bucket, where every instance sees every upload): `generate-resumable-upload-url` gives
 * the creation endpoint and a token; the client creates an upload with metadata `token` (and optionally
 * `filename`, `contentType`), PATCHes its bytes (resuming from HEAD's offset after a cut), then finalizes it
 * with `PUT <endpoint>/<token>`, which moves the bytes into the blob store through the same ingest path as a
 * plain upload. The token is the only credential: it is checked when the upload is created, tied to it (one
 * upload per token) and used up by the finalize call. The raw token is never stored, not even in the tus
 * upload's metadata.
 */
export class ResumableUploads {
  readonly server: Server;
  private readonly datastore: CheckedFileStore | CheckedS3Store;

  constructor(
    private readonly store: MetadataStore,
    private readonly uploads: UploadService,
    private readonly files: FileService,
    private readonly options: ResumableOptions,
    private readonly log: { warn: (obj: object, msg: string) => void },
  ) {
    if (options.s3Store) {
      this.datastore = options.s3Store;
    } else {
      fs.mkdirSync(options.directory, { recursive: true });
      this.datastore = new CheckedFileStore({
        directory: options.directory,
        configstore: new CachedConfigstore(options.directory),
        expirationPeriodInMilliseconds: options.expiryMs,
      });
    }
    this.datastore.checks.onMismatch = (id) => this.discard(id);
    // Bytes of PATCHes land in the data dir (not in S3): the free-space reserve is checked as they pass.
    if (this.datastore instanceof CheckedFileStore) this.datastore.checks.meter = () => uploads.space.meter();
    this.server = new Server({
      path: TUS_PATH,
      datastore: this.datastore,
      locker: new UncontendedFastLocker(),
      // Relative `Location`s work behind any proxy; clients resolve them against the creation URL.
      relativeLocation: true,
      maxSize: options.maxSizeBytes,
      onIncomingRequest: (req, id) => this.limitBody(req, id),
      onUploadCreate: (_req, upload) => this.onCreate(upload),
      onResponseError: (_req, error) => this.mapError(error),
    });
    this.server.on(EVENTS.POST_TERMINATE, (_req, _res, id) => {
      this.store.uploadTokens
        .deleteUploadTokensOfUpload(id)
        .catch((error: unknown) => this.log.warn({ err: error, id }, 'could not forget a terminated upload'));
    });
  }

  /**
   * Answers a tus request (what `Server.handle` does, through its `handleWeb`), with error answers in the
   * contract's JSON shape.
   */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Bodies are gathered into bigger chunks for the disk store only (`request-body.ts`).
    const gather = !this.options.s3Store;
    const response = await TusRequest.handle(req, res, gather, (request) => this.server.handleWeb(request));
    await sendNodeResponse(res, response.status >= 400 ? await asContractError(response) : response);
  }

  /**
   * A body without Content-Length ends where the upload does (`RequestBody`): @tus/server checks a declared
   * length itself, before any byte.
   */
  private async limitBody(req: Request, id: string): Promise<void> {
    const body = currentBody();
    if (!body || body.declaredLength !== undefined) return;
    if (req.method === 'POST') {
      const length = req.headers.get('upload-length');
      body.limitTo(length === null ? this.options.maxSizeBytes : Number(length));
    } else if (req.method === 'PATCH') {
      const upload = await this.datastore.getUpload(id);
      const offset = Number(req.headers.get('upload-offset'));
      body.limitTo((upload.size ?? this.options.maxSizeBytes) - offset);
    }
  }

  /** `Tus-Extension` as advertised. */
  get extensions(): string[] {
    return this.datastore.extensions;
  }

  /**
   * Checks a new upload before it exists: its token (free, unexpired, made for tus), its declared length and
   * type against the limits and the quota; then ties the token to it. The stored metadata keeps the name and
   * the token's MIME type, never the token.
   */
  private async onCreate(upload: Upload): Promise<{ metadata: Record<string, string | null> }> {
    try {
      const metadata = upload.metadata ?? {};
      const token = metadata.token;
      if (!token || !TOKEN.test(token)) {
        throw new ApiError('UNAUTHENTICATED', 'Send the upload token in the metadata (`token`)');
      }
      const tokenHash = sha256(token);
      const raw = await this.store.uploadTokens.freeUploadToken(tokenHash, nowIso());
      if (raw === undefined) {
        throw new ApiError('PERMISSION_DENIED', 'This upload token is invalid, expired or already used');
      }
      const params = JSON.parse(raw) as UploadParams;
      if (params.protocol !== 'tus' && params.protocol !== 'any') {
        throw new ApiError('PERMISSION_DENIED', 'This token is for a plain upload; PUT the bytes to its URL');
      }
      if (upload.size === undefined) throw new ApiError('INVALID_ARGUMENT', 'Upload-Length is required');
      this.uploads.checkKnownSize(params, upload.size);
      const policy = this.uploads.policyOf(params);
      checkMimeAllowed(params.mimeType, policy);
      if (metadata.contentType) checkMimeAllowed(metadata.contentType, policy);
      if (metadata.filename) this.uploads.fileNameOf(params, metadata.filename);
      await this.uploads.checkQuotas(params, upload.size);
      await this.uploads.space.check(upload.size);
      const bound = await this.store.uploadTokens.bindUploadToken(
        tokenHash,
        upload.id,
        nowIso(),
        isoIn(this.options.expiryMs),
      );
      if (!bound) throw new ApiError('PERMISSION_DENIED', 'This upload token was used meanwhile');
      return {
        metadata: {
          filename: metadata.filename ?? null,
          contentType: params.mimeType,
          // On S3 the bytes go straight to the blob key of the file they become: its id is chosen now.
          ...(this.options.s3Store && { fileId: newFileId(params.fileName ?? metadata.filename ?? '') }),
        },
      };
    } catch (error) {
      throw toTusError(error) ?? error;
    }
  }

  /** Every error answer in the contract's JSON shape (tus clients only read the status). */
  private mapError(error: Error | TusError): TusError {
    const storage = storageFailure(error);
    if (storage) {
      this.log.warn({ err: error }, 'tus request failed: storage');
      return toTusError(storage)!;
    }
    if (isTusError(error)) {
      if (error.body.startsWith('{')) return error;
      return {
        status_code: error.status_code,
        body: errorBody(codeOf(error.status_code), error.body.trim()),
      };
    }
    this.log.warn({ err: error }, 'tus request failed');
    return {
      status_code: 500,
      body: errorBody('INTERNAL', 'Internal error; the server log has the details'),
    };
  }

  /**
   * `PUT <endpoint>/<token>?filename=`: turns a completed upload into a file (same ingest path as a plain
   * upload: limits, content check, hash) and removes the tus upload. Idempotent: the token remembers its file
   * (marked in the transaction that inserts it), and a repeated call answers that file, so a client that never
   * saw the answer (a crash, a cut connection) just calls again. A finalize holds a lease on the token while it
   * runs (see `UploadClaim`): a concurrent one is refused, and one whose process died frees the token when
   * its lease runs out. An upload whose content can never be accepted (too big, empty, wrong type) is
   * removed with its token.
   */
  async finalize(token: string, fileNameParam: string | undefined): Promise<FileDescriptor> {
    const tokenHash = sha256(token);
    const claimed = TOKEN.test(token) ? await this.uploads.claims.claimFinalize(tokenHash) : undefined;
    if (!claimed) {
      const done = TOKEN.test(token)
        ? await this.store.uploadTokens.finalizedUploadOf(tokenHash, nowIso())
        : undefined;
      if (done) {
        // Finalized before (its answer may have been lost): the same file. A crash may have left the bytes.
        await this.removeUpload(done.uploadId);
        return this.files.get(done.fileId);
      }
      throw new ApiError(
        'PERMISSION_DENIED',
        'This upload token is invalid, expired, in use by another finalize call, or no upload was created with it',
      );
    }
    const { claim, uploadId } = claimed;
    const params = JSON.parse(claimed.params) as UploadParams;
    claim.start();
    let fileId: string;
    try {
      const upload = await this.datastore.getUpload(uploadId).catch(() => {
        throw new ApiError('RESOURCE_NOT_FOUND', 'The upload of this token is gone (expired or terminated)');
      });
      if (upload.size === undefined || upload.offset !== upload.size) {
        throw new ApiError(
          'FAILED_PRECONDITION',
          `The upload is not complete: ${upload.offset} of ${upload.size ?? '?'} bytes received`,
          { offset: String(upload.offset), size: String(upload.size ?? '') },
        );
      }
      const name = fileNameParam ?? upload.metadata?.filename ?? undefined;
      const { datastore } = this;
      fileId = !(datastore instanceof CheckedFileStore)
        ? // The multipart upload is completed in place: no byte is read back (unless the hash is missing).
          await this.uploads.ingestPlacedBlob(
            params,
            {
              ...(await datastore.finished(upload.id)),
              hash: datastore.checks.takeHash(upload.id, upload.size),
            },
            name,
            (key) => datastore.complete(upload.id, key),
            (key) => datastore.hashBlob(key),
            claim,
          )
        : await this.uploads.ingestLocalFile(
            params,
            datastore.pathOf(upload.id),
            upload.size,
            name,
            datastore.checks.takeHash(upload.id, upload.size),
            claim,
          );
    } catch (error) {
      const final =
        error instanceof ApiError &&
        ['MISMATCH_MIME_TYPE', 'FILE_SIZE_OVER_LIMIT', 'ZERO_FILE_SIZE', 'UNSUPPORTED_FILE_FORMAT'].includes(
          error.code,
        );
      claim.stop();
      if (final) await this.discard(uploadId);
      else await claim.release();
      throw error;
    }
    claim.stop();
    await this.removeUpload(uploadId);
    return this.files.get(fileId);
  }

  /** Removes an upload's bytes and its token. */
  private async discard(uploadId: string): Promise<void> {
    await this.store.uploadTokens.deleteUploadTokensOfUpload(uploadId);
    await this.removeUpload(uploadId);
  }

  private async removeUpload(uploadId: string): Promise<void> {
    this.datastore.checks.forget(uploadId);
    try {
      await this.datastore.remove(uploadId);
    } catch (error) {
      if (error !== ERRORS.FILE_NOT_FOUND) {
        this.log.warn({ err: error, uploadId }, 'could not remove a tus upload');
      }
    }
  }

  /** Removes uploads not finalized within their lifetime (their tokens expire with them). */
  async cleanupExpired(): Promise<number> {
    return this.server.cleanUpExpiredUploads();
  }

  /** Closes the S3 client's sockets, if any. */
  close(): void {
    if (!(this.datastore instanceof CheckedFileStore)) this.datastore.destroy();
  }
}
