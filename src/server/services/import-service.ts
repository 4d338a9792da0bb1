import {
  MEDIA_ROOT_ID,
  UPLOAD_LABELS_MAX,
  type BulkImportFileResponse,
  type BulkImportFileResult,
  type FileDescriptor,
  type MediaType,
} from '../../contract/index.ts';
import { itemError, reasonOf, SourceStatusError, statusRetryable } from './import-failures.ts';
import { checkImportRequest, type ImportRequest, type Prepared } from './import-requests.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { nowIso } from '../clock.ts';
import { ApiError, ValidationError } from '../errors.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { FileRow } from '../stores/schema.ts';
import type { FileService } from './file-service.ts';
import { searchTextOf, validateLabels } from './file-service.ts';
import { splitFilePath, type FolderService } from './folder-service.ts';
import type { ProcessingService } from './processing/processing-service.ts';
import { PermanentJobError, type JobContext, type JobRunner } from './job-runner.ts';
import { mediaTypeOf } from './media-types.ts';
import { FetchRefusedError, safeGet, type SafeFetchOptions } from './safe-fetch.ts';
import { mimeEssence } from './sniff.ts';
import { checkMimeAllowed, fileSizeOverLimit, zeroFileSize } from './upload-limits.ts';
import { failPending, initialMedia, newFileId, newFileRow } from './file-rows.ts';
import type { UploadService } from './upload-service.ts';

export const IMPORT_JOB = 'import-file';
export type { ImportRequest } from './import-requests.ts';

/** What the background fetch needs: kept in the job's payload. */
interface ImportPayload {
  fileId: string;
  url: string;
  /** The type given with the request; null: the response's Content-Type decides. */
  mimeType: string | null;
  /** The media type given with the request; null: derived from the final MIME type. */
  mediaType: MediaType | null;
  headers: Record<string, string>;
}

export interface ImportOptions {
  allowHosts: readonly string[];
  timeoutMs: number;
  /** Redirects followed, at most (each hop checked like the first). */
  maxRedirects: number;
}

/**
 * Import from URL: the file exists at once (PENDING, no bytes, `sourceUrl` set), a durable job fetches it in
 * the background (SSRF-safe, streaming through the same ingest gate as uploads, with the size limit, quota and
 * a silence timeout) and the file becomes READY, or FAILED with its `failureReason`. Transient failures (5xx,
 * timeouts, cut connections) are retried with back-off; the rest fail at once.
 */
/** An import whose bytes were not fetched yet (after that it may stay PENDING while it is processed). */
function awaitingBytes(row: FileRow): boolean {
  return row.operation_status === 'PENDING' && row.hash === '';
}

export class ImportService {
  constructor(
    private readonly store: MetadataStore,
    private readonly blobs: BlobStore,
    private readonly folders: FolderService,
    private readonly files: FileService,
    private readonly uploads: UploadService,
    private readonly jobs: JobRunner,
    private readonly processing: ProcessingService,
    private readonly options: ImportOptions,
  ) {
    jobs.register<ImportPayload>(IMPORT_JOB, {
      maxAttempts: 3,
      run: (payload, context) => this.fetch(payload, context),
      // Its fetch is a change of the file: `updated_date` moves, as when it succeeds.
      onFailed: (payload, error) => failPending(this.store, payload.fileId, reasonOf(error), true),
    });
  }

  async importFile(request: ImportRequest): Promise<FileDescriptor> {
    const prepared = await this.prepare(request, '');
    const row = await this.store.transaction(() => this.create(prepared));
    this.jobs.wake();
    return this.files.toWire(row);
  }

  /**
   * `bulk/files/import-v2`: each request on its own; failures (including requests that did not even parse,
   * given as their `ValidationError`) are reported per item.
   */
  async bulkImport(
    requests: readonly (ImportRequest | ValidationError)[],
    returnEntity: boolean,
  ): Promise<BulkImportFileResponse> {
    const results: BulkImportFileResult[] = [];
    for (const [index, request] of requests.entries()) {
      try {
        if (request instanceof ValidationError) throw request;
        const prepared = await this.prepare(request, `importFileRequests[${index}].`);
        const row = await this.store.transaction(() => this.create(prepared));
        results.push({
          itemMetadata: { id: row.id, originalIndex: index, success: true, error: null },
          ...(returnEntity ? { item: this.files.toWire(row) } : {}),
        });
      } catch (error) {
        results.push({
          itemMetadata: { id: null, originalIndex: index, success: false, error: itemError(error) },
        });
      }
    }
    this.jobs.wake();
    const totalSuccesses = results.filter((r) => r.itemMetadata.success).length;
    return {
      results,
      bulkActionMetadata: {
        totalSuccesses,
        totalFailures: results.length - totalSuccesses,
        undetailedFailures: 0,
      },
    };
  }

  /** `bulk/files/import` (the SDK's bulkImportFiles): all or nothing; the first bad request answers 4xx. */
  async bulkImportAll(requests: readonly ImportRequest[]): Promise<FileDescriptor[]> {
    const prepared: Prepared[] = [];
    for (const [index, request] of requests.entries()) {
      prepared.push(await this.prepare(request, `importFileRequests[${index}].`));
    }
    const rows = await this.store.transaction(async () => {
      const out: FileRow[] = [];
      for (const item of prepared) out.push(await this.create(item));
      return out;
    });
    this.jobs.wake();
    return rows.map((row) => this.files.toWire(row));
  }

