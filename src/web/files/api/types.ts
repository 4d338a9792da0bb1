// The wire types come from the contract; this module adds what the web app derives from them.
import type { Folder, NextCursor } from '../../../contract';

export {
  MEDIA_ROOT_ID,
  TRASH_ROOT_ID,
  VISITOR_UPLOADS_ROOT_ID,
  type FileDescriptor,
  type Folder,
  type ListFilesResponse,
  type ListFoldersResponse,
  type MediaType,
  type OperationStatus,
} from '../../../contract';

export interface GetFolderResponse {
  folder: Folder;
}

/** The cursor for the next page, or undefined on the last page (what TanStack Query's getNextPageParam wants). */
export function nextPageCursor(page: { nextCursor?: NextCursor | null }): string | undefined {
  const cursor = page.nextCursor;
  if (!cursor?.hasNext) return undefined;
  return cursor.cursors.next ?? undefined;
}
