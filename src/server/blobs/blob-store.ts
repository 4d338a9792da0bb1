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
   * Stores a copy of a complete local file under `key` (a finished tus upload): on disk a hard link when the
   * file is on the same filesystem, so no byte is copied. The source stays where it is; the caller removes it
   * once the file's row exists. Resolves with the number of bytes stored.
   */
  putFile(key: string, localPath: string): Promise<number>;
  /** Streams the blob, or the given range of it. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Size of the blob, or undefined when there is none. */
  size(key: string): Promise<number | undefined>;
  /** Removes blobs; keys without a blob are ignored. */
  delete(keys: readonly string[]): Promise<void>;
}
