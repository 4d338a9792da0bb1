import {
  FILE_LABELS_MAX,
  FILE_NAME_MAX,
  LABEL_MAX,
  TRASH_ROOT_ID,
  fileIdFromIdOrUri,
  type FileDescriptor,
  type FileSortField,
  type MediaType,
  type RootFolder,
  type SortOrder,
} from '../../contract/index.ts';
import { nowIso } from '../clock.ts';
import { ApiError, invalid, notFound } from '../errors.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { FileSortColumn, ListingFilter } from '../stores/sql-helpers.ts';
import type { FileRow } from '../stores/schema.ts';
import type { CursorCodec } from './cursors.ts';
import type { FolderService } from './folder-service.ts';
import { labelProblem, nameProblem } from './names.ts';
import { pageOf, type ListingSpec, type Page, type PageRequest } from './paging.ts';
import { fileToWire, type UrlBuilder } from './serializers.ts';

export const FILE_SORT_COLUMNS: Record<FileSortField, FileSortColumn> = {
  displayName: 'sort_name',
  updatedDate: 'updated_date',
  sizeInBytes: 'size_in_bytes',
};

export interface FileSort {
  fieldName: FileSortField;
  order: SortOrder;
}

/** "default updatedDate DESC" */
const DEFAULT_SORT: FileSort = { fieldName: 'updatedDate', order: 'DESC' };

export interface FileFilters {
  mediaTypes?: MediaType[] | undefined;
  private?: boolean | undefined;
}

/** What `search` matches: display name, MIME type and labels, lower-cased. */
export function searchTextOf(displayName: string, mimeType: string, labels: readonly string[]): string {
  return [displayName, mimeType, ...labels].join('\n').toLowerCase();
}

export function validateLabels(labels: readonly string[], max: number, field: string): string[] {
  if (labels.length > max) throw invalid(field, `must have at most ${max} labels`);
  labels.forEach((label, i) => {
    const problem = labelProblem(label, LABEL_MAX);
    if (problem) throw invalid(`${field}[${i}]`, problem);
  });
  return [...new Set(labels)];
}

export class FileService {
  constructor(
    private readonly store: MetadataStore,
    private readonly folders: FolderService,
    private readonly codec: CursorCodec,
    private readonly siteId: string,
    readonly urls: UrlBuilder,
  ) {}

  toWire(row: FileRow): FileDescriptor {
    return fileToWire(row, this.siteId, this.urls);
  }

  /** Reads a file row by id or Wix media URI; 404 when there is none. */
  async row(idOrUri: string): Promise<FileRow> {
    const id = fileIdFromIdOrUri(idOrUri);
    const row = await this.store.files.getFile(id);
    if (!row) throw notFound('File', id);
    return row;
  }

  async get(idOrUri: string): Promise<FileDescriptor> {
    return this.toWire(await this.row(idOrUri));
  }

  /** Files in the order asked for; any unknown id is a 404 naming it. */
  async getMany(idsOrUris: readonly string[]): Promise<FileDescriptor[]> {
    const ids = idsOrUris.map(fileIdFromIdOrUri);
    const rows = await this.store.files.getFiles([...new Set(ids)]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      throw new ApiError('RESOURCE_NOT_FOUND', `Files not found: ${missing.slice(0, 10).join(', ')}`, {
        ids: missing,
      });
    }
    return ids.map((id) => this.toWire(byId.get(id)!));
  }

