import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { DataStore, ERRORS, Upload } from '@tus/utils';
import { partBuffersOf, type PartBuffers } from '../../blobs/part-buffers.ts';
import { addContentMd5ForDeleteObjects } from '../../blobs/s3-blob-store.ts';
import type { TusUploadState, TusUploadStore } from '../../stores/tus-upload-store.ts';
import { firstBytes, UploadChecks } from './checks.ts';
import type { TusLeftover } from './leftovers.ts';
import { currentBody } from './request-body.ts';
import { findLeftovers, removeLeftovers, type ExpiryPlace } from './s3-expiry.ts';
import { isNotFound, S3Objects } from './s3-objects.ts';
import { isOneWholePart, writeOnePart } from './s3-one-part.ts';
import { UploadMovedError, writeParts, type PartSink } from './s3-parts.ts';
import { newFileId, originalKey } from '../upload-service.ts';

export interface TusS3Options {
  client: S3ClientConfig;
  bucket: string;
  /** Prepended to the blob keys (`S3_KEY_PREFIX`): an upload's multipart upload is made at its file's blob key. */
  blobPrefix: string;
  /** Prepended to the keys of the pending parts (`<S3_KEY_PREFIX>tus/`). */
  prefix: string;
  /** Where the uploads' state lives (the metadata database, shared by every instance). */
  uploads: TusUploadStore;
  /** An upload not finalized this long after its creation expires. */
  expiryMs: number;
  /** Smallest size of the multipart upload's parts (at least 5 MiB, S3's minimum). */
  partSizeBytes?: number;
  /** The most parts one upload may have (S3: 10,000; Swift's s3api: 1000 unless raised). */
  maxParts?: number;
  /** Parts of one PATCH uploaded at once: memory per PATCH is about queueSize x part size. */
  queueSize?: number;
}

const MiB = 1024 * 1024;

/** @tus/server's errors are plain `{status_code, body}` objects: its handler answers with them. */
function tusError(error: { status_code: number; body: string }): Error {
  return Object.assign(new Error(error.body), error);
}

/**
 * Resumable uploads as S3 multipart uploads, written directly: a custom tus `DataStore` (in place of
 * `@tus/s3-store`, which staged each part in a temp file, sent parts one at a time, read the `.info` object on
 * every request and left the bytes under a key of its own, so finalize read them back and wrote them again).
 * - The multipart upload is made at the blob key of the file the upload will become (its id is chosen when the
 *   upload is created), so finalize completes it in place: every byte crosses the store once.
 * - Each PATCH's bytes go up in parts, several at a time from memory (`s3-parts.ts`).
 * - The state (offset, parts, first bytes) is a row of the metadata database, read once per request, so any
 *   instance continues or finalizes any upload.
 * - The SHA-256 runs in process memory as the bytes pass (`UploadChecks`); an upload continued by another
 *   instance or after a restart is hashed at finalize by reading the completed object once (Node's hash
 *   state cannot be saved; a WebAssembly SHA-256 whose state can was 5x slower than Node's here, see
 *   docs/benchmarks.md).
 * Like the file store: no `creation-defer-length`; each PATCH's first bytes are checked against the type.
 */
export class CheckedS3Store extends DataStore {
  readonly checks: UploadChecks;
  readonly client: S3Client;
  readonly bucket: string;
  private readonly prefix: string;
  private readonly blobPrefix: string;
  private readonly uploads: TusUploadStore;
  private readonly expiryMs: number;
  private readonly minPartSize: number;
  private readonly maxParts: number;
  private readonly queueSize: number;
  /** Part buffers, shared with the blob store's uploads: enough kept for one PATCH's window. */
  private readonly buffers: PartBuffers;
  /** The S3 requests on whole objects and uploads (copy, hash, delete, abort). */
  private readonly objects: S3Objects;

