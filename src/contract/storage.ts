/**
 * `GET /site-media-ext/v1/storage` (docs/api.md): what the site's files use, for the Storage page. Every figure
 * comes from aggregates the database keeps as files change, not from counting files.
 */

/** Site Files, Visitor Uploads, and the Trash (trashed files of either). */
export type StorageArea = 'SITE_FILES' | 'VISITOR_UPLOADS' | 'TRASH';

export interface StorageFigure {
  files: number;
  bytes: number;
}

export interface StorageMediaTypeFigure extends StorageFigure {
  mediaType: string;
}

export interface StorageAreaFigure extends StorageFigure {
  area: StorageArea;
  /** The area's files by media type, most bytes first. */
  mediaTypes: StorageMediaTypeFigure[];
}

export interface StorageFolderFigure extends StorageFigure {
  area: 'SITE_FILES' | 'VISITOR_UPLOADS';
  /** The folder's id, or the root's (`media-root`, `visitor-uploads`) for the files directly in it. */
  folderId: string;
  displayName: string;
  /** Whether this is the root's own files rather than a top-level folder's subtree. */
  isRoot: boolean;
}

export interface StorageLargestFile {
  id: string;
  displayName: string;
  sizeInBytes: number;
  mediaType: string;
  mimeType: string;
  parentFolderId: string;
  area: 'SITE_FILES' | 'VISITOR_UPLOADS';
}

export interface StorageSummary {
  /** Every file, live or trashed: what the site quota counts. */
  total: StorageFigure;
  areas: StorageAreaFigure[];
  /** Live files (Site Files and Visitor Uploads) by media type, most bytes first. */
  mediaTypes: StorageMediaTypeFigure[];
  /** Top-level folders of both roots by the bytes of their live subtrees, most first (and each root's own files). */
  topFolders: StorageFolderFigure[];
  /** The largest live files, largest first. */
  largestFiles: StorageLargestFile[];
  /** Live files with the same content as an earlier one: copies beyond the first of each, and their bytes. */
  duplicates: { duplicateFiles: number; wastedBytes: number };
  /** The limits set on the server (`SITE_QUOTA_BYTES`, `VISITOR_QUOTA_BYTES`); null: none. */
  quota: {
    siteBytes: number | null;
    visitorBytes: number | null;
    /** Bytes of Visitor Uploads' files, live or trashed: what the visitor quota counts. */
    visitorUsedBytes: number;
  };
}
