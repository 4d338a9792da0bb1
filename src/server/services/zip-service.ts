import { Transform, type PassThrough, type Readable, type TransformCallback } from 'node:stream';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { ZipFile } from 'yazl';
import {
  TRASH_ROOT_ID,
  ZIP_FILE_IDS_MAX,
  fileIdFromIdOrUri,
  replaceForbiddenCharacters,
} from '../../contract/index.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { nowIso } from '../clock.ts';
import { ApiError, invalid, notFound } from '../errors.ts';
import { OldGenerationGuard } from '../old-generation-guard.ts';
import { randomToken, sha256 } from '../secrets.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { KeysetPosition } from '../stores/sql-helpers.ts';
import type { ZipFileRow } from '../stores/zip-store.ts';
import { isRootId } from './folder-service.ts';
import { rootFolderName } from './serializers.ts';

// yazl computes each entry's CRC-32 with buffer-crc32, in JavaScript (~320 MB/s on the benchmark machine):
// for stored entries that was the zip's bottleneck. zlib's native crc32 (Node >= 20.15) gives the same values
// ~8x faster; yazl looks `unsigned` up at each call, so replacing it on the module yazl itself loaded suffices.
const yazlRequire = createRequire(createRequire(import.meta.url).resolve('yazl'));
const bufferCrc32 = yazlRequire('buffer-crc32') as { unsigned: (data: Buffer, previous?: number) => number };
bufferCrc32.unsigned = (data, previous) => zlib.crc32(data, previous ?? 0);

/**
 * Folders walked for one folder zip, at most. The contract bounds files (1000), not folders; without a bound a
 * tree of many empty folders would make one request walk it all.
 */
export const ZIP_FOLDERS_MAX = 10_000;

/** Rows per store call while walking a folder tree: every call is one bounded keyset page. */
const PAGE = 500;

/** Bytes of one path segment: what common file systems (ext4, APFS, NTFS) accept. */
const SEGMENT_BYTES_MAX = 255;

/** Bytes of a whole entry path: the zip format stores its length in 16 bits. */
const PATH_BYTES_MAX = 0xffff;

/** Tokens are `randomToken(32)`: 43 base64url characters. Anything else is not a token, no lookup needed. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

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

/** When a zip is planned: answering generate-download-url, or sending the zip of a URL handed out earlier. */
type Stage = 'request' | 'download';

type ZipParams = { fileIds: string[] } | { folderId: string } | { fileIds: string[]; folderIds: string[] };

type WalkPending = { id: string; prefix: string; mtime?: Date };

/** What a walk has taken so far, across the trees of one zip, and how a limit is refused. */
class WalkState {
  readonly seenFolders = new Set<string>();
  readonly seenFiles = new Set<string>();

  constructor(
    readonly tooBig: (problem: string) => Error,
    /** How the file limit's text starts: "holds" (a folder) or "the selection holds". */
    private readonly holds: string,
  ) {}

  addFile(id: string): void {
    this.seenFiles.add(id);
    if (this.seenFiles.size > ZIP_FILE_IDS_MAX) {
      throw this.tooBig(
        `${this.holds} more than ${ZIP_FILE_IDS_MAX} files (counting its sub-folders); ` +
          `a zip holds at most ${ZIP_FILE_IDS_MAX}`,
      );
    }
  }
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The longest prefix of `text` that fits in `max` UTF-8 bytes, cut between code points. */
function truncateUtf8(text: string, max: number): string {
  if (byteLength(text) <= max) return text;
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = byteLength(char);
    if (bytes + size > max) break;
    out += char;
    bytes += size;
  }
  return out;
}

/** `name.ext` → [`name`, `.ext`]; no extension for folders, dot-files or absurdly long "extensions". */
function splitExtension(name: string, isFile: boolean): [string, string] {
  const dot = isFile ? name.lastIndexOf('.') : -1;
  if (dot <= 0 || byteLength(name.slice(dot)) > 32) return [name, ''];
  return [name.slice(0, dot), name.slice(dot)];
}

