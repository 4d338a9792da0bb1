import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import contentDisposition from 'content-disposition';
import {
  type BlobEntry,
  type BlobStore,
  type ByteRange,
  type PresignOptions,
  blobNotFound,
  checkBlobKey,
} from './blob-store.ts';
import { partBuffersOf } from './part-buffers.ts';
import { putStream } from './s3-multipart.ts';

export interface S3BlobStoreOptions {
  /** `http://127.0.0.1:8580`, `https://s3.example.com`; unset: AWS itself (from `region`). */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Unset: the SDK's default chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** `bucket` in the path rather than the host name; what Swift, MinIO and most self-hosted stores want. */
  forcePathStyle?: boolean;
  /** Prepended to every key, so several installations (or test runs) can share a bucket. */
  keyPrefix?: string;
  /** Size of the parts of multipart uploads (at least 5 MiB, S3's minimum). */
  partSizeBytes?: number;
  /** Parts of one upload in flight at once: memory per upload is about queueSize × partSizeBytes. */
  queueSize?: number;
  /** Sockets to the store at once; each download streamed through the server holds one for its length. */
  maxSockets?: number;
  /** The most parts the store takes in one multipart upload (S3: 10,000; Swift's s3api: 1000 unless raised). */
  maxParts?: number;
}

const MiB = 1024 * 1024;
/** S3 allows 10,000 parts per multipart upload (Swift's s3api 1000 unless raised: see scripts/services/swift.sh). */
export const S3_MAX_PARTS = 10_000;
/** DeleteObjects takes at most 1000 keys. */
const DELETE_BATCH = 1000;

/** The client settings every S3 client of this server uses (the blob store's, the tus store's). */
export function s3ClientConfig(
  options: Pick<S3BlobStoreOptions, 'endpoint' | 'region' | 'credentials' | 'forcePathStyle' | 'maxSockets'>,
): S3ClientConfig {
  const maxSockets = options.maxSockets ?? 256;
  return {
    region: options.region,
    forcePathStyle: options.forcePathStyle ?? true,
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    // Since 2025 the SDK adds CRC32 checksums (and aws-chunked trailers) to every upload and asks for them on
    // every download; Swift's s3api, like many S3 lookalikes, knows neither. Only when an operation requires one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // The SDK's default of 50 sockets would queue the 51st concurrent download behind slow readers. A store that
    // does not accept the connection fails the request soon; no idle timeout once connected, since a download
    // streamed to a slow client leaves its socket idle while the client catches up.
    requestHandler: {
      connectionTimeout: 10_000,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets }),
    },
  };
}

/**
 * DeleteObjects must carry a checksum; the SDK now sends a CRC32 only, and Swift (like older S3 lookalikes)
 * insists on Content-MD5. Adds it after serialization, before signing.
 */
export function addContentMd5ForDeleteObjects(client: S3Client): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: unknown };
      if (
        context.commandName === 'DeleteObjectsCommand' &&
        request.headers &&
        (typeof request.body === 'string' || request.body instanceof Uint8Array)
      ) {
        request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
      }
      return next(args);
    },
    { step: 'build', name: 'contentMd5ForDeleteObjects', override: true },
  );
}

/**
 * Blobs as objects in an S3 bucket. Writes are multipart uploads of bounded memory whatever the size; a blob appears
 * only when its upload completes, and a failed one is aborted so that neither an object nor its parts stay behind.
 */
export class S3BlobStore implements BlobStore {
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly maxParts: number;

  constructor(options: S3BlobStoreOptions) {
    this.client = new S3Client(s3ClientConfig(options));
    addContentMd5ForDeleteObjects(this.client);
    this.bucket = options.bucket;
    this.prefix = options.keyPrefix ?? '';
    this.partSize = Math.max(5 * MiB, options.partSizeBytes ?? 8 * MiB);
    // As the tus store's PATCHes: 3 parts in flight. 4 (the SDK's default) was no faster here and held 30 MB more
    // at the peak of a 1 GiB upload (docs/benchmarks.md, issue 18).
    this.queueSize = Math.max(1, options.queueSize ?? 3);
    this.maxParts = Math.max(1, options.maxParts ?? S3_MAX_PARTS);
  }

  private objectKey(key: string): string {
    return this.prefix + checkBlobKey(key);
  }

