import {
  MEDIA_ROOT_ID,
  TRASH_ROOT_ID,
  VISITOR_UPLOADS_ROOT_ID,
  type FileDescriptor,
  type FileMedia,
  type Folder,
  type MediaType,
  type OperationStatus,
} from '../../contract/index.ts';
import type { AltTextColumn, FileRow, FolderRow, RevisionColumn } from '../stores/schema.ts';

const EPOCH = '1970-01-01T00:00:00.000Z';

const ROOT_FOLDER_NAMES = new Map<string, string>([
  [MEDIA_ROOT_ID, 'Site Files'],
  [VISITOR_UPLOADS_ROOT_ID, 'Visitor Uploads'],
  [TRASH_ROOT_ID, 'Trash'],
]);

/** A root folder's display name (a Map: the id may come from a request). */
export function rootFolderName(id: string): string | undefined {
  return ROOT_FOLDER_NAMES.get(id);
}

export function rootFolder(id: string, siteId: string): Folder {
  return {
    id,
    displayName: rootFolderName(id) ?? id,
    parentFolderId: '',
    createdDate: EPOCH,
    updatedDate: EPOCH,
    state: 'OK',
    siteId,
  };
}

export function folderToWire(row: FolderRow, siteId: string): Folder {
  return {
    id: row.id,
    displayName: row.display_name,
    parentFolderId: row.parent_folder_id,
    createdDate: row.created_date,
    updatedDate: row.updated_date,
    state: row.state,
    siteId,
  };
}

export interface UrlBuilder {
  /**
   * Stable URL of a file's original: served when public, 403 when private. `revision` (how many times its bytes
   * were replaced) becomes `?v=` when above 0, so caches holding the earlier bytes ask again.
   */
  fileUrl(fileId: string, revision?: number): string;
  /** Stable URL of a rendition (`preview`, `480p.mp4`...): served when public, 403 when private. */
  assetUrl(fileId: string, assetKey: string, revision?: number): string;
  /** Icon or thumbnail shown for the file. */
  thumbnailUrl(
    row: Pick<FileRow, 'id' | 'media_type' | 'assets' | 'private'> & Partial<RevisionColumn>,
  ): string;
}

/** A file's revision (`files.revision`), which rows read with `selectAll` carry; 0 for rows built by hand. */
export function revisionOf(row: object): number {
  return (row as Partial<RevisionColumn>).revision ?? 0;
}

/** `?v=<revision>` (or `&v=`) on a served URL, for a file whose bytes were replaced; the URL as it is otherwise. */
export function withRevision(url: string, revision: number | undefined): string {
  if (!revision) return url;
  return `${url}${url.includes('?') ? '&' : '?'}v=${revision}`;
}

const ASSET_PLACEHOLDER = 'asset:';

/**
 * Resolves the URL placeholders of a stored `media` object in place: `''` is the original, `asset:<key>` a
 * rendition. A private file's per-type urls are empty strings ("it is read only through signed download/stream
 * URLs").
 */
function resolveUrls(value: unknown, row: FileRow, urls: UrlBuilder): void {
  if (Array.isArray(value)) {
    for (const item of value) resolveUrls(item, row, urls);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  for (const [key, inner] of Object.entries(record)) {
    if (key === 'url' && typeof inner === 'string') {
      if (row.private) record.url = '';
      else if (inner.startsWith(ASSET_PLACEHOLDER)) {
        record.url = urls.assetUrl(row.id, inner.slice(ASSET_PLACEHOLDER.length), revisionOf(row));
      } else record.url = urls.fileUrl(row.id, revisionOf(row));
    } else resolveUrls(inner, row, urls);
  }
}

/** Per-type `media` as stored (at ingest, then by processing), with its URLs resolved for this request. */
function mediaToWire(row: FileRow, urls: UrlBuilder): FileMedia {
  const media = JSON.parse(row.media) as FileMedia;
  resolveUrls(media, row, urls);
  // Kept in its own column (migration 0009), which rows read with `selectAll` carry.
  if (media.image?.image) media.image.image.altText = (row as Partial<AltTextColumn>).alt_text ?? null;
  return media;
}

export function fileToWire(row: FileRow, siteId: string, urls: UrlBuilder): FileDescriptor {
  return {
    id: row.id,
    displayName: row.display_name,
    url: urls.fileUrl(row.id, revisionOf(row)),
    parentFolderId: row.parent_folder_id,
    hash: row.hash,
    sizeInBytes: String(row.size_in_bytes),
    private: row.private === 1,
    mediaType: row.media_type as MediaType,
    media: mediaToWire(row, urls),
    operationStatus: row.operation_status as OperationStatus,
    failureReason: row.failure_reason,
    sourceUrl: row.source_url,
    thumbnailUrl: urls.thumbnailUrl(row),
    labels: JSON.parse(row.labels) as string[],
    createdDate: row.created_date,
    updatedDate: row.updated_date,
    siteId,
    state: row.state,
    mimeType: row.mime_type,
  };
}
