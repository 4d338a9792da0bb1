import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FileMedia } from '../../../contract/index.ts';
import type { BlobStore } from '../../blobs/blob-store.ts';
import type { MetadataStore } from '../../stores/metadata-store.ts';
import type { FileRow, RevisionColumn } from '../../stores/schema.ts';
import { failPending } from '../file-rows.ts';
import { PermanentJobError, type JobContext, type JobRunner } from '../job-runner.ts';
import { assetBlobKeys, renditionPrefix, type FileAssets } from './assets.ts';
import { isProcessable, processFile, type Processed } from './media-processors.ts';
import { RefusedInputError } from './media-containers.ts';
import { CommandError, hasParentDeathGuard, MissingToolError } from './run-command.ts';

export const PROCESS_JOB = 'process-media';

interface ProcessPayload {
  fileId: string;
}

interface Logger {
  warn: (obj: object, msg: string) => void;
}

export interface ProcessingOptions {
  /** How long one file's processing may take (`PROCESSING_TIMEOUT_SECONDS`). */
  timeoutMs: number;
}

/** Video and audio get this much more time per second of media, up to `MAX_SCALE` times the setting. */
const MS_PER_MEDIA_SECOND = 2000;
const MAX_SCALE = 4;

/** Processing went over its time limit: its tools were killed. */
class ProcessingTimeout extends Error {
  constructor(readonly limitMs: number) {
    super(`processing took longer than ${limitMs} ms`);
    this.name = 'ProcessingTimeout';
  }
}

/**
 * The time limit of one file's processing, as an abort signal: `timeoutMs`, raised for long media once its
 * duration is known (`extendFor`), at most `MAX_SCALE` times. A file whose header claims days of media gets
 * no more than that.
 */
class Deadline {
  private readonly controller = new AbortController();
  private readonly started = Date.now();
  private limitMs: number;
  private timer: NodeJS.Timeout;
  readonly signal = this.controller.signal;

  constructor(private readonly baseMs: number) {
    this.limitMs = baseMs;
    this.timer = this.arm();
  }

  private arm(): NodeJS.Timeout {
    const timer = setTimeout(
      () => this.controller.abort(new ProcessingTimeout(this.limitMs)),
      Math.max(0, this.started + this.limitMs - Date.now()),
    );
    timer.unref();
    return timer;
  }

