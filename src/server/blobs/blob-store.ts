import type { Readable } from 'node:stream';

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/**
 * The blob store port: where the bytes of originals and renditions live. Keys are opaque strings made by the
 * services (`originals/<fileId>`). Implementations: local disk (default) and S3.
 */
export interface BlobStore {
  /**
   * Stores a stream under `key`. The blob appears only once every byte is written: an interrupted or failed
   * stream leaves nothing behind. Resolves with the number of bytes stored.
   */
  put(key: string, source: Readable): Promise<number>;
  /**
   * Stores a copy of a complete local file under `key` (a finished tus upload, a rendition): on disk a hard
   * link when the file is on the same filesystem, so no byte is copied. The source stays where it is; the
   * caller removes it once the file's row exists. Like `put`, the blob appears only once complete. Resolves
   * with the number of bytes stored.
   */
  putFile(key: string, localPath: string): Promise<number>;
  /** Streams the blob, or the given range of it. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /**
   * The whole blob in memory, read at the store's best pace (a file in one read, not in stream-sized chunks): for
   * what a decoder needs whole, such as the source of an image rendered on request. Fails with ENOENT like `get`.
   */
  read(key: string): Promise<Buffer>;
  /** Size of the blob, or undefined when there is none. */
  size(key: string): Promise<number | undefined>;
  /** Removes blobs; keys without a blob are ignored. */
  delete(keys: readonly string[]): Promise<void>;
  /**
   * Every complete blob whose key starts with `prefix` (a string prefix, not a directory: `a` takes `ab/x`),
   * once each, in no promised order; writes under way are not blobs yet and are left out. Paged as it goes, so
   * a store of millions of blobs is walked in bounded memory. For maintenance (the blob sweeper, fsck), never
   * for request paths.
   */
  list(prefix: string): AsyncIterable<BlobEntry>;
  /**
   * A URL that fetches the blob straight from the store, without this server, until it expires. Only stores that
   * can hand one out have it (S3); `fileName`, `contentType` and `disposition` become the response's headers.
   */
  presignedUrl?(key: string, options: PresignOptions): Promise<string>;
}

/** A blob as `list` finds it. */
export interface BlobEntry {
  key: string;
  size: number;
  /** When the blob was last written, by the store's clock. */
  lastModified: Date;
}

export interface PresignOptions {
  expiresInSeconds: number;
  /** For `Content-Disposition` (with `disposition`, default `attachment`). */
  fileName?: string;
  contentType?: string;
  disposition?: 'inline' | 'attachment';
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._~/-]{0,300}$/;

/**
 * Keys are made by the services, never by clients; still, every store takes the same ones, and none that could
 * escape a directory (the disk store maps keys to paths).
 */
export function checkBlobKey(key: string): string {
  if (!KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    throw new Error(`Invalid blob key: ${key}`);
  }
  return key;
}

/** The error `get` throws for a key without a blob, whatever the store: callers look for `code === 'ENOENT'`. */
export function blobNotFound(key: string, cause?: unknown): NodeJS.ErrnoException {
  return Object.assign(new Error(`No blob ${key}`, { cause }), { code: 'ENOENT' });
}
