import type {
  ContentDisposition,
  FileSortField,
  FolderSortField,
  MediaType,
  OperationStatus,
  RootFolder,
  SortOrder,
  State,
  UploadProtocol,
} from './enums.ts';

/** ISO-8601 UTC timestamp, e.g. `2024-05-01T10:00:00.000Z`. */
export type Timestamp = string;
/** A 64-bit integer sent as a decimal string. */
export type Int64 = string;

export interface Folder {
  id: string;
  displayName: string;
  parentFolderId: string;
  createdDate: Timestamp;
  updatedDate: Timestamp;
  state: State;
  siteId: string;
}

export interface ImageInfo {
  id: string;
  url: string;
  width: number;
  height: number;
  filename: string;
  altText?: string | null;
}

export interface Color {
  hex: string;
  rgb: { r: number; g: number; b: number };
}

export interface ImageMedia {
  image: ImageInfo;
  colors?: { prominent?: Color; palette: Color[] } | null;
  faces: unknown[];
  previewImage?: ImageInfo | null;
}

export interface VideoResolution {
  url: string;
  width: number;
  height: number;
  format: string;
}

export interface VideoMedia {
  id: string;
  filename: string;
  resolutions: VideoResolution[];
  posters?: ImageInfo[];
  durationInSeconds?: number;
  /** Displayed size of the original (rotation applied). */
  width?: number;
  height?: number;
}

export interface AudioAsset {
  id: string;
  url: string;
  filename: string;
  assetKey: string;
  format: string;
}

export interface AudioMedia {
  id: string;
  assets: AudioAsset[];
  bitrate?: number;
  format?: string;
  duration?: number;
}

export interface DocumentMedia {
  id: string;
  url: string;
  filename: string;
  sizeInBytes: Int64;
  thumbnail?: ImageInfo | null;
}

export interface FileMedia {
  image?: ImageMedia;
  vector?: ImageMedia;
  video?: VideoMedia;
  audio?: AudioMedia;
  document?: DocumentMedia;
  archive?: DocumentMedia;
  model3d?: DocumentMedia;
}

export interface FileDescriptor {
  id: string;
  displayName: string;
  url: string;
  parentFolderId: string;
  hash: string;
  sizeInBytes: Int64;
  private: boolean;
  mediaType: MediaType;
  media: FileMedia;
  operationStatus: OperationStatus;
  /** Why processing or import failed (only when operationStatus is FAILED). */
  failureReason?: string | null;
  sourceUrl?: string | null;
  thumbnailUrl: string;
  labels: string[];
  createdDate: Timestamp;
  updatedDate: Timestamp;
  siteId: string;
  state: State;
  /** MIME type of the original bytes. Not in Wix's descriptor; extra fields are ignored by clients. */
  mimeType: string;
}

export interface Sorting<F extends string = string> {
  fieldName: F;
  order: SortOrder;
}

export interface CursorPaging {
  limit?: number;
  cursor?: string | null;
}

export interface NextCursor {
  cursors: { next: string | null };
  hasNext: boolean;
}

export interface PagingMetadata extends NextCursor {
  count: number;
}

export interface ListFoldersResponse {
  folders: Folder[];
  nextCursor: NextCursor;
}

export interface QueryFoldersResponse {
  folders: Folder[];
  pagingMetadata: PagingMetadata;
}

export interface ListFilesResponse {
  files: FileDescriptor[];
  nextCursor: NextCursor;
}

export interface QueryFilesResponse {
  files: FileDescriptor[];
  pagingMetadata: PagingMetadata;
}

export interface CreateFolderRequest {
  displayName: string;
  parentFolderId?: string;
}

export interface SearchFoldersRequest {
  rootFolder?: RootFolder;
  search?: string;
  sort?: Sorting<FolderSortField>;
  paging?: CursorPaging;
}

export interface SearchFilesRequest {
  rootFolder?: RootFolder;
  search?: string;
  mediaTypes?: MediaType[];
  private?: boolean;
  sort?: Sorting<FileSortField>;
  paging?: CursorPaging;
}

export interface GenerateUploadUrlRequest {
  mimeType: string;
  fileName?: string;
  sizeInBytes?: Int64;
  parentFolderId?: string;
  private?: boolean;
  labels?: string[];
  externalInfo?: { origin?: string; externalIds?: string[] };
  filePath?: string;
}

export interface GenerateResumableUploadUrlRequest extends GenerateUploadUrlRequest {
  uploadProtocol?: UploadProtocol;
}

export interface GenerateFileDownloadUrlRequest {
  fileId: string;
  downloadFileName?: string;
  expirationInMinutes?: number;
  expirationRedirectUrl?: string;
  assetKeys?: string[];
  contentDisposition?: ContentDisposition;
}

export interface DownloadUrl {
  url: string;
  assetKey: string;
}

export interface GenerateResumableUploadUrlResponse {
  uploadProtocol: UploadProtocol;
  /** The tus 1.0.0 creation endpoint; finalize with `PUT {uploadUrl}/{uploadToken}?filename=`. */
  uploadUrl: string;
  uploadToken: string;
}

export interface ImportFileRequest {
  url: string;
  mediaType?: MediaType;
  displayName?: string;
  parentFolderId?: string;
  private?: boolean;
  labels?: string[];
  mimeType?: string;
  externalInfo?: { origin?: string; externalIds?: string[] };
  /** Query parameters added to `url` when it is fetched. */
  urlParams?: Record<string, string | number | boolean>;
  /** Headers sent when `url` is fetched. */
  urlHeaders?: Record<string, string>;
  filePath?: string;
}

export interface ItemMetadata {
  id: string | null;
  originalIndex: number;
  success: boolean;
  error: { code: string; description: string; data: Record<string, unknown> } | null;
}

export interface BulkImportFileResult {
  itemMetadata: ItemMetadata;
  item?: FileDescriptor;
}

export interface BulkImportFileResponse {
  results: BulkImportFileResult[];
  bulkActionMetadata: { totalSuccesses: number; totalFailures: number; undetailedFailures: number };
}

/** `POST /visitor/v1/upload-url`: one single-use token, usable by either protocol (the first use wins). */
export interface VisitorUploadUrlResponse {
  /** Plain upload: `PUT` the raw bytes here. */
  uploadUrl: string;
  /** Resumable upload: the tus creation endpoint (metadata `token` = `uploadToken`), then finalize with `PUT {resumableUploadUrl}/{uploadToken}`. */
  resumableUploadUrl: string;
  uploadToken: string;
  /** When the token expires unless an upload has started with it. */
  expiresAt: Timestamp;
}

/** `GET /visitor/v1/config`: what the public upload page needs to know before it offers a file. */
export interface VisitorUploadConfig {
  enabled: boolean;
  requiresKey: boolean;
  maxFileSizeBytes: Int64;
  /** MIME patterns (`image/*`); empty means every type. */
  allowedMimeTypes: string[];
  uploadsPerMinute: number;
}
