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
  /** Streams the blob, or the given range of it. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Size of the blob, or undefined when there is none. */
  size(key: string): Promise<number | undefined>;
  /** Removes blobs; keys without a blob are ignored. */
  delete(keys: readonly string[]): Promise<void>;
}
