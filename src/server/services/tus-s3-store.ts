import type { Readable } from 'node:stream';
import { S3ServiceException, type S3ClientConfig } from '@aws-sdk/client-s3';
import { S3Store, type MetadataValue } from '@tus/s3-store';
import { ERRORS, type KvStore } from '@tus/utils';
import { addContentMd5ForDeleteObjects } from '../blobs/s3-blob-store.ts';
import { firstBytes, UploadChecks } from './tus-checks.ts';
import type { TusLeftover } from './tus-leftovers.ts';

export interface TusS3Options {
  client: S3ClientConfig;
  bucket: string;
  /** Prepended to every object key of the tus uploads (`tus/`): they share the blob store's bucket. */
  prefix: string;
  /** An upload not finalized this long after its creation expires. */
  expiryMs: number;
  /** Preferred size of the multipart upload's parts (at least 5 MiB, S3's minimum). */
  partSizeBytes?: number;
  /** The most parts one upload may have (S3: 10,000; Swift's s3api: 1000 unless raised). */
  maxParts?: number;
}

/**
 * No cache: `S3Store` keeps each upload's `.info` in a per-process map by default, which goes stale as soon as
 * another instance finishes or removes the upload. One GET of the `.info` per request is the price.
 */
const noCache: KvStore<MetadataValue> = {
  get: () => Promise.resolve(undefined),
  set: () => Promise.resolve(),
  delete: () => Promise.resolve(),
};

/** `{ Key }` or `{ Delete: { Objects: [{ Key }] } }` inputs, as the key-prefix middleware rewrites them. */
interface KeyedInput {
  Key?: unknown;
  Delete?: { Objects?: Array<{ Key?: string }> };
}

/**
 * Resumable uploads as S3 multipart uploads (`@tus/s3-store`) in the blob store's bucket, under a prefix, so any
 * instance can continue or finish an upload another one started: offsets come from the store (ListParts plus
 * the pending `.part` object), never from process memory. Like the file store: no `creation-defer-length`, and
 * each PATCH's bytes pass `UploadChecks` (only the content check: finalize streams the object through the
 * ingest gate, which hashes it, so a running hash would save nothing).
 */
export class CheckedS3Store extends S3Store {
  readonly checks: UploadChecks;
  private readonly prefix: string;

