import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { FileConfigstore, FileStore } from '@tus/file-store';
import { ERRORS, type Upload } from '@tus/server';
import type { KvStore } from '@tus/utils';
import { FileSink, pipeToSink } from '../../blobs/file-sink.ts';
import { storageFailure } from '../../storage-errors.ts';
import { TusResponseError, UploadChecks } from './checks.ts';
import { toTusError } from './contract-errors.ts';

/** Most upload records `CachedConfigstore` keeps; beyond it the oldest is dropped (read again when needed). */
const CACHED_RECORDS_MAX = 10_000;

/**
 * FileStore's record of each upload (its `<id>.json`: length, metadata, creation date), kept in memory once
 * read or written. FileStore reads the record at every request of an upload (each PATCH, each HEAD), and
 * reading a file is four trips through libuv's thread pool (open, fstat, read, close): on a busy two-core
 * host that was 0.4–0.6 ms of each 8 MiB PATCH. A record never changes after creation here (no deferred
 * length), and the upload's offset is not in it (FileStore still `stat`s the bytes at every request), so the
 * copy cannot go stale in a way that matters: an upload removed behind the store's back (another process
 * sharing the directory expiring it) has no bytes left to `stat`, and answers 410 as before.
 */
export class CachedConfigstore implements KvStore<Upload> {
  private readonly records = new Map<string, Upload>();
  private readonly file: FileConfigstore;
  /** Bumped by every change: a read or write that another change overtook is not cached (it may be stale). */
  private changes = 0;

  constructor(directory: string) {
    this.file = new FileConfigstore(directory);
  }

  async get(key: string): Promise<Upload | undefined> {
    const cached = this.records.get(key);
    if (cached) return cached;
    const before = this.changes;
    const record = await this.file.get(key);
    if (record && this.changes === before) this.remember(key, record);
    return record;
  }

  async set(key: string, value: Upload): Promise<void> {
    this.records.delete(key);
    const before = ++this.changes;
    await this.file.set(key, value);
    // What the file holds: FileStore goes on changing the object it passed (`storage`, `offset`).
    if (this.changes === before) this.remember(key, JSON.parse(JSON.stringify(value)) as Upload);
  }

  async delete(key: string): Promise<void> {
    this.records.delete(key);
    this.changes++;
    await this.file.delete(key);
  }

  list(): Promise<string[]> {
    return this.file.list();
  }

  private remember(key: string, record: Upload): void {
    if (this.records.size >= CACHED_RECORDS_MAX) {
      const oldest = this.records.keys().next();
      if (!oldest.done) this.records.delete(oldest.value);
    }
    this.records.set(key, record);
  }
}

/**
 * The tus file store, without `creation-defer-length` (a resumable upload declares its length up front, so
 * limits and quota are checked before its first byte). Each PATCH's bytes pass `UploadChecks` (first bytes
 * against the declared type, running hash).
 */
export class CheckedFileStore extends FileStore {
  readonly checks: UploadChecks;

  constructor(options: ConstructorParameters<typeof FileStore>[0]) {
    super(options);
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
    this.checks = new UploadChecks(
      {
        declaredType: async (id) => (await this.configstore.get(id))?.metadata?.contentType ?? '',
        head: async (id, length) => {
          const before = Buffer.alloc(length);
          const handle = await fsp.open(this.pathOf(id), 'r');
          try {
            await handle.read(before, 0, length, 0);
          } finally {
            await handle.close();
          }
          return before;
        },
      },
      true,
    );
  }

  /** The path of an upload's bytes. */
  pathOf(id: string): string {
    return path.join(this.directory, id);
  }

  /**
   * FileStore's write through a `FileSink` instead of an `fs.WriteStream`: the PATCH's chunks go to disk in
   * batches, one thread-pool trip each (see `file-sink.ts`), piped without `stream.pipeline`. Its byte-counting
   * stage is gone too: the sink counts.
   */
  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    return this.checks.write(readable, id, offset, async (checked) => {
      const sink = new FileSink(this.pathOf(id), { flags: 'r+', start: offset });
      try {
        await pipeToSink(checked, sink);
      } catch (error) {
        // Our refusals (the reserve was crossed) and a full disk go out as what they are; the bytes written
        // so far stay, and the client resumes from the upload's offset once there is room.
        if (error instanceof TusResponseError) throw error;
        const storage = toTusError(storageFailure(error));
        if (storage) throw storage;
        // What FileStore throws: @tus/server answers 500 (or the cause, which `checks.write` rethrows).
        // @tus/server's errors are plain `{status_code, body}` objects: its handler answers with them.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw ERRORS.FILE_WRITE_ERROR;
      }
      return offset + sink.bytesWritten;
    });
  }
}
