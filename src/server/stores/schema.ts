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
  /** JSON of the renditions processing made (`FileAssets`), keyed by asset key; `{}` until then. */
  assets: string;
}

/**
 * `files.focal_point` (migration 0006): JSON `{x, y}` (percent) where `fill` centres its crop; null: the centre.
 * Only the image stores read or write it, so `FileRow` (built by hand in many places) does not carry it.
 */
export interface FocalPointColumn {
  focal_point: string | null;
}

/**
 * `files.alt_text` (migration 0009): an image's alt text; null: none. Like `focal_point`, not on `FileRow` (built
 * by hand in many places); rows read with `selectAll` carry it, and the serializer reads it from there.
 */
export interface AltTextColumn {
  alt_text: string | null;
}

/**
 * `files.revision` (migration 0013): how many times the file's bytes were replaced; the `v` of its served URLs
 * (absent while 0). Like `focal_point`, not on `FileRow`; rows read with `selectAll` carry it.
 */
export interface RevisionColumn {
  revision: number;
}

/** A rendered image transformation kept in the blob store (`variants/...`). */
export interface ImageVariantTable {
  /** sha256 of the file's hash, the canonical transformation and the output format. */
  key: string;
  file_id: string;
  blob_key: string;
  mime_type: string;
  size_in_bytes: number;
  created_at: string;
  last_used_at: string;
}

export interface UploadTokenTable {
  /** sha256 of the token; the token itself is only ever in the upload URL. */
  token_hash: string;
  /** JSON of the upload parameters resolved when the URL was generated. */
  params: string;
  expires_at: string;
  claimed_at: string | null;
  /** The tus upload this token started (resumable uploads); null until then. */
  upload_id: string | null;
  /**
   * When the claim runs out unless its holder renews it: a claim whose process died frees the token then.
   * Null when unclaimed.
   */
  claim_expires_at: string | null;
  /** Who holds the claim (random per claim): only its holder may renew, release or complete it. */
  claim_id: string | null;
  /** The file a finalized resumable upload became: a repeated finalize answers it. */
  file_id: string | null;
}

/** Running totals kept in the same transaction as the rows they sum, so limits never need a SUM. */
export interface SiteUsageTable {
  id: string;
  /** Sum of `size_in_bytes` of every file, live or trashed (what `SITE_QUOTA_BYTES` bounds). */
  bytes: number;
}

/** Files and bytes per (scope, media type), kept by triggers on `files` (migration 0015). */
export interface StorageTotalsTable {
  scope: Scope;
  media_type: string;
  file_count: number;
  bytes: number;
}

/** Files and bytes of the live files directly in a folder (or root), kept by triggers (migration 0015). */
export interface StorageFoldersTable {
  folder_id: string;
  file_count: number;
  bytes: number;
}

/** Live files per content hash, kept by triggers (migration 0015). */
export interface StorageHashesTable {
  hash: string;
  file_count: number;
  size_in_bytes: number;
}

/** One row (`site`): live copies beyond the first of each hash, and their bytes (migration 0015). */
export interface StorageDuplicatesTable {
  id: string;
  duplicate_files: number;
  wasted_bytes: number;
}

export type JobState = 'queued' | 'running' | 'done' | 'failed';

/** A durable background job (imports; media processing later). Claimed by one runner at a time. */
export interface JobTable {
  id: string;
  /** Which handler runs it (`import-file`...). */
  kind: string;
  /** JSON given to the handler. */
  payload: string;
  state: JobState;
  /** Claims so far (a claim after a crash counts too); also the fencing token of the current claim. */
  attempts: number;
  /** Not claimed before this time (retry back-off). */
  run_after: string;
  /** While `running`: the claim holds until then; a runner that died loses the job after it. */
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
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
  kind: 'files' | 'folder' | 'selection';
  /** JSON: `{fileIds}` (in the order asked for), `{folderId}`, or `{fileIds, folderIds}` (a selection). */
  params: string;
  created_at: string;
}

