// The parts of the Site Media wire types the web app reads (see shared/site-media-api.md).

export const ROOT_FOLDER_IDS = {
  media: 'media-root',
  visitorUploads: 'visitor-uploads',
  trash: 'trash-root',
} as const;

export type MediaType =
  'IMAGE' | 'VIDEO' | 'AUDIO' | 'DOCUMENT' | 'VECTOR' | 'ARCHIVE' | 'MODEL3D' | 'OTHER' | 'UNKNOWN';

export type OperationStatus = 'PENDING' | 'READY' | 'FAILED';

export interface Folder {
  id: string;
  displayName: string;
  parentFolderId: string;
  createdDate: string;
  updatedDate: string;
  state: 'OK' | 'DELETED';
}

export interface FileDescriptor {
  id: string;
  displayName: string;
  url: string;
  parentFolderId: string;
  mediaType: MediaType;
  /** A 64-bit number, as a string. */
  sizeInBytes: string;
  thumbnailUrl?: string | null;
  operationStatus: OperationStatus;
  private: boolean;
  labels?: string[];
  createdDate: string;
  updatedDate: string;
  state: 'OK' | 'DELETED';
}

export interface NextCursor {
  cursors: { next: string | null };
  hasNext: boolean;
}

export interface ListFoldersResponse {
  folders: Folder[];
  nextCursor?: NextCursor | null;
}

export interface ListFilesResponse {
  files: FileDescriptor[];
  nextCursor?: NextCursor | null;
}

export interface GetFolderResponse {
  folder: Folder;
}

/** The cursor for the next page, or undefined on the last page (what TanStack Query's getNextPageParam wants). */
export function nextPageCursor(page: { nextCursor?: NextCursor | null }): string | undefined {
  const cursor = page.nextCursor;
  if (!cursor?.hasNext) return undefined;
  return cursor.cursors.next ?? undefined;
}
