import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import { ERRORS, EVENTS, Server, type Upload } from '@tus/server';
import type { ErrorBody, FileDescriptor } from '../../contract/index.ts';
import { isoIn, nowIso } from '../clock.ts';
import { ApiError, ValidationError } from '../errors.ts';
import { sha256 } from '../secrets.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { FileService } from './file-service.ts';
import { contentMismatch, SNIFF_BYTES } from './sniff.ts';
import { checkMimeAllowed } from './upload-limits.ts';
import { TUS_PATH, type UploadParams, type UploadService } from './upload-service.ts';

/** A tus error as `@tus/server` sends it: status and body. Ours carry the contract's JSON error body. */
interface TusError {
  status_code: number;
  body: string;
}

/** A thrown tus error: `@tus/server` answers with its `status_code` and `body`. */
class TusResponseError extends Error implements TusError {
  constructor(
    readonly status_code: number,
    readonly body: string,
  ) {
    super(body);
  }
}

function isTusError(error: unknown): error is TusError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as TusError).status_code === 'number' &&
    typeof (error as TusError).body === 'string'
  );
}

function errorBody(code: string, message: string, data: Record<string, unknown> = {}): string {
  return JSON.stringify({
    message,
    details: { applicationError: { code, description: message, data } },
  });
}

/** Our errors, as tus errors carrying the contract's error body. */
function toTusError(error: unknown): TusResponseError | undefined {
  if (error instanceof ApiError) {
    return new TusResponseError(error.status, errorBody(error.code, error.message, error.data));
  }
  if (error instanceof ValidationError) {
    const body: ErrorBody = {
      message: error.message,
      details: { validationError: { fieldViolations: error.fieldViolations } },
    };
    return new TusResponseError(400, JSON.stringify(body));
  }
  return undefined;
}