  constructor(options: TusS3Options) {
    super({
      s3ClientConfig: { ...options.client, bucket: options.bucket },
      partSize: options.partSizeBytes ?? 8 * 1024 * 1024,
      ...(options.maxParts !== undefined && { maxMultipartParts: options.maxParts }),
      expirationPeriodInMilliseconds: options.expiryMs,
      // Tags are for bucket lifecycle rules, which this server does not rely on (it expires uploads itself), and
      // Swift's s3api has no object tagging.
      useTags: false,
      cache: noCache,
    });
    this.prefix = options.prefix;
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
    addContentMd5ForDeleteObjects(this.client);
    // `S3Store` has no key prefix of its own: add it to every key it sends (ids stay unprefixed in URLs).
    this.client.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as KeyedInput;
        let rewritten: KeyedInput | undefined;
        if (typeof input.Key === 'string') rewritten = { ...input, Key: this.prefix + input.Key };
        else if (input.Delete?.Objects) {
          rewritten = {
            ...input,
            Delete: {
              ...input.Delete,
              Objects: input.Delete.Objects.map((object) => ({ ...object, Key: this.prefix + object.Key })),
            },
          };
        }
        return next(rewritten ? { ...args, input: rewritten as typeof args.input } : args);
      },
      { step: 'initialize', name: 'tusKeyPrefix', override: true },
    );
    this.checks = new UploadChecks(
      {
        declaredType: async (id) => (await this.getMetadata(id)).file.metadata?.contentType ?? '',
        // Below the sniffed length an unfinished upload's bytes are all in its pending `.part` object (parts
        // are at least 5 MiB, or the last one).
        head: async (id, length) => {
          const part = await this.getIncompletePart(id);
          return part ? firstBytes(part, length) : Buffer.alloc(0);
        },
      },
      false,
    );
  }

  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    return this.checks.write(readable, id, offset, (checked) => super.write(checked, id, offset));
  }

  /**
   * `S3Store.remove` fails on a completed upload (aborting its multipart upload answers NoSuchUpload, so the
   * object and its `.info` stay) and forgets the pending `.part`; this removes whatever there is.
   */
  override async remove(id: string): Promise<void> {
    let uploadId: string | undefined;
    try {
      uploadId = (await this.getMetadata(id))['upload-id'];
    } catch (error) {
      // @tus/server's errors are plain `{status_code, body}` objects: its handler answers with them.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      if (isNotFound(error)) throw ERRORS.FILE_NOT_FOUND;
      throw error;
    }
    if (uploadId) {
      await this.client
        .abortMultipartUpload({ Bucket: this.bucket, Key: id, UploadId: uploadId })
        .catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
        });
    }
    await this.client.deleteObjects({
      Bucket: this.bucket,
      Delete: {
        Objects: [{ Key: id }, { Key: this.infoKey(id) }, { Key: this.partKey(id, true) }],
        Quiet: true,
      },
    });
  }

  /**
   * Removes uploads older than the expiry. `S3Store.deleteExpired` lists every multipart upload of the bucket
   * (the blob store's too) and leaves completed-but-never-finalized uploads behind for good; this one looks
   * under the prefix only, and at objects as well as multipart uploads.
   */
  override async deleteExpired(): Promise<number> {
    if (this.getExpiration() === 0) return 0;
    const leftovers = await this.findLeftovers(Date.now());
    await this.removeLeftovers(leftovers);
    return leftovers.length;
  }

  /**
   * Uploads older than the expiry as of `now`, whatever is left of them: a multipart upload initiated before
   * it, or objects (`<id>`, `.info`, `.part`) written before it; an upload's `.info` is written when it is
   * created, so its age is the upload's.
   */
  async findLeftovers(now: number): Promise<TusLeftover[]> {
    const before = now - this.getExpiration();
    const found = new Map<string, TusLeftover>();
    const add = (id: string, reason: string, uploadId?: string) => {
      const known = found.get(id);
      if (!known) found.set(id, { id, reason, ...(uploadId !== undefined && { uploadId }) });
      else if (uploadId !== undefined) known.uploadId = uploadId;
    };

    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.client.listMultipartUploads({
        Bucket: this.bucket,
        Prefix: this.prefix,
        KeyMarker: keyMarker,
        UploadIdMarker: uploadIdMarker,
      });
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key?.startsWith(this.prefix) || !upload.UploadId) continue;
        const initiated = upload.Initiated?.getTime() ?? now;
        if (initiated < before) {
          const when = new Date(initiated).toISOString();
          add(upload.Key.slice(this.prefix.length), `unfinished, expired (started ${when})`, upload.UploadId);
        }
      }
      if (!page.IsTruncated) break;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
    let token: string | undefined;
    for (;;) {
      const page = await this.client.listObjectsV2({
        Bucket: this.bucket,
        Prefix: this.prefix,
        ContinuationToken: token,
      });
      for (const object of page.Contents ?? []) {
        if (!object.Key?.startsWith(this.prefix)) continue;
        const written = object.LastModified?.getTime() ?? now;
        if (written >= before) continue;
        const id = object.Key.slice(this.prefix.length).replace(/\.(info|part)$/, '');
        add(id, `not finalized, expired (written ${new Date(written).toISOString()})`);
      }
      if (!page.IsTruncated) break;
      token = page.NextContinuationToken;
    }
    return [...found.values()];
  }

  /** Removes what `findLeftovers` found: aborts their multipart uploads, deletes their objects. */
  async removeLeftovers(leftovers: readonly TusLeftover[]): Promise<void> {
    for (const { id, uploadId } of leftovers) {
      if (uploadId === undefined) continue;
      await this.client
        .abortMultipartUpload({ Bucket: this.bucket, Key: id, UploadId: uploadId })
        .catch(() => {});
    }
    const ids = leftovers.map((leftover) => leftover.id);
    for (let i = 0; i < ids.length; i += 300) {
      const batch = ids.slice(i, i + 300);
      await this.client.deleteObjects({
        Bucket: this.bucket,
        Delete: {
          Objects: batch.flatMap((id) => [
            { Key: id },
            { Key: this.infoKey(id) },
            { Key: this.partKey(id, true) },
          ]),
          Quiet: true,
        },
      });
    }
  }

  /** Closes the client's kept-alive sockets. */
  destroy(): void {
    this.client.destroy();
  }
}

/** A missing object or multipart upload, as S3 and its lookalikes say it. */
function isNotFound(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return (
    ['NoSuchKey', 'NoSuchUpload', 'NotFound'].includes(error.name) || error.$metadata.httpStatusCode === 404
  );
}