export type BulkAction = 'TRASH' | 'MOVE' | 'RESTORE' | 'DELETE_FOREVER' | 'UNDO';
export type BulkStatus = 'RUNNING' | 'DONE' | 'FAILED';
/** Which kind of item a bulk operation works through now: folders first, then files. */
export type BulkPhase = 'folders' | 'files' | 'done';

/** An action over every item of a listing, run in batches by the `bulk-operation` job (migration 0011). */
export interface BulkOperationTable {
  id: string;
  action: BulkAction;
  /** JSON of `BulkFilter` (bulk-store.ts): the listing, types, exceptions, destination. */
  filter: string;
  /** The snapshot: only items whose last change is at or before it are acted on. */
  started_at: string;
  status: BulkStatus;
  phase: BulkPhase;
  /** Keyset position (updated_date, id) of the last item done in this phase; null at its start. */
  cursor_date: string | null;
  cursor_id: string | null;
  done_folders: number;
  done_files: number;
  /** The listing's count when the operation started (capped; `total_estimated` 1 when it was). */
  total_folders: number;
  total_files: number;
  total_estimated: number;
  error: string | null;
  updated_at: string;
  finished_at: string | null;
  /** UNDO: the operation it reverses (migration 0012). */
  undo_of: string | null;
}

/** One item a bulk operation changed, for its undo (migration 0012). */
export interface BulkOperationItemTable {
  operation_id: string;
  kind: 'folders' | 'files';
  item_id: string;
  /** MOVE: where the item was before. */
  before_parent_id: string | null;
  before_root: string | null;
  /** The `updated_date` the operation set: a different one now means the item changed since. */
  after_date: string;
}

/** A resumable upload on S3 (`services/tus/s3-store.ts`): where its multipart upload is and how far it got. */
export interface TusUploadTable {
  id: string;
  /** The file it becomes, chosen at creation: the multipart upload is made at that file's blob key. */
  file_id: string;
  blob_key: string;
  /** S3's UploadId. */
  multipart_id: string;
  size: number;
  part_size: number;
  /** The tus metadata (JSON). */
  metadata: string;
  created_at: string;
  /** Bytes stored: in parts, plus the pending part's object when it is not a whole part. */
  received: number;
  /** `[[partNumber, etag], ...]` of the parts uploaded, as JSON. */
  parts: string;
  /** The first bytes (base64, up to the sniffed length), for the content check of later PATCHes. */
  head: string | null;
}

export interface Database {
  folders: FolderTable;
  files: FileTable;
  upload_tokens: UploadTokenTable;
  sessions: SessionTable;
  login_tokens: LoginTokenTable;
  zip_downloads: ZipDownloadTable;
  site_usage: SiteUsageTable;
  jobs: JobTable;
  image_variants: ImageVariantTable;
  bulk_operations: BulkOperationTable;
  bulk_operation_items: BulkOperationItemTable;
  storage_totals: StorageTotalsTable;
  storage_folders: StorageFoldersTable;
  storage_hashes: StorageHashesTable;
  storage_duplicates: StorageDuplicatesTable;
  tus_uploads: TusUploadTable;
}

export type FolderRow = Selectable<FolderTable>;
export type NewFolderRow = Insertable<FolderTable>;
export type FolderUpdate = Updateable<FolderTable>;
export type FileRow = Selectable<FileTable>;
export type NewFileRow = Insertable<FileTable>;
export type FileUpdate = Updateable<FileTable>;
export type ZipDownloadRow = Selectable<ZipDownloadTable>;
export type JobRow = Selectable<JobTable>;
export type ImageVariantRow = Selectable<ImageVariantTable>;
export type BulkOperationRow = Selectable<BulkOperationTable>;
export type BulkOperationItemRow = Selectable<BulkOperationItemTable>;