  async update(
    idOrUri: string,
    patch: {
      displayName?: string | undefined;
      parentFolderId?: string | undefined;
      labels?: string[] | undefined;
    },
  ): Promise<FileDescriptor> {
    if (patch.displayName !== undefined) {
      const problem = nameProblem(patch.displayName, FILE_NAME_MAX);
      if (problem) throw invalid('file.displayName', problem);
    }
    const labels = patch.labels && validateLabels(patch.labels, FILE_LABELS_MAX, 'file.labels');
    return this.store.transaction(async (store) => {
      const row = await this.row(idOrUri);
      if (row.state !== 'OK') throw new ApiError('FAILED_PRECONDITION', `File ${row.id} is in the trash`);
      const next: FileRow = { ...row, updated_date: nowIso() };
      if (patch.displayName !== undefined) {
        next.display_name = patch.displayName;
        next.sort_name = patch.displayName.toLowerCase();
      }
      if (labels) next.labels = JSON.stringify(labels);
      if (patch.parentFolderId !== undefined && patch.parentFolderId !== row.parent_folder_id) {
        const target = await this.folders.destination(patch.parentFolderId, 'file.parentFolderId');
        next.parent_folder_id = target.id;
        next.location_id = target.id;
        next.root = target.root;
        next.scope = target.root;
      }
      next.search_text = searchTextOf(next.display_name, next.mime_type, JSON.parse(next.labels) as string[]);
      await store.files.updateFile(row.id, {
        display_name: next.display_name,
        sort_name: next.sort_name,
        labels: next.labels,
        search_text: next.search_text,
        parent_folder_id: next.parent_folder_id,
        location_id: next.location_id,
        root: next.root,
        scope: next.scope,
        updated_date: next.updated_date,
      });
      return this.toWire(next);
    });
  }

  /** Live files of a folder (a root or a live folder). */
  list(parentFolderId: string, filters: FileFilters, sort: FileSort | undefined, paging: PageRequest) {
    return this.page('files.list', 'paging.cursor', paging, async () => {
      await this.folders.requireListable(parentFolderId, 'OK');
      return {
        filter: { locationId: parentFolderId, state: 'OK', ...filterOf(filters) },
        sort: sort ?? DEFAULT_SORT,
      };
    });
  }

  /** Trashed files: the top-level trash entries, or the contents of a trashed folder. */
  listDeleted(
    parentFolderId: string | undefined,
    filters: FileFilters,
    sort: FileSort | undefined,
    paging: PageRequest,
  ) {
    const locationId = parentFolderId ?? TRASH_ROOT_ID;
    return this.page('files.deleted', 'paging.cursor', paging, async () => {
      await this.folders.requireListable(locationId, 'DELETED');
      return { filter: { locationId, state: 'DELETED', ...filterOf(filters) }, sort: sort ?? DEFAULT_SORT };
    });
  }

  search(
    rootFolder: RootFolder,
    search: string | undefined,
    filters: FileFilters,
    sort: FileSort | undefined,
    paging: PageRequest,
  ) {
    return this.page('files.search', 'paging.cursor', paging, () => ({
      filter: { scope: rootFolder, search: search?.toLowerCase() || undefined, ...filterOf(filters) },
      sort: sort ?? DEFAULT_SORT,
    }));
  }

  query(
    filter: FileFilters & { state?: 'OK' | 'DELETED' | undefined; parentFolderId?: string | undefined },
    sort: FileSort | undefined,
    paging: PageRequest,
  ) {
    return this.page('files.query', 'query.cursorPaging.cursor', paging, async () => {
      const state = filter.state ?? 'OK';
      const base: ListingFilter =
        filter.parentFolderId !== undefined
          ? { locationId: filter.parentFolderId, state }
          : { scope: state === 'OK' ? 'MEDIA_ROOT' : 'TRASH_ROOT' };
      if (filter.parentFolderId !== undefined)
        await this.folders.requireListable(filter.parentFolderId, state);
      return { filter: { ...base, ...filterOf(filter) }, sort: sort ?? DEFAULT_SORT };
    });
  }

  private async page(
    listing: string,
    cursorField: string,
    request: PageRequest,
    spec: () => Promise<ListingSpec<FileSortField>> | ListingSpec<FileSortField>,
  ): Promise<Page<FileDescriptor>> {
    const page = await pageOf<FileRow, FileSortField, FileSortColumn>({
      codec: this.codec,
      listing,
      cursorField,
      request,
      spec,
      column: (field) => FILE_SORT_COLUMNS[field],
      fetch: (filter, column, order, after, limit) =>
        this.store.files.listFiles({ filter, column, order, after, limit }),
    });
    return { rows: page.rows.map((row) => this.toWire(row)), nextCursor: page.nextCursor };
  }
}

function filterOf(filters: FileFilters): ListingFilter {
  const out: ListingFilter = {};
  if (filters.mediaTypes && filters.mediaTypes.length > 0) out.mediaTypes = [...new Set(filters.mediaTypes)];
  if (filters.private !== undefined) out.private = filters.private;
  return out;
}
