import { Transform, type PassThrough, type Readable, type TransformCallback } from 'node:stream';
import { ZipFile } from 'yazl';
import type { BlobStore } from '../blobs/blob-store.ts';
import { OldGenerationGuard } from '../old-generation-guard.ts';
import { useNativeCrc32ForYazl } from './yazl-native-crc32.ts';

// yazl's CRC-32 in JavaScript was the bottleneck of stored entries (see `yazl-native-crc32.ts`).
useNativeCrc32ForYazl();

/** Files opened (and their first chunk read) ahead of the one being streamed. */
export const ZIP_READ_AHEAD = 4;

/**
 * A zip's entries outlive young collections and are promoted; after a zip the old generation is collected once
 * it has grown this much (`OldGenerationGuard`).
 */
const heapGuard = new OldGenerationGuard(8 * 1024 * 1024);

/** Zip bytes gathered before they go to the client's socket in one write. */
const OUTPUT_BATCH_BYTES = 256 * 1024;

/**
 * Gathers the zip's output into writes of `OUTPUT_BATCH_BYTES`. yazl writes each entry as a header of a few
 * dozen bytes, the file's chunks and a 16-byte descriptor, and every one of those became its own socket write:
 * with 50 KiB files, socket writes were most of the server's CPU time. What is gathered goes out at the latest
 * once the event loop has handled the I/O that is ready (setImmediate), so a slow blob never holds bytes back.
 */
class OutputBatcher extends Transform {
  private chunks: Buffer[] = [];
  private length = 0;
  private scheduled: NodeJS.Immediate | undefined;
  /** The last write's callback, held while the client has a batch unread: backpressure reaches yazl. */
  private waiting: TransformCallback | undefined;

  constructor() {
    super({ readableHighWaterMark: OUTPUT_BATCH_BYTES });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    if (this.length >= OUTPUT_BATCH_BYTES) this.release();
    else this.scheduled ??= setImmediate(() => this.release());
    // Transform itself only holds back a write that pushed something; this one may have pushed nothing.
    if (this.readableLength >= this.readableHighWaterMark) this.waiting = done;
    else done();
  }

  override _read(size: number): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
    super._read(size);
  }

  override _flush(done: TransformCallback): void {
    this.release();
    done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.chunks = [];
    done(error);
  }

  private release(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.length === 0) return;
    const chunks = this.chunks;
    this.chunks = [];
    this.length = 0;
    // Pushed back to back, not concatenated: the response writes what it is given in one tick with one writev,
    // and copying would double the buffers the garbage collector sees.
    for (const chunk of chunks) this.push(chunk);
  }
}

export interface ZipFileEntry {
  kind: 'file';
  /** Path inside the zip, relative, `/`-separated, every segment sanitised and unique in its directory. */
  path: string;
  fileId: string;
  blobKey: string;
  size: number;
  mtime: Date;
}

export interface ZipDirectoryEntry {
  kind: 'directory';
  /** Ends with `/`. */
  path: string;
  mtime: Date;
}

export type ZipEntry = ZipFileEntry | ZipDirectoryEntry;

/** What one download of a zip URL sends: resolved when the URL is fetched, streamed afterwards. */
export interface ZipPlan {
  /** The attachment's file name: `<folder name>.zip` or `files.zip`. */
  fileName: string;
  entries: ZipEntry[];
}

/**
 * Streams the zip of a plan. Entries are stored, not deflated (media is compressed already, and STORE keeps
 * the CPU out of the way); yazl switches to ZIP64 where sizes or offsets need it. yazl asks for an entry's
 * bytes only when it reaches that entry, so one blob is open at a time and memory stays flat whatever the
 * total size; backpressure runs from the client's socket to the blob read. A blob that is missing, short or
 * unreadable destroys the stream: the client sees an aborted download, never a zip that looks complete.
 */
export function streamZip(plan: ZipPlan, blobs: BlobStore): Readable {
  const zip = new ZipFile();
  // yazl's output is a PassThrough (typed as the older NodeJS.ReadableStream).
  const output = zip.outputStream as PassThrough;
  let current: Readable | undefined;
  let closed = false;
  const files = plan.entries.filter((entry) => entry.kind !== 'directory');
  // The next files' blobs are opened, and their first chunk read, while the current one streams
  // (`ZIP_READ_AHEAD` files, at most one chunk of each): with many small files, waiting for each open and read
  // in turn was most of the time.
  const opening = new Map<number, Promise<Readable>>();
  const open = (index: number): Promise<Readable> | undefined => {
    const entry = files[index];
    if (!entry || closed) return undefined;
    let promise = opening.get(index);
    if (!promise) {
      // The exact range: a blob shorter than its row says ends early and yazl fails the zip.
      const range = entry.size > 0 ? { start: 0, end: entry.size - 1 } : undefined;
      promise = blobs.get(entry.blobKey, range).then((blob) => {
        // Starts the first read (up to the stream's buffer size); what it reads waits in the stream.
        blob.read(0);
        return blob;
      });
      // Failures are reported when the entry is reached; a prefetch nobody waits for must not go unhandled.
      promise.catch(() => {});
      opening.set(index, promise);
    }
    return promise;
  };
  // A download cut short (client gone, or an error) must not leave a blob open.
  output.once('close', () => {
    closed = true;
    current?.destroy();
    for (const promise of opening.values())
      promise.then(
        (blob) => blob.destroy(),
        () => {},
      );
    opening.clear();
  });
  zip.on('error', (error: Error) => output.destroy(error));

  let fileIndex = 0;
  for (const entry of plan.entries) {
    if (entry.kind === 'directory') {
      zip.addEmptyDirectory(entry.path, { mtime: entry.mtime, mode: 0o40755 });
      continue;
    }
    const index = fileIndex++;
    const options = { compress: false, size: entry.size, mtime: entry.mtime, mode: 0o100644 };
    zip.addReadStreamLazy(entry.path, options, (callback) => {
      const blobPromise = open(index);
      if (!blobPromise) return;
      opening.delete(index);
      for (let ahead = 1; ahead <= ZIP_READ_AHEAD; ahead++) void open(index + ahead);
      blobPromise.then(
        (blob) => {
          if (closed) {
            blob.destroy();
            return;
          }
          current = blob;
          // yazl pipes the stream but does not listen for its errors.
          blob.on('error', (error) => {
            zip.emit(
              'error',
              new Error(`Reading the bytes of file ${entry.fileId} failed`, { cause: error }),
            );
          });
          callback(null, blob);
        },
        (error: unknown) => {
          zip.emit(
            'error',
            new Error(`The bytes of file ${entry.fileId} cannot be opened`, { cause: error }),
          );
        },
      );
    });
  }
  zip.end();
  // The batcher is what the client reads: an error of the zip ends it, and the client going away ends the zip.
  const batched = new OutputBatcher();
  output.on('error', (error) => batched.destroy(error));
  batched.once('close', () => {
    output.destroy();
    setImmediate(() => heapGuard.settle());
  });
  return output.pipe(batched);
}