/** `base` cut so that `base + tail` fits one path segment. */
function fitSegment(base: string, tail: string): string {
  return truncateUtf8(base, SEGMENT_BYTES_MAX - byteLength(tail)).trimEnd() + tail;
}

/**
 * One path segment that every unzip tool extracts where it belongs. The server's names are validated already
 * (no control characters, slashes, `.` or `..`), but rows may predate a rule, and an entry name is the one
 * place where a bad name turns into a file written outside the target directory ("zip slip"): so check again.
 */
export function sanitizeSegment(name: string, isFile: boolean): string {
  let clean = replaceForbiddenCharacters(name.normalize('NFC'), '_')
    .replace(/[/\\]/g, '_')
    // `C:name` is a drive-relative path on Windows, and yazl refuses it as absolute.
    .replace(/^([A-Za-z]):/, '$1_')
    .trim();
  if (clean === '') clean = 'unnamed';
  if (clean === '.' || clean === '..') clean = clean.replace(/\./g, '_');
  if (byteLength(clean) > SEGMENT_BYTES_MAX) {
    const [base, ext] = splitExtension(clean, isFile);
    clean = fitSegment(base, ext);
  }
  return clean;
}

/**
 * The names of one directory of the zip. Two entries must never share a name: an unzip would overwrite one
 * with the other, or fail. Names are compared case-insensitively, since the zip may be extracted on a
 * case-insensitive file system (Windows, macOS); the later one becomes `name (2).ext`, `name (3).ext`...
 */
export class DirectoryNames {
  private readonly taken = new Set<string>();

  take(name: string, isFile: boolean): string {
    if (this.claim(name)) return name;
    const [base, ext] = splitExtension(name, isFile);
    for (let n = 2; ; n++) {
      const candidate = fitSegment(base, ` (${n})${ext}`);
      if (this.claim(candidate)) return candidate;
    }
  }

  private claim(name: string): boolean {
    const key = name.toLowerCase();
    if (this.taken.has(key)) return false;
    this.taken.add(key);
    return true;
  }
}

function fileEntry(path: string, file: ZipFileRow): ZipFileEntry {
  return {
    kind: 'file',
    path,
    fileId: file.id,
    blobKey: file.blob_key,
    size: Number(file.size_in_bytes),
    mtime: new Date(file.created_date),
  };
}

/**
 * Zip downloads: "The zip URLs of several files or a folder do not expire; private files never go into them."
 * A URL is `PUBLIC_URL/download/v1/zip/<token>`, a capability: the token is 32 random bytes, stored only as
 * its sha256 with what it zips. The zip is planned again at each download (a folder zip holds the folder as it
 * is then) and streamed with STORE entries, one blob open at a time, never buffered or written to disk.
 */
export class ZipService {
  constructor(
    private readonly store: MetadataStore,
    private readonly blobs: BlobStore,
    private readonly publicUrl: string,
  ) {}

  /** `POST /files/generate-download-url`: ids or media URIs, in the order given; duplicates count once. */
  async filesDownloadUrl(idsOrUris: readonly string[]): Promise<{ downloadUrl: string }> {
    const ids = [...new Set(idsOrUris.map(fileIdFromIdOrUri))];
    const plan = await this.planFiles(ids, 'request');
    const fileIds = plan.entries.flatMap((e) => (e.kind === 'file' ? [e.fileId] : []));
    return this.issue('files', { fileIds });
  }

  /** `POST /folders/{folderId}/generate-download-url`: checked now (404, trash, size) and again at download. */
  async folderDownloadUrl(folderId: string): Promise<{ downloadUrl: string }> {
    await this.planFolder(folderId, 'request');
    return this.issue('folder', { folderId });
  }