  /** Creates the bucket unless it is there. Run once at start. */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      // Another instance starting at the same time made it first.
      if (!(error instanceof S3ServiceException && error.name === 'BucketAlreadyOwnedByYou')) throw error;
    }
  }

  async put(key: string, source: Readable): Promise<number> {
    try {
      return await this.upload(this.objectKey(key), source, this.partSize);
    } catch (error) {
      // Like the disk store's pipeline: a failed put leaves no source (a request) open.
      source.destroy();
      throw error;
    }
  }

  async putFile(key: string, localPath: string): Promise<number> {
    const objectKey = this.objectKey(key);
    const { size } = await fsp.stat(localPath);
    // A known size: parts big enough that even the largest file fits in the store's number of parts.
    const partSize = Math.max(this.partSize, Math.ceil(size / this.maxParts));
    const body = fs.createReadStream(localPath);
    try {
      await this.upload(objectKey, body, partSize);
    } finally {
      body.destroy();
    }
    return size;
  }

  /** The bytes of `body` into one object (a multipart upload when they pass one part); their number. */
  private upload(objectKey: string, body: Readable, partSize: number): Promise<number> {
    return putStream(
      {
        client: this.client,
        bucket: this.bucket,
        key: objectKey,
        partSize,
        queueSize: this.queueSize,
        buffers: partBuffersOf(partSize, this.queueSize),
      },
      body,
    );
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const objectKey = this.objectKey(key);
    try {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: objectKey,
          ...(range && { Range: `bytes=${range.start}-${range.end}` }),
        }),
      );
      // In Node the body is the HTTP response itself.
      if (!(response.Body instanceof Readable)) throw new Error('S3 GetObject returned no stream');
      return response.Body;
    } catch (error) {
      if (statusOf(error) === 404) throw blobNotFound(key, error);
      throw error;
    }
  }

  async read(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of (await this.get(key)) as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      return head.ContentLength ?? 0;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    const objectKeys = [...new Set(keys.map((key) => this.objectKey(key)))];
    for (let i = 0; i < objectKeys.length; i += DELETE_BATCH) {
      const batch = objectKeys.slice(i, i + DELETE_BATCH);
      const result = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      // S3 reports a missing key as deleted; some lookalikes report NoSuchKey. Either way it is gone.
      const failed = (result.Errors ?? []).filter((error) => error.Code !== 'NoSuchKey');
      if (failed.length > 0) {
        const first = failed[0];
        throw new Error(
          `Could not delete ${failed.length} blob(s), first ${first?.Key}: ${first?.Code} ${first?.Message}`,
        );
      }
    }
  }

  async *list(prefix: string): AsyncIterable<BlobEntry> {
    let token: string | undefined;
    do {
      // One page (at most 1000 keys) at a time: the caller works through it before the next is asked for.
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix + prefix,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key?.startsWith(this.prefix + prefix)) continue;
        yield {
          key: object.Key.slice(this.prefix.length),
          size: object.Size ?? 0,
          // No date (no store should omit it): count it as new, so nothing sweeps it on a guess.
          lastModified: object.LastModified ?? new Date(),
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async presignedUrl(key: string, options: PresignOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.objectKey(key),
      ...(options.fileName !== undefined && {
        // The store sends the header back as UTF-8 bytes, which clients read as Latin-1: keep it ASCII, with the
        // real name in `filename*`.
        ResponseContentDisposition: contentDisposition(options.fileName, {
          type: options.disposition ?? 'attachment',
          fallback: asciiFallback(options.fileName),
        }),
      }),
      ...(options.fileName === undefined &&
        options.disposition !== undefined && { ResponseContentDisposition: options.disposition }),
      ...(options.contentType !== undefined && { ResponseContentType: options.contentType }),
    });
    return getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
  }

  /**
   * Every object key under the store's prefix (relative to it), unfinished tus uploads (`tus/`) included. For
   * tests and the data migration, not for request paths: it lists the whole bucket.
   */
  async keys(): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key?.startsWith(this.prefix)) keys.push(object.Key.slice(this.prefix.length));
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  /** Keys (relative to the prefix) of multipart uploads under way: blobs being written, tus uploads. */
  async pendingUploads(): Promise<string[]> {
    const keys: string[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.client.send(
        new ListMultipartUploadsCommand({
          Bucket: this.bucket,
          Prefix: this.prefix,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      );
      for (const upload of page.Uploads ?? []) {
        if (upload.Key?.startsWith(this.prefix)) keys.push(upload.Key.slice(this.prefix.length));
      }
      if (!page.IsTruncated) return keys;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
  }

  /** Closes the kept-alive sockets. */
  destroy(): void {
    this.client.destroy();
  }
}

/** `Résumé – 2024.pdf` → `Resume _ 2024.pdf`. */
function asciiFallback(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_');
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof S3ServiceException) return error.$metadata.httpStatusCode;
  return undefined;
}