  /** Everything that can be checked before the fetch; throws 4xx naming the field. */
  private async prepare(request: ImportRequest, prefix: string): Promise<Prepared> {
    const { url, headers, mimeType, displayName } = checkImportRequest(request, prefix, {
      allowHosts: this.options.allowHosts,
      policy: this.uploads.options.policy,
    });
    const labels = validateLabels(request.labels ?? [], UPLOAD_LABELS_MAX, `${prefix}labels`);
    if (request.filePath !== undefined) splitFilePath(request.filePath);
    await this.folders.destination(request.parentFolderId ?? MEDIA_ROOT_ID, `${prefix}parentFolderId`);
    await this.uploads.quota.check(0);
    await this.uploads.space.check(0);
    return { request, url, displayName, mimeType, labels, headers };
  }

  /** Inserts the PENDING file and its job, in the caller's transaction. */
  private async create(prepared: Prepared): Promise<FileRow> {
    const { request, url, displayName, mimeType, labels, headers } = prepared;
    let parent = await this.folders.destination(request.parentFolderId ?? MEDIA_ROOT_ID, 'parentFolderId');
    if (request.filePath) parent = await this.folders.ensurePath(parent, request.filePath);
    const fileId = newFileId(displayName);
    const mime = mimeType ?? 'application/octet-stream';
    const row = newFileRow({
      id: fileId,
      fileName: displayName,
      parent,
      mimeType: mime,
      mediaType: request.mediaType ?? mediaTypeOf(mime, displayName),
      labels,
      private: request.private ?? false,
      externalInfo: request.externalInfo === undefined ? null : JSON.stringify(request.externalInfo),
      // No bytes yet: an empty hash says so (the file's URLs answer 404 until it is READY).
      size: 0,
      hash: '',
      operationStatus: 'PENDING',
      sourceUrl: url.toString(),
    });
    await this.store.files.insertFile(row);
    const payload: ImportPayload = {
      fileId,
      url: url.toString(),
      mimeType,
      mediaType: request.mediaType ?? null,
      headers,
    };
    await this.jobs.enqueue(IMPORT_JOB, payload);
    return row;
  }

  /** The job: fetch the source into the file's blob and make the file READY. */
  private async fetch(payload: ImportPayload, context: JobContext): Promise<void> {
    const row = await this.store.files.getFile(payload.fileId);
    // Purged meanwhile, or done already (a retried job whose last attempt got further than it knew).
    if (!row || !awaitingBytes(row)) return;
    const policy = this.uploads.options.policy;
    const fetchOptions: SafeFetchOptions = {
      allowHosts: this.options.allowHosts,
      timeoutMs: this.options.timeoutMs,
      maxRedirects: this.options.maxRedirects,
      headers: payload.headers,
      signal: context.signal,
    };

    let fetched;
    try {
      fetched = await safeGet(new URL(payload.url), fetchOptions);
    } catch (error) {
      if (error instanceof FetchRefusedError) throw new PermanentJobError(error.message, { cause: error });
      throw error;
    }
    const { response } = fetched;
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      response.resume();
      const message = `The source answered HTTP ${status}`;
      if (statusRetryable(status)) throw new SourceStatusError(message);
      throw new PermanentJobError(message);
    }
    const contentLength = response.headers['content-length'];
    const length = contentLength === undefined ? undefined : Number(contentLength);
    const permanent = (error: ApiError) => {
      response.destroy();
      return new PermanentJobError(error.message, { cause: error });
    };
    if (length !== undefined && length > policy.maxFileSizeBytes) {
      throw permanent(fileSizeOverLimit(policy.maxFileSizeBytes));
    }
    const responseType = mimeEssence(response.headers['content-type'] ?? '');
    const mime = payload.mimeType ?? (responseType || 'application/octet-stream');
    try {
      checkMimeAllowed(mime, policy);
    } catch (error) {
      throw permanent(error as ApiError);
    }

    const key = row.blob_key;
    let stored;
    try {
      stored = await this.uploads.storeBytes(key, response, policy, mime);
    } catch (error) {
      if (error instanceof ApiError) throw new PermanentJobError(error.message, { cause: error });
      throw error;
    }
    try {
      if (stored.size === 0) throw new PermanentJobError(zeroFileSize().message);
      if (length !== undefined && Number.isSafeInteger(length) && stored.size !== length) {
        throw new Error(`The source sent ${stored.size} of ${length} bytes`);
      }
      const done = await this.store.transaction(async (store) => {
        const current = await store.files.getFile(payload.fileId);
        if (!current || !awaitingBytes(current)) return false;
        await this.uploads.quota.check(stored.size).catch((error: ApiError) => {
          throw new PermanentJobError(error.message, { cause: error });
        });
        const mediaType = payload.mediaType ?? mediaTypeOf(mime, current.display_name);
        // Fetched: processed next (still PENDING) when its type has renditions, else complete.
        const processed = this.processing.needsProcessing({ media_type: mediaType, mime_type: mime });
        await store.files.updateFile(current.id, {
          mime_type: mime,
          media_type: mediaType,
          search_text: searchTextOf(current.display_name, mime, JSON.parse(current.labels) as string[]),
          size_in_bytes: stored.size,
          hash: stored.hash,
          media: JSON.stringify(initialMedia(mediaType, current.id, current.display_name, stored.size)),
          operation_status: processed ? 'PENDING' : 'READY',
          failure_reason: null,
          updated_date: nowIso(),
        });
        if (processed) await this.processing.enqueue(current.id);
        return true;
      });
      // The file was purged while its bytes were on their way: they belong to nobody.
      if (!done) await this.blobs.delete([key]);
      else this.processing.wake();
    } catch (error) {
      await this.blobs.delete([key]);
      throw error;
    }
  }
}