  /**
   * `POST /site-media-ext/v1/zips/generate-download-url` (an extension): a selection of files and folders, as the web app's
   * Download of a mixed selection. Files go at the top in the order given, each folder as a directory holding
   * its tree; the limits of a folder zip apply to the whole. Checked now and again at download.
   */
  async selectionDownloadUrl(
    fileIdsOrUris: readonly string[],
    folderIds: readonly string[],
  ): Promise<{ downloadUrl: string }> {
    const params = {
      fileIds: [...new Set(fileIdsOrUris.map(fileIdFromIdOrUri))],
      folderIds: [...new Set(folderIds)],
    };
    await this.planSelection(params.fileIds, params.folderIds, 'request');
    return this.issue('selection', params);
  }

  /** Resolves a zip URL's token into what to send; an unknown or malformed token is a 404. */
  async open(token: string): Promise<ZipPlan> {
    const row = TOKEN.test(token) ? await this.store.zips.getZipDownload(sha256(token)) : undefined;
    if (!row) throw new ApiError('RESOURCE_NOT_FOUND', 'This download link is not valid');
    const params = JSON.parse(row.params) as ZipParams;
    if ('folderId' in params) return this.planFolder(params.folderId, 'download');
    if ('folderIds' in params) return this.planSelection(params.fileIds, params.folderIds, 'download');
    return this.planFiles(params.fileIds, 'download');
  }

