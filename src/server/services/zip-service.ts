import type { Readable } from 'node:stream';
import { TRASH_ROOT_ID, ZIP_FILE_IDS_MAX, fileIdFromIdOrUri } from '../../contract/index.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { nowIso } from '../clock.ts';
import { ApiError, invalid, notFound } from '../errors.ts';
import { randomToken, sha256 } from '../secrets.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { KeysetPosition } from '../stores/sql-helpers.ts';
import type { ZipFileRow } from '../stores/zip-store.ts';
import { isRootId } from './folder-service.ts';
import { rootFolderName } from './serializers.ts';
import { byteLength, DirectoryNames, sanitizeSegment } from './zip-names.ts';
import { streamZip, type ZipEntry, type ZipFileEntry, type ZipPlan } from './zip-stream.ts';

export type { ZipPlan } from './zip-stream.ts';

/**
 * Folders walked for one folder zip, at most. The contract bounds files (1000), not folders; without a bound a
 * tree of many empty folders would make one request walk it all.
 */
export const ZIP_FOLDERS_MAX = 10_000;

/** Rows per store call while walking a folder tree: every call is one bounded keyset page. */
const PAGE = 500;

/** Bytes of a whole entry path: the zip format stores its length in 16 bits. */
const PATH_BYTES_MAX = 0xffff;

/** Tokens are `randomToken(32)`: 43 base64url characters. Anything else is not a token, no lookup needed. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

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
    return streamZip(plan, this.blobs);
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
