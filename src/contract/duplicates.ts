import type { FileDescriptor } from './types.ts';

/*
 * Duplicates (extension prefix `/site-media-ext/v1`, not in Wix's API): files whose bytes (SHA-256, the
 * descriptor's `hash`) are identical.
 */

/**
 * What an upload does when its bytes are already in the library (a live file, not in the trash):
 * - `KEEP_BOTH`: a new file, as Wix does (the default);
 * - `USE_EXISTING`: no new file; the upload answers the existing file (the oldest with these bytes);
 * - `REPLACE`: no new file; the existing file (same id and URLs) moves to where the upload was going, under
 *   the upload's name, and the upload answers it.
 */
export const ON_DUPLICATE = ['KEEP_BOTH', 'USE_EXISTING', 'REPLACE'] as const;
export type OnDuplicate = (typeof ON_DUPLICATE)[number];

/** Live files listed per duplicate group at most (`fileCount` says how many there are). */
export const DUPLICATE_GROUP_FILES_MAX = 100;
/** Groups per page of `GET /duplicates` at most. */
export const DUPLICATE_GROUPS_PAGE_MAX = 50;

/** Live files with the same bytes. */
export interface DuplicateGroup {
  hash: string;
  /** Size of each file, in bytes (a decimal string, like `sizeInBytes`). */
  sizeInBytes: string;
  fileCount: number;
  /** Bytes all but one of them take: `sizeInBytes * (fileCount - 1)`. */
  wastedBytes: string;
  /** Oldest first. */
  files: FileDescriptor[];
}

export interface DuplicateGroupsResponse {
  groups: DuplicateGroup[];
  /** Cursor of the next page; null on the last. */
  nextCursor: string | null;
}

export interface MergeDuplicatesResponse {
  file: FileDescriptor;
  /** The files moved to the trash (restorable from there). */
  trashedFileIds: string[];
}
