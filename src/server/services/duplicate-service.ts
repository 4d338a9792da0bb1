import {
  DUPLICATE_GROUP_FILES_MAX,
  type DuplicateGroupsResponse,
  type FileDescriptor,
  type MergeDuplicatesResponse,
  type OnDuplicate,
} from '../../contract/index.ts';
import { nowIso } from '../clock.ts';
import { ApiError, invalid } from '../errors.ts';
import { DuplicateStore, type GroupPosition } from '../stores/duplicate-store.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { FileRow } from '../stores/schema.ts';
import type { CursorCodec } from './cursors.ts';
import type { FileService } from './file-service.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const LISTING = 'duplicates.groups';

/** Where an upload with duplicate bytes ends (see `OnDuplicate`). */
export interface DuplicateOutcome {
  /** The existing file the upload answers instead of a new one. */
  fileId: string;
}

/**
 * What an upload with `onDuplicate` does, inside the transaction that would insert its row: undefined when a new
 * file is to be made (`KEEP_BOTH`, or no live file has these bytes), otherwise the existing file (the oldest with
 * these bytes) it answers instead; for `REPLACE` that file is first moved and renamed to where the upload was
 * going (`place`, asked only then: it may create the folders of a `filePath`).
 */
export async function resolveDuplicateUpload(
  store: MetadataStore,
  files: FileService,
  mode: OnDuplicate | undefined,
  hash: string,
  place: () => Promise<{ parentFolderId: string; fileName: string }>,
): Promise<DuplicateOutcome | undefined> {
  if (mode === undefined || mode === 'KEEP_BOTH') return undefined;
  const [existing] = await new DuplicateStore(store).liveWithHash(hash, 1);
  if (!existing) return undefined;
  if (mode === 'REPLACE') {
    const { parentFolderId, fileName } = await place();
    await files.update(existing.id, { displayName: fileName, parentFolderId });
  }
  return { fileId: existing.id };
}

/**
 * Files with identical bytes: the lookup an upload makes at finalize (`onDuplicate`), the web app's question
 * before it uploads (`findByHash`), the Duplicates view's groups, and merging a group (one kept, the others to
 * the trash, restorable). Detection is an index lookup on `files.hash`, never a scan.
 */
export class DuplicateService {
  constructor(
    private readonly store: MetadataStore,
    private readonly files: FileService,
    private readonly codec: CursorCodec,
  ) {}

  private get rows(): DuplicateStore {
    return new DuplicateStore(this.store);
  }

  /** Live files with these bytes, oldest first. */
  async findByHash(hash: string): Promise<FileDescriptor[]> {
    const normalised = hash.trim().toLowerCase();
    if (!SHA256_HEX.test(normalised)) throw invalid('hash', 'must be a SHA-256 in hex (64 characters)');
    const rows = await this.rows.liveWithHash(normalised, DUPLICATE_GROUP_FILES_MAX);
    return rows.map((row) => this.files.toWire(row));
  }

  /** A page of duplicate groups, largest files first. */
  async groups(paging: { limit: number; cursor?: string | undefined }): Promise<DuplicateGroupsResponse> {
    const after = paging.cursor
      ? (this.codec.decode<null>(paging.cursor, LISTING, 'cursor').position as GroupPosition)
      : null;
    const found = await this.rows.groups(after, paging.limit + 1);
    const page = found.slice(0, paging.limit);
    const groups = [];
    for (const group of page) {
      const rows = await this.rows.liveWithHash(group.hash, DUPLICATE_GROUP_FILES_MAX);
      groups.push({
        hash: group.hash,
        sizeInBytes: String(group.size_in_bytes),
        fileCount: group.file_count,
        wastedBytes: String(group.size_in_bytes * (group.file_count - 1)),
        files: rows.map((row) => this.files.toWire(row)),
      });
    }
    const last = page[page.length - 1];
    const nextCursor =
      found.length > paging.limit && last
        ? this.codec.encode({
            listing: LISTING,
            filter: null,
            sort: { fieldName: 'sizeInBytes', order: 'DESC' },
            position: [last.size_in_bytes, last.hash],
          })
        : null;
    return { groups, nextCursor };
  }

  /**
   * Keeps `keepFileId` and moves the other live files with its bytes to the trash (only `fileIds` when given;
   * each must have the same bytes). The trash keeps them restorable for its retention period.
   */
  async merge(keepFileId: string, fileIds: readonly string[] | undefined): Promise<MergeDuplicatesResponse> {
    return this.store.transaction(async (store) => {
      const keep = await this.files.row(keepFileId);
      if (keep.state !== 'OK') throw new ApiError('FAILED_PRECONDITION', `File ${keep.id} is in the trash`);
      let remove: FileRow[];
      if (fileIds === undefined) {
        remove = (await this.rows.liveWithHash(keep.hash, Number.MAX_SAFE_INTEGER)).filter(
          (row) => row.id !== keep.id,
        );
      } else {
        remove = [];
        for (const id of new Set(fileIds)) if (id !== keep.id) remove.push(await this.files.row(id));
        const other = remove.find((row) => row.hash !== keep.hash);
        if (other) throw invalid('fileIds', `${other.id} does not have the same bytes as ${keep.id}`);
        remove = remove.filter((row) => row.state === 'OK');
      }
      const trashedFileIds = remove.map((row) => row.id);
      if (trashedFileIds.length > 0) await store.trash.trash('files', trashedFileIds, nowIso());
      return { file: this.files.toWire(keep), trashedFileIds };
    });
  }
}
