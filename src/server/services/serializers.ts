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
import type { FileRow, FolderRow } from '../stores/schema.ts';

const EPOCH = '1970-01-01T00:00:00.000Z';

export const ROOT_FOLDER_NAMES: Record<string, string> = {
  [MEDIA_ROOT_ID]: 'Site Files',
  [VISITOR_UPLOADS_ROOT_ID]: 'Visitor Uploads',
  [TRASH_ROOT_ID]: 'Trash',
};

export function rootFolder(id: string, siteId: string): Folder {
  return {
    id,
    displayName: ROOT_FOLDER_NAMES[id] ?? id,
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
  /** Stable URL of a file's original: served when public, 403 when private. */
  fileUrl(fileId: string): string;
  /** Icon or thumbnail shown for the file. */
  thumbnailUrl(row: Pick<FileRow, 'id' | 'media_type'>): string;
}

/**
 * Per-type `media` as stored at ingest, with URLs filled in at read time: a private file's per-type urls are
 * empty strings ("it is read only through signed download/stream URLs").
 */
function mediaToWire(row: FileRow, urls: UrlBuilder): FileMedia {
  const media = JSON.parse(row.media) as FileMedia;
  const url = row.private ? '' : urls.fileUrl(row.id);
  for (const value of Object.values(media) as Record<string, unknown>[]) {
    if (value && typeof value === 'object') {
      if ('url' in value) value.url = url;
      const image = value.image as { url?: string } | undefined;
      if (image && typeof image === 'object' && 'url' in image) image.url = url;
    }
  }
  return media;
}

export function fileToWire(row: FileRow, siteId: string, urls: UrlBuilder): FileDescriptor {
  return {
    id: row.id,
    displayName: row.display_name,
    url: urls.fileUrl(row.id),
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