  /**
   * Streams the zip of a plan. Entries are stored, not deflated (media is compressed already, and STORE keeps
   * the CPU out of the way); yazl switches to ZIP64 where sizes or offsets need it. yazl asks for an entry's
   * bytes only when it reaches that entry, so one blob is open at a time and memory stays flat whatever the
   * total size; backpressure runs from the client's socket to the blob read. A blob that is missing, short or
   * unreadable destroys the stream: the client sees an aborted download, never a zip that looks complete.
   */
  stream(plan: ZipPlan): Readable {
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
        promise = this.blobs.get(entry.blobKey, range).then((blob) => {
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

  private async issue(
    kind: 'files' | 'folder' | 'selection',
    params: ZipParams,
  ): Promise<{ downloadUrl: string }> {
    const token = randomToken(32);
    await this.store.zips.insertZipDownload({
      id: sha256(token),
      kind,
      params: JSON.stringify(params),
      created_at: nowIso(),
    });
    return { downloadUrl: `${this.publicUrl}/download/v1/zip/${token}` };
  }

  /**
   * A flat zip of the named files, in the order given. Files in the trash still go in (they are downloadable
   * until purged, as with `/media/<id>`); private files never do. At request time an unknown id is a 404; at
   * download time files purged since are left out.
   */
  private async planFiles(ids: readonly string[], stage: Stage): Promise<ZipPlan> {
    const rows = await this.store.files.getFiles(ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.filter((id) => !byId.has(id));
    if (stage === 'request' && missing.length > 0) {
      throw new ApiError('RESOURCE_NOT_FOUND', `Files not found: ${missing.slice(0, 10).join(', ')}`, {
        ids: missing,
      });
    }
    const names = new DirectoryNames();
    const entries: ZipEntry[] = [];
    for (const id of ids) {
      const file = byId.get(id);
      // Private files never go in; nor do imports without bytes (yet).
      if (!file || file.private !== 0 || file.hash === '') continue;
      entries.push(fileEntry(names.take(sanitizeSegment(file.display_name, true), true), file));
    }
    if (entries.length === 0) {
      if (stage === 'download') {
        throw new ApiError('RESOURCE_NOT_FOUND', 'None of the files of this download exist any more');
      }
      throw invalid(
        'fileIds',
        'every file named is private, and private files never go into zips; ' +
          'use generate-file-download-url for each private file',
      );
    }
    return { fileName: 'files.zip', entries };
  }

  /**
   * The zip of a live folder (or of `media-root` / `visitor-uploads`) with its live sub-folders, paths relative
   * to it. Trashed items and private files are left out. The tree is walked folder by folder in bounded keyset pages (depth first, by name), and the walk
   * stops as soon as it passes a limit.
   */
  private async planFolder(folderId: string, stage: Stage): Promise<ZipPlan> {
    let name: string;
    if (folderId === TRASH_ROOT_ID) {
      throw invalid('folderId', 'the trash cannot be downloaded as a zip; restore the items first');
    } else if (isRootId(folderId)) {
      name = rootFolderName(folderId) ?? folderId;
    } else {
      const row = await this.store.folders.getFolder(folderId);
      if (!row) throw notFound('Folder', folderId);
      if (row.state !== 'OK') {
        throw new ApiError('FAILED_PRECONDITION', `Folder ${folderId} is in the trash; restore it first`);
      }
      name = row.display_name;
    }

    const tooBig = (problem: string) =>
      stage === 'request'
        ? invalid('folderId', problem)
        : new ApiError('FAILED_PRECONDITION', `This folder ${problem}`);
    const entries: ZipEntry[] = [];
    await this.walk([{ id: folderId, prefix: '' }], new WalkState(tooBig, 'holds'), entries);
    return { fileName: `${sanitizeSegment(name, false)}.zip`, entries };
  }

  /**
   * A selection: the named files flat at the top (in the order given; private ones and imports without bytes
   * left out), then each named live folder as a directory with its tree. At request time an unknown id is a
   * 404 and a folder in the trash a 409; at download time what is gone or trashed since is left out.
   */
  private async planSelection(
    fileIds: readonly string[],
    folderIds: readonly string[],
    stage: Stage,
  ): Promise<ZipPlan> {
    if (fileIds.length + folderIds.length === 0)
      throw invalid('fileIds', 'must name at least one file or folder');
    if (folderIds.includes(TRASH_ROOT_ID)) {
      throw invalid('folderIds', 'the trash cannot be downloaded as a zip; restore the items first');
    }
    const fileRows = new Map((await this.store.files.getFiles(fileIds)).map((r) => [r.id, r]));
    const folderRows = new Map(
      (await this.store.folders.getFolders(folderIds.filter((id) => !isRootId(id)))).map((r) => [r.id, r]),
    );
    if (stage === 'request') {
      const missingFiles = fileIds.filter((id) => !fileRows.has(id));
      if (missingFiles.length > 0) {
        throw new ApiError('RESOURCE_NOT_FOUND', `Files not found: ${missingFiles.slice(0, 10).join(', ')}`, {
          ids: missingFiles,
        });
      }
      const missingFolders = folderIds.filter((id) => !isRootId(id) && !folderRows.has(id));
      if (missingFolders.length > 0) {
        throw new ApiError(
          'RESOURCE_NOT_FOUND',
          `Folders not found: ${missingFolders.slice(0, 10).join(', ')}`,
          { ids: missingFolders },
        );
      }
      const trashed = [...folderRows.values()].filter((r) => r.state !== 'OK');
      if (trashed.length > 0) {
        throw new ApiError(
          'FAILED_PRECONDITION',
          `Folders in the trash cannot be zipped; restore them first: ${trashed.map((r) => r.id).join(', ')}`,
        );
      }
    }

    const tooBig = (problem: string) => {
      const text = problem.startsWith('the selection') ? problem : `a folder of the selection ${problem}`;
      return stage === 'request'
        ? invalid('folderIds', text)
        : new ApiError('FAILED_PRECONDITION', text[0]!.toUpperCase() + text.slice(1));
    };
    const state = new WalkState(tooBig, 'the selection holds');
    const names = new DirectoryNames();
    const entries: ZipEntry[] = [];
    for (const id of fileIds) {
      const file = fileRows.get(id);
      if (!file || file.private !== 0 || file.hash === '' || state.seenFiles.has(id)) continue;
      state.addFile(id);
      entries.push(fileEntry(names.take(sanitizeSegment(file.display_name, true), true), file));
    }
    const start: WalkPending[] = [];
    for (const id of folderIds) {
      const row = folderRows.get(id);
      if (!isRootId(id) && (!row || row.state !== 'OK')) continue;
      const name = row ? row.display_name : (rootFolderName(id) ?? id);
      const mtime = row ? new Date(row.created_date) : new Date();
      start.push({ id, prefix: `${names.take(sanitizeSegment(name, false), false)}/`, mtime });
    }
    await this.walk(start, state, entries);

    if (entries.length === 0) {
      if (stage === 'download') {
        throw new ApiError('RESOURCE_NOT_FOUND', 'None of the items of this download exist any more');
      }
      throw invalid(
        'fileIds',
        'every file named is private, and private files never go into zips; ' +
          'use generate-file-download-url for each private file',
      );
    }
    return { fileName: 'files.zip', entries };
  }

  /**
   * Walks folder trees into zip entries: each start folder's live files and live sub-folders at every depth, under
   * its prefix. The tree is walked folder by folder in bounded keyset pages (depth first, by name), and the walk
   * stops as soon as it passes a limit (`state` counts across several trees).
   */
  private async walk(start: WalkPending[], state: WalkState, entries: ZipEntry[]): Promise<void> {
    const stack: WalkPending[] = [...start].reverse();
    for (const { id } of start) state.seenFolders.add(id);
    while (stack.length > 0) {
      const { id, prefix, mtime } = stack.pop()!;
      // A directory entry for every sub-folder, right before its contents, so that empty ones survive too.
      if (mtime) entries.push({ kind: 'directory', path: prefix, mtime });
      const names = new DirectoryNames();
      const pathOf = (segment: string, suffix: string) => {
        const path = `${prefix}${segment}${suffix}`;
        if (byteLength(path) > PATH_BYTES_MAX) {
          throw state.tooBig('is nested too deeply to zip: entry paths are limited to 65535 bytes');
        }
        return path;
      };

      for await (const file of this.pages((after) => this.store.zips.listZipFiles(id, after, PAGE))) {
        // Imports without bytes (yet) have nothing to zip.
        if (state.seenFiles.has(file.id) || file.hash === '') continue;
        state.addFile(file.id);
        entries.push(fileEntry(pathOf(names.take(sanitizeSegment(file.display_name, true), true), ''), file));
      }

      const children: WalkPending[] = [];
      for await (const folder of this.pages((after) =>
        this.store.folders.listFolders({
          filter: { locationId: id, state: 'OK' },
          column: 'sort_name',
          order: 'ASC',
          after,
          limit: PAGE,
        }),
      )) {
        if (state.seenFolders.has(folder.id)) continue;
        state.seenFolders.add(folder.id);
        if (state.seenFolders.size > ZIP_FOLDERS_MAX) {
          throw state.tooBig(
            `has more than ${ZIP_FOLDERS_MAX} sub-folders; a zip holds at most ${ZIP_FOLDERS_MAX}`,
          );
        }
        const path = pathOf(names.take(sanitizeSegment(folder.display_name, false), false), '/');
        children.push({ id: folder.id, prefix: path, mtime: new Date(folder.created_date) });
      }
      // Depth first, in name order: push the children reversed so the first is walked next.
      stack.push(...children.reverse());
    }
  }

  /** Every row of a listing, fetched in keyset pages of PAGE rows by (sort_name, id). */
  private async *pages<R extends { id: string; sort_name: string }>(
    fetch: (after: KeysetPosition | null) => Promise<R[]>,
  ): AsyncGenerator<R> {
    let after: KeysetPosition | null = null;
    for (;;) {
      const rows = await fetch(after);
      yield* rows;
      const last = rows.at(-1);
      if (rows.length < PAGE || !last) return;
      after = [last.sort_name, last.id];
    }
  }
}