  extendFor(mediaSeconds: number): void {
    const wanted = Math.min(this.baseMs + mediaSeconds * MS_PER_MEDIA_SECOND, this.baseMs * MAX_SCALE);
    if (wanted <= this.limitMs || this.signal.aborted) return;
    this.limitMs = wanted;
    clearTimeout(this.timer);
    this.timer = this.arm();
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

const KIND_NAMES: Record<string, string> = {
  IMAGE: 'image',
  VECTOR: 'SVG image',
  VIDEO: 'video',
  AUDIO: 'audio file',
  DOCUMENT: 'PDF',
};

/**
 * Media processing as durable jobs: a new file that `isProcessable` is PENDING and gets a `process-media` job
 * in the transaction that creates it; the job reads the original into a temp dir, makes the renditions
 * (`media-processors.ts`), stores them under `renditions/<id>/`, and makes the file READY with its `media`
 * filled in, or FAILED with a reason (the file and its original are kept). `updatedDate` stays: processing is
 * not a change the user made, and must not reorder a listing sorted by it. A job that was running when the
 * process died runs again (the job runner's lock); renditions have fixed keys, so a re-run overwrites them.
 */
export class ProcessingService {
  constructor(
    private readonly store: MetadataStore,
    private readonly blobs: BlobStore,
    private readonly jobs: JobRunner,
    private readonly tmpDir: string,
    private readonly log: Logger,
    private readonly options: ProcessingOptions,
  ) {
    fs.mkdirSync(tmpDir, { recursive: true });
    if (!hasParentDeathGuard()) {
      this.log.warn(
        {},
        'setpriv (util-linux) is missing: ffmpeg and other tools are killed when the server stops or on their ' +
          'time limit, but a server killed with SIGKILL leaves them running until they finish',
      );
    }
    jobs.register<ProcessPayload>(PROCESS_JOB, {
      maxAttempts: 3,
      run: (payload, context) => this.process(payload, context),
      onFailed: (payload, error) => this.markFailed(payload.fileId, error),
    });
  }

  /** Whether a file of this type is processed (PENDING until then) or READY at ingest. */
  needsProcessing(row: Pick<FileRow, 'media_type' | 'mime_type'>): boolean {
    return isProcessable(row.media_type, row.mime_type);
  }

  /** Queues processing of a PENDING file; call inside the transaction that made it, then `wake()`. */
  async enqueue(fileId: string): Promise<void> {
    await this.jobs.enqueue(PROCESS_JOB, { fileId } satisfies ProcessPayload);
  }

  wake(): void {
    this.jobs.wake();
  }

  /** Removes processing temp dirs a crash left behind. Run at start, before the job runner. */
  async cleanTemp(): Promise<void> {
    await fsp.rm(this.tmpDir, { recursive: true, force: true });
    await fsp.mkdir(this.tmpDir, { recursive: true });
  }

  private async process({ fileId }: ProcessPayload, context: JobContext): Promise<void> {
    const row = await this.store.files.getFile(fileId);
    if (!row || row.operation_status !== 'PENDING') return;
    const workDir = await fsp.mkdtemp(path.join(this.tmpDir, 'job-'));
    const deadline = new Deadline(this.options.timeoutMs);
    const signal = AbortSignal.any([context.signal, deadline.signal]);
    try {
      const original = path.join(workDir, 'original');
      await pipeline(await this.blobs.get(row.blob_key), fs.createWriteStream(original), { signal });
      const outDir = path.join(workDir, 'out');
      await fsp.mkdir(outDir);
      let processed: Processed;
      try {
        processed = await processFile(row.media_type, {
          fileId,
          fileName: row.display_name,
          mimeType: row.mime_type,
          path: original,
          workDir: outDir,
          signal,
          mediaSeconds: (seconds) => deadline.extendFor(seconds),
        });
      } catch (error) {
        if (context.signal.aborted) throw error;
        throw this.failure(row, error);
      }
      const revision = (row as Partial<RevisionColumn>).revision ?? 0;
      const assets = await this.storeRenditions(fileId, processed, revision);
      const done = await this.store.transaction(async (store) => {
        const current = await store.files.getFile(fileId);
        if (!current || current.operation_status !== 'PENDING') return false;
        // Replaced meanwhile: these renditions are of bytes the file no longer has (the new ones have a job).
        if (current.blob_key !== row.blob_key) return false;
        await store.files.updateFile(fileId, {
          media: JSON.stringify(mergeMedia(current, processed.media)),
          assets: JSON.stringify(assets),
          operation_status: 'READY',
          failure_reason: null,
        });
        return true;
      });
      // The file was purged (or replaced) while it was processed: its renditions belong to nobody.
      if (!done) await this.blobs.delete(assetBlobKeys(assets));
    } finally {
      deadline.clear();
      await fsp.rm(workDir, { recursive: true, force: true });
    }
  }

  private async storeRenditions(fileId: string, processed: Processed, revision: number): Promise<FileAssets> {
    const prefix = renditionPrefix(fileId, revision);
    const assets: FileAssets = {};
    for (const rendition of processed.renditions) {
      const { assetKey, mimeType, width, height, files } = rendition;
      if (files) {
        const key = `${prefix}${assetKey}/`;
        let size = 0;
        for (const name of files) {
          const stored = await this.blobs.putFile(`${key}${name}`, path.join(rendition.path, name));
          if (name === files[0]) size = stored;
        }
        assets[assetKey] = { key, mimeType, size, width, height, files };
      } else {
        const key = `${prefix}${path.basename(rendition.path)}`;
        const size = await this.blobs.putFile(key, rendition.path);
        assets[assetKey] = { key, mimeType, size, width, height };
      }
    }
    return assets;
  }

  /** A processing failure as the job's permanent error: the reason a user sees, the details in the log. */
  private failure(row: FileRow, error: unknown): PermanentJobError {
    const kind =
      (Object.hasOwn(KIND_NAMES, row.media_type) ? KIND_NAMES[row.media_type] : undefined) ?? 'file';
    this.log.warn(
      { err: error, stderr: error instanceof CommandError ? error.stderr : undefined, fileId: row.id },
      'media processing failed',
    );
    const reason =
      error instanceof RefusedInputError
        ? error.message
        : error instanceof ProcessingTimeout
          ? `This ${kind} could not be processed: it took longer than the server allows (${duration(error.limitMs)})`
          : error instanceof MissingToolError
            ? `This ${kind} could not be processed: ${error.message}`
            : `This ${kind} could not be processed: the data is damaged or in a format the server cannot read`;
    return new PermanentJobError(reason, { cause: error });
  }

  private async markFailed(fileId: string, error: unknown): Promise<void> {
    const reason =
      error instanceof PermanentJobError
        ? error.message
        : 'Processing failed repeatedly; the server log has the details';
    // Processing is not a change of the file: `updated_date` stays (as when it succeeds).
    await failPending(this.store, fileId, reason, false);
  }
}

/** A time limit for people: `90 s`, `30 min`. */
function duration(ms: number): string {
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

/** The processed `media` over the one stored at ingest: what ingest knew (a document's size) is kept. */
function mergeMedia(row: FileRow, processed: FileMedia): FileMedia {
  const stored = JSON.parse(row.media) as FileMedia;
  const merged: FileMedia = { ...processed };
  for (const key of ['document', 'archive', 'model3d'] as const) {
    const before = stored[key];
    const after = merged[key];
    if (before && after) merged[key] = { ...after, sizeInBytes: before.sizeInBytes };
  }
  return merged;
}
