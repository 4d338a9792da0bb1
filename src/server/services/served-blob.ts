import { ApiError } from '../errors.ts';
import type { FileRow } from '../stores/schema.ts';
import type { StoredAsset } from './processing/assets.ts';

/** The bytes to send: a file's original or one of its renditions. */
export interface ServedBlob {
  key: string;
  size: number;
  mimeType: string;
  etag: string;
  lastModified: string;
  /** For the log when the bytes are missing. */
  fileId: string;
}

/** A file's original. An import not fetched (yet, or ever) has no bytes: 404. */
export function originalBlob(file: FileRow): ServedBlob {
  if (file.hash === '') {
    throw new ApiError(
      'RESOURCE_NOT_FOUND',
      `File ${file.id} has no content (operationStatus ${file.operation_status})`,
    );
  }
  return {
    key: file.blob_key,
    size: file.size_in_bytes,
    mimeType: file.mime_type,
    etag: `"${file.hash}"`,
    lastModified: file.created_date,
    fileId: file.id,
  };
}

/** A rendition of a file (`name`: one file of a multi-file asset such as an HLS segment). */
export function assetBlob(
  file: FileRow,
  assetKey: string,
  asset: StoredAsset,
  part?: { name: string; size: number; mimeType: string },
): ServedBlob {
  return {
    key: part ? `${asset.key}${part.name}` : asset.key,
    size: part ? part.size : asset.size,
    mimeType: part ? part.mimeType : asset.mimeType,
    etag: `"${file.hash}-${assetKey}${part ? `-${part.name}` : ''}"`,
    lastModified: file.created_date,
    fileId: file.id,
  };
}
