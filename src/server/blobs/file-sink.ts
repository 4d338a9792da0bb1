import fs from 'node:fs';
import { Writable, type Readable } from 'node:stream';

/**
 * Bytes gathered before a write is issued, chosen with `bench/upload-throughput.ts` (docs/benchmarks.md): 256 KiB
 * and 512 KiB writes cost more system time again, most of all right after other processes' small writes (the
 * kernel backs larger writes with larger page-cache folios, whose allocations then cost more; `bench/file-writes.ts`
 * shows it too).
 */
export const FILE_SINK_BATCH = 128 * 1024;

export interface FileSinkOptions {
  /** `fs.open` flags: 'wx' for a new file, 'r+' to write into an existing one at `start`. */
  flags: string;
  /** Where the first byte goes. */
  start?: number;
  /** Bytes gathered before a write is issued (default `FILE_SINK_BATCH`). */
  batch?: number;
}

/**
 * A file write stream that gathers its chunks into batches of `batch` bytes and writes each batch with one
 * `writev`. `fs.WriteStream` issues a write per chunk whenever it is idle; request chunks are at most 64 KiB,
 * so a 1 GiB upload was some 16,000 writes, each a trip through libuv's thread pool that wakes a worker
 * thread and then the event loop: on a busy two-core host a fifth of the upload's CPU time went to those
 * wake-ups (`perf`: futex wake, context switches). Gathering chunks into batches saves trips. Chunks are accepted
 * (their callback called) until a batch is full, and the batch's write holds the stream until it is done, so
 * at most `batch` bytes wait here plus the stream's own high-water mark: memory stays flat.
 *
 * An accepted chunk is on disk only once its batch is written: ended, the stream writes everything; destroyed
 * (an error), it drops what waits here, up to a batch. A tus PATCH cut off by its client is ended, not
 * destroyed (`services/tus/request-body.ts`), so it keeps every byte received. Callers must not change a chunk after
 * writing it (none does: request bodies are fresh buffers).
 */
export class FileSink extends Writable {
  /** Bytes written to the file so far. */
  bytesWritten = 0;
  private fd: number | undefined;
  private position: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly batch: number;
  /** A batch is being written. */
  private writing = false;
  /** Closes the file, once the write in flight is done (set when destroyed meanwhile). */
  private closeWhenIdle: (() => void) | undefined;

  /** Settles once the file is open (or failed to open). */
  private readonly opening: Promise<void>;
  private opened = false;

  constructor(
    readonly path: string,
    options: FileSinkOptions,
  ) {
    super({ highWaterMark: 64 * 1024 });
    this.position = options.start ?? 0;
    this.batch = options.batch ?? FILE_SINK_BATCH;
    // The file opens while the first batch gathers (a request's first chunks no longer wait for the open).
    this.opening = new Promise((resolve) => {
      fs.open(path, options.flags, (error, fd) => {
        this.opened = true;
        if (error) {
          if (!this.destroyed) this.destroy(error);
        } else {
          this.fd = fd;
          this.emit('open', fd);
        }
        resolve();
      });
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.batch) return callback();
    this.flush(callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flush(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.pending = [];
    this.pendingBytes = 0;
    // Destroyed before the file opened: close it once it has.
    if (!this.opened) {
      void this.opening.then(() => this._destroy(error, callback));
      return;
    }
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) return callback(error);
    const close = () => fs.close(fd, (closeError) => callback(error ?? closeError));
    // As fs.WriteStream does: a write in flight ends before its file is closed (the number could otherwise be
    // reused by another open meanwhile, and `close` would come before the last bytes landed).
    if (this.writing) this.closeWhenIdle = close;
    else close();
  }

  /** Writes the pending batch, all of it (a write may take fewer bytes than asked). */
  private flush(callback: (error?: Error | null) => void): void {
    if (!this.opened) {
      // A failed open destroys the stream, which ends this write with the error.
      void this.opening.then(() => this.flush(callback));
      return;
    }
    const fd = this.fd;
    // Tiny chunks (a slow client's) would make a writev of thousands of buffers, past IOV_MAX: join them.
    let buffers = this.pending.length > 64 ? [Buffer.concat(this.pending)] : this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (fd === undefined || buffers.length === 0) return callback();
    this.writing = true;
    const next = (error?: Error | null): void => {
      // Done, failed, or destroyed meanwhile (the rest of the batch is dropped, as its stream is).
      if (error || buffers.length === 0 || this.destroyed) {
        this.writing = false;
        const close = this.closeWhenIdle;
        this.closeWhenIdle = undefined;
        close?.();
        return callback(error);
      }
      fs.writev(fd, buffers, this.position, (writeError, written) => {
        if (!writeError) {
          this.position += written;
          this.bytesWritten += written;
          buffers = rest(buffers, written);
        }
        next(writeError);
      });
    };
    next();
  }
}

/** The part of `buffers` after its first `skip` bytes. */
function rest(buffers: Buffer[], skip: number): Buffer[] {
  let index = 0;
  while (index < buffers.length && skip >= buffers[index]!.length) skip -= buffers[index++]!.length;
  if (index === buffers.length) return [];
  return [buffers[index]!.subarray(skip), ...buffers.slice(index + 1)];
}

/**
 * Pipes `source` into `sink` and settles once the sink has closed its file: resolved when every byte was written,
 * rejected with the first error of either stream (both are then destroyed, the sink dropping what it has not
 * written). This is what `stream.pipeline` does for two streams, without the `AbortController` it makes and aborts
 * at every call: that abort makes a `DOMException` with its stack trace, about 65 µs of CPU, and a tus upload pays
 * it per PATCH.
 */
export function pipeToSink(source: Readable, sink: FileSink): Promise<void> {
  return new Promise((resolve, reject) => {
    let failure: Error | undefined;
    let finished = false;
    const fail = (error: Error) => {
      if (failure) return;
      failure = error;
      source.unpipe(sink);
      source.destroy();
      sink.destroy();
    };
    source.on('error', fail);
    sink.on('error', fail);
    sink.once('finish', () => (finished = true));
    // Settled only once the file is closed, failed or not: a caller that answers (or retries) at once finds
    // every byte the sink will ever write already written.
    sink.once('close', () => {
      if (failure) reject(failure);
      else if (finished) resolve();
      else reject(new Error('The file sink closed before it finished'));
    });
    source.pipe(sink);
  });
}