  constructor(options: TusS3Options) {
    super();
    this.client = new S3Client(options.client);
    addContentMd5ForDeleteObjects(this.client);
    this.bucket = options.bucket;
    this.prefix = options.prefix;
    this.blobPrefix = options.blobPrefix;
    this.uploads = options.uploads;
    this.expiryMs = options.expiryMs;
    this.minPartSize = Math.max(5 * MiB, options.partSizeBytes ?? 8 * MiB);
    this.maxParts = Math.max(1, options.maxParts ?? 10_000);
    this.queueSize = Math.max(1, options.queueSize ?? 3);
    this.objects = new S3Objects(this.client, this.bucket, this.prefix);
    this.buffers = partBuffersOf(this.minPartSize, this.queueSize);
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
    this.checks = new UploadChecks(
      {
        declaredType: async (id) => (await this.state(id)).metadata.contentType ?? '',
        head: async (id, length) => ((await this.state(id)).head ?? Buffer.alloc(0)).subarray(0, length),
      },
      true,
    );
  }

  override getExpiration(): number {
    return this.expiryMs;
  }

  private async state(id: string): Promise<TusUploadState> {
    const state = await this.uploads.get(id);
    if (!state) throw tusError(ERRORS.FILE_NOT_FOUND);
    return state;
  }

  private pendingKey(id: string, partNumber: number): string {
    return `${this.prefix}${id}.p${partNumber}.part`;
  }