/** The contract's code for a tus protocol error status. */
function codeOf(status: number): string {
  if (status === 404 || status === 410) return 'RESOURCE_NOT_FOUND';
  if (status === 413) return 'FILE_SIZE_OVER_LIMIT';
  if (status === 409) return 'FAILED_PRECONDITION';
  if (status === 403) return 'PERMISSION_DENIED';
  // Extensions this server does not offer (deferred length, concatenation).
  if (status === 501) return 'INVALID_ARGUMENT';
  if (status >= 500) return 'INTERNAL';
  return 'INVALID_ARGUMENT';
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The tus file store, without `creation-defer-length` (a resumable upload declares its length up front, so
 * limits and quota are checked before its first byte), and checking the first bytes of an upload against its
 * declared type as they arrive: a mismatching upload is removed before more of it is stored.
 */
class CheckedFileStore extends FileStore {
  /** Called when the first bytes contradict the declared type (the upload is removed). */
  onMismatch: (id: string) => Promise<void> = async () => {};

  constructor(options: ConstructorParameters<typeof FileStore>[0]) {
    super(options);
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    if (offset >= SNIFF_BYTES) return super.write(readable, id, offset);
    // Collect the upload's first bytes (those stored already and those arriving now), then check them.
    const held: Buffer[] = [];
    let length = 0;
    const iterator = readable[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    let ended = false;
    while (offset + length < SNIFF_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      held.push(next.value);
      length += next.value.length;
    }
    const declared = (await this.configstore.get(id))?.metadata?.contentType ?? '';
    const before = Buffer.alloc(offset);
    if (offset > 0) {
      const handle = await fsp.open(path.join(this.directory, id), 'r');
      try {
        await handle.read(before, 0, offset, 0);
      } finally {
        await handle.close();
      }
    }
    const head = Buffer.concat([before, ...held]).subarray(0, SNIFF_BYTES);
    const mismatch = contentMismatch(declared, head);
    if (mismatch) {
      await iterator.return?.();
      await this.onMismatch(id);
      throw new TusResponseError(
        400,
        errorBody('MISMATCH_MIME_TYPE', mismatch.description, {
          declaredMimeType: mismatch.declared,
          detectedMimeType: mismatch.detected,
        }),
      );
    }
    const rest = async function* () {
      yield* held;
      if (ended) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    };
    return super.write(Readable.from(rest()), id, offset);
  }
}

// FileStore's constructor creates its directory asynchronously and throws from the callback when that fails
// (an uncaught exception, e.g. when the data dir is removed meanwhile). ResumableUploads creates the directory
// synchronously before constructing the store instead.
Object.defineProperty(CheckedFileStore.prototype, 'checkOrCreateDirectory', { value: () => {} });

export interface ResumableOptions {
  /** Where unfinished tus uploads live (kept across restarts, so uploads resume after one). */
  directory: string;
  /** An upload not finalized this long after its creation expires; its bytes go at the next cleanup. */
  expiryMs: number;
  /** The largest file any uploader may send (advertised as `Tus-Max-Size`). */
  maxSizeBytes: number;
}

/**
 * Resumable uploads over tus 1.0.0 (`@tus/server` with its file store): `generate-resumable-upload-url` gives
 * the creation endpoint and a token; the client creates an upload with metadata `token` (and optionally
 * `filename`, `contentType`), PATCHes its bytes (resuming from HEAD's offset after a cut), then finalizes it
 * with `PUT <endpoint>/<token>`, which moves the bytes into the blob store through the same ingest path as a
 * plain upload. The token is the only credential: it is checked when the upload is created, tied to it (one
 * upload per token) and used up by the finalize call. The raw token is never stored, not even in the tus
 * upload's metadata.
 */
export class ResumableUploads {
  readonly server: Server;
  private readonly datastore: CheckedFileStore;

  constructor(
    private readonly store: MetadataStore,
    private readonly uploads: UploadService,
    private readonly files: FileService,
    private readonly options: ResumableOptions,
    private readonly log: { warn: (obj: object, msg: string) => void },
  ) {
    fs.mkdirSync(options.directory, { recursive: true });
    this.datastore = new CheckedFileStore({
      directory: options.directory,
      expirationPeriodInMilliseconds: options.expiryMs,
    });
    this.datastore.onMismatch = (id) => this.discard(id);
    this.server = new Server({
      path: TUS_PATH,
      datastore: this.datastore,
      // Relative `Location`s work behind any proxy; clients resolve them against the creation URL.
      relativeLocation: true,
      maxSize: options.maxSizeBytes,
      onUploadCreate: (_req, upload) => this.onCreate(upload),
      onResponseError: (_req, error) => this.mapError(error),
    });
    this.server.on(EVENTS.POST_TERMINATE, (_req, _res, id) => {
      this.store
        .deleteUploadTokensOfUpload(id)
        .catch((error: unknown) => this.log.warn({ err: error, id }, 'could not forget a terminated upload'));
    });
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
      const raw = await this.store.freeUploadToken(tokenHash, nowIso());
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
      await this.uploads.quota.check(upload.size);
      const bound = await this.store.bindUploadToken(
        tokenHash,
        upload.id,
        nowIso(),
        isoIn(this.options.expiryMs),
      );
      if (!bound) throw new ApiError('PERMISSION_DENIED', 'This upload token was used meanwhile');
      return { metadata: { filename: metadata.filename ?? null, contentType: params.mimeType } };
    } catch (error) {
      throw toTusError(error) ?? error;
    }
  }

  /** Every error answer in the contract's JSON shape (tus clients only read the status). */
  private mapError(error: Error | TusError): TusError {
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
   * upload: limits, content check, hash) and removes the tus upload. The token is used up by success; an
   * upload whose content can never be accepted (too big, empty, wrong type) is removed with its token.
   */
  async finalize(token: string, fileNameParam: string | undefined): Promise<FileDescriptor> {
    const tokenHash = sha256(token);
    const claimed = TOKEN.test(token)
      ? await this.store.claimBoundUploadToken(tokenHash, nowIso())
      : undefined;
    if (!claimed) {
      throw new ApiError(
        'PERMISSION_DENIED',
        'This upload token is invalid, expired, already used, or no upload was created with it',
      );
    }
    const params = JSON.parse(claimed.params) as UploadParams;
    let fileId: string;
    try {
      const upload = await this.datastore.getUpload(claimed.uploadId).catch(() => {
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
      fileId = await this.uploads.ingest(params, this.datastore.read(upload.id), upload.size, name);
    } catch (error) {
      const final =
        error instanceof ApiError &&
        ['MISMATCH_MIME_TYPE', 'FILE_SIZE_OVER_LIMIT', 'ZERO_FILE_SIZE', 'UNSUPPORTED_FILE_FORMAT'].includes(
          error.code,
        );
      if (final) await this.discard(claimed.uploadId);
      else await this.store.releaseUploadToken(tokenHash);
      throw error;
    }
    await this.store.deleteUploadToken(tokenHash);
    await this.removeUpload(claimed.uploadId);
    return this.files.get(fileId);
  }

  /** Removes an upload's bytes and its token. */
  private async discard(uploadId: string): Promise<void> {
    await this.store.deleteUploadTokensOfUpload(uploadId);
    await this.removeUpload(uploadId);
  }

  private async removeUpload(uploadId: string): Promise<void> {
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
}
