/** Ids of the three root folders. They always exist and can never be renamed, moved or deleted. */
export const MEDIA_ROOT_ID = 'media-root';
export const VISITOR_UPLOADS_ROOT_ID = 'visitor-uploads';
export const TRASH_ROOT_ID = 'trash-root';
export const ROOT_FOLDER_IDS = [MEDIA_ROOT_ID, VISITOR_UPLOADS_ROOT_ID, TRASH_ROOT_ID] as const;
export type RootFolderId = (typeof ROOT_FOLDER_IDS)[number];

/** Search scopes (`rootFolder`). VISITOR_UPLOADS_ROOT is never part of a MEDIA_ROOT search. */
export const ROOT_FOLDERS = ['MEDIA_ROOT', 'VISITOR_UPLOADS_ROOT', 'TRASH_ROOT'] as const;
export type RootFolder = (typeof ROOT_FOLDERS)[number];

/** The two live roots an item can belong to (trash is a state, not a place). */
export type LiveRoot = Exclude<RootFolder, 'TRASH_ROOT'>;

export const MEDIA_TYPES = [
  'IMAGE',
  'VIDEO',
  'AUDIO',
  'DOCUMENT',
  'VECTOR',
  'ARCHIVE',
  'MODEL3D',
  'OTHER',
  'UNKNOWN',
] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

export const OPERATION_STATUSES = ['PENDING', 'READY', 'FAILED'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export const STATES = ['OK', 'DELETED'] as const;
export type State = (typeof STATES)[number];

export const SORT_ORDERS = ['ASC', 'DESC'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const FILE_SORT_FIELDS = ['displayName', 'updatedDate', 'sizeInBytes'] as const;
export type FileSortField = (typeof FILE_SORT_FIELDS)[number];

export const FOLDER_SORT_FIELDS = ['displayName', 'updatedDate'] as const;
export type FolderSortField = (typeof FOLDER_SORT_FIELDS)[number];

export const CONTENT_DISPOSITIONS = ['ATTACHMENT', 'INLINE'] as const;
export type ContentDisposition = (typeof CONTENT_DISPOSITIONS)[number];

export const UPLOAD_PROTOCOLS = ['TUS'] as const;
export type UploadProtocol = (typeof UPLOAD_PROTOCOLS)[number];

export const STREAM_FORMATS = ['HLS', 'DASH'] as const;
export type StreamFormat = (typeof STREAM_FORMATS)[number];
