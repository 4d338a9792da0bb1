import type { Insertable, Selectable, Updateable } from 'kysely';

/** Where an item can live: its live root, or the trash. */
export type Scope = 'MEDIA_ROOT' | 'VISITOR_UPLOADS_ROOT' | 'TRASH_ROOT';

/**
 * Columns shared by folders and files that place an item in the tree and in the trash.
 * - `parent_folder_id` is the real parent (kept while trashed, so restore knows where to go back).
 * - `location_id` is the listing that shows the item: the parent for live items and for items inside a trashed
 *   folder, `trash-root` for items deleted on their own. Listing a folder is then one index range scan.
 * - `scope` is the search scope (`TRASH_ROOT` while deleted); `root` is the live root the item belongs to.
 * - `trash_batch` is the id of the item whose deletion put this one in the trash; restoring that item restores
 *   exactly the items that went with it.
 */
interface PlacementColumns {
  parent_folder_id: string;
  location_id: string;
  root: 'MEDIA_ROOT' | 'VISITOR_UPLOADS_ROOT';
  scope: Scope;
  state: 'OK' | 'DELETED';
  trash_batch: string | null;
  display_name: string;
  /** Lower-cased display name: the displayName sort key. */
  sort_name: string;
  created_date: string;
  updated_date: string;
}

export interface FolderTable extends PlacementColumns {
  id: string;
}

export interface FileTable extends PlacementColumns {
  id: string;
  /** Lower-cased display name, MIME type and labels: what `search` matches as a substring. */
  search_text: string;
  mime_type: string;
  media_type: string;
  size_in_bytes: number;
  hash: string;
  private: number;
  /** JSON array of strings. */
  labels: string;
  operation_status: string;
  failure_reason: string | null;
  source_url: string | null;
  /** JSON of the contract's `media` object, computed once at ingest. */
  media: string;
  /** JSON of `externalInfo` given at upload. */
  external_info: string | null;
  blob_key: string;
}

export interface UploadTokenTable {
  /** sha256 of the token; the token itself is only ever in the upload URL. */
  token_hash: string;
  /** JSON of the upload parameters resolved when the URL was generated. */
  params: string;
  expires_at: string;
  claimed_at: string | null;
}

export interface SessionTable {
  /** sha256 of the session cookie value. */
  id_hash: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface LoginTokenTable {
  token_hash: string;
  expires_at: string;
}

/** A zip download URL (`/download/v1/zip/<token>`): what it zips, resolved again at each download. */
export interface ZipDownloadTable {
  /** sha256 of the URL's token; the token itself is only ever in the URL. */
  id: string;
  kind: 'files' | 'folder';
  /** JSON: `{fileIds}` (in the order asked for) or `{folderId}`. */
  params: string;
  created_at: string;
}

export interface Database {
  folders: FolderTable;
  files: FileTable;
  upload_tokens: UploadTokenTable;
  sessions: SessionTable;
  login_tokens: LoginTokenTable;
  zip_downloads: ZipDownloadTable;
}

export type FolderRow = Selectable<FolderTable>;
export type NewFolderRow = Insertable<FolderTable>;
export type FolderUpdate = Updateable<FolderTable>;
export type FileRow = Selectable<FileTable>;
export type NewFileRow = Insertable<FileTable>;
export type FileUpdate = Updateable<FileTable>;
export type ZipDownloadRow = Selectable<ZipDownloadTable>;