  /**
   * Creates the multipart upload at the blob key of the file-to-be: `metadata.fileId` when the creation hook
   * chose it (from the token's file name), else an id from the upload's own file name.
   */
  override async create(upload: Upload): Promise<Upload> {
    const size = upload.size ?? 0;
    const metadata = { ...(upload.metadata ?? {}) };
    const fileId = metadata.fileId ?? newFileId(metadata.filename ?? '');
    const blobKey = originalKey(fileId);
    const partSize = Math.max(this.minPartSize, Math.ceil(size / this.maxParts / MiB) * MiB);
    const created = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.blobPrefix + blobKey }),
    );
    if (!created.UploadId) throw new Error('S3 gave no UploadId');
    upload.creation_date ??= new Date().toISOString();
    await this.uploads.insert({
      id: upload.id,
      fileId,
      blobKey,
      multipartId: created.UploadId,
      size,
      partSize,
      metadata,
      createdAt: upload.creation_date,
      received: 0,
      parts: [],
      head: undefined,
    });
    upload.offset = 0;
    return upload;
  }

  override async getUpload(id: string): Promise<Upload> {
    const state = await this.state(id);
    return new Upload({
      id,
      size: state.size,
      offset: state.received,
      metadata: state.metadata,
      creation_date: state.createdAt,
    });
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    const declaredLength = currentBody()?.declaredLength;
    return this.checks.write(readable, id, offset, async (checked) => {
      const state = await this.state(id);
      if (state.received !== offset) throw tusError(ERRORS.INVALID_OFFSET);
      const partNumber = Math.floor(offset / state.partSize) + 1;
      const pendingLength = offset % state.partSize;
      const pending = pendingLength > 0 ? await this.readPending(id, partNumber, pendingLength) : undefined;
      const sink: PartSink = {
        client: this.client,
        bucket: this.bucket,
        objectKey: this.blobPrefix + state.blobKey,
        queueSize: this.queueSize,
        buffers: this.buffers,
        advance: (from, progress) => this.uploads.advance(id, from, progress),
        putPending: async (number, bytes) => {
          await this.client.send(
            new PutObjectCommand({
              Bucket: this.bucket,
              Key: this.pendingKey(id, number),
              Body: bytes,
              ContentLength: bytes.length,
            }),
          );
        },
      };
      let received: number;
      try {
        received = isOneWholePart(state, declaredLength)
          ? await writeOnePart(sink, state, checked)
          : await writeParts(sink, state, checked, pending);
      } catch (error) {
        if (error instanceof UploadMovedError) throw tusError(ERRORS.INVALID_OFFSET);
        throw error;
      }
      // The pending part this PATCH started from is in a whole part now (or in a longer pending object).
      if (pending && Math.floor(received / state.partSize) + 1 !== partNumber) {
        await this.objects.deleteKeys([this.pendingKey(id, partNumber)]).catch(() => {});
      }
      return received;
    });
  }

  /** The first `length` bytes of an upload's pending part. */
  private async readPending(id: string, partNumber: number, length: number): Promise<Buffer> {
    const answer = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: this.pendingKey(id, partNumber) }),
    );
    if (!(answer.Body instanceof Readable)) throw new Error('S3 GetObject returned no stream');
    const bytes = await firstBytes(answer.Body, length);
    if (bytes.length < length) throw new Error(`The pending part of upload ${id} is shorter than recorded`);
    return bytes;
  }

  /** What finalize needs of an upload: the file id it was made for, its size and first bytes. */
  async finished(id: string): Promise<{ fileId: string; size: number; head: Buffer }> {
    const state = await this.state(id);
    return { fileId: state.fileId, size: state.size, head: state.head ?? Buffer.alloc(0) };
  }

  /**
   * Completes a finished upload's multipart upload, making the blob under `key` (the upload's own blob key, or
   * another one: then copied server-side and the first removed). Repeatable: an upload completed before (a
   * finalize that died after it) is found as its object.
   */
  async complete(id: string, key: string): Promise<void> {
    const state = await this.state(id);
    const objectKey = this.blobPrefix + state.blobKey;
    try {
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: objectKey,
          UploadId: state.multipartId,
          MultipartUpload: {
            Parts: [...state.parts]
              .sort((a, b) => a[0] - b[0])
              .map(([PartNumber, ETag]) => ({ PartNumber, ETag })),
          },
        }),
      );
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const head = await this.client
        .send(new HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }))
        .catch(() => undefined);
      if (head?.ContentLength !== state.size) throw error;
    }
    if (key !== state.blobKey) await this.objects.copy(objectKey, this.blobPrefix + key, state.size);
  }

  /** The SHA-256 of a completed upload's blob, read back (when it was not hashed as it arrived). */
  hashBlob(key: string): Promise<string> {
    return this.objects.hash(this.blobPrefix + key);
  }

  /** Removes an upload: aborts its multipart upload (a completed one's blob stays), its pending parts, its row. */
  override async remove(id: string): Promise<void> {
    const state = await this.uploads.get(id);
    if (!state) {
      // An upload of the store before this one (`.info`, `.part` and a multipart upload under the prefix).
      const keys = await this.objects.keysOf(id);
      if (keys.length === 0) throw tusError(ERRORS.FILE_NOT_FOUND);
      await this.objects.deleteKeys(keys);
      return;
    }
    await this.objects.abort(this.blobPrefix + state.blobKey, state.multipartId);
    await this.objects.deleteKeys(await this.objects.keysOf(id));
    await this.uploads.delete(id);
  }

  /**
   * Removes uploads older than the expiry: the database knows them (and their multipart uploads, under the
   * blob keys), the prefix holds their pending parts and what the older store left.
   */
  override async deleteExpired(): Promise<number> {
    if (this.getExpiration() === 0) return 0;
    const leftovers = await this.findLeftovers(Date.now());
    await this.removeLeftovers(leftovers);
    return leftovers.length;
  }

  /** Uploads expired as of `now`, whatever is left of them (`s3-expiry.ts`). */
  findLeftovers(now: number): Promise<TusLeftover[]> {
    return findLeftovers(this.expiryPlace, now - this.getExpiration(), now);
  }

  /** Removes what `findLeftovers` found: aborts their multipart uploads, deletes their objects and rows. */
  removeLeftovers(leftovers: readonly TusLeftover[]): Promise<void> {
    return removeLeftovers(this.expiryPlace, leftovers);
  }

  private get expiryPlace(): ExpiryPlace {
    return { objects: this.objects, uploads: this.uploads, blobPrefix: this.blobPrefix };
  }

  /** Closes the client's kept-alive sockets. */
  destroy(): void {
    this.client.destroy();
  }
}
