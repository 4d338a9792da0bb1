import { ApiError } from './errors.ts';

/** Error codes meaning the volume or database has no room left. */
const FULL = new Set([
  'SQLITE_FULL',
  'ENOSPC',
  'EDQUOT',
  // PostgreSQL's disk_full.
  '53100',
]);

/** Error codes meaning the storage could not be read or written (I/O error, read-only volume). */
function isIoFailure(code: string): boolean {
  return code.startsWith('SQLITE_IOERR') || code === 'EIO' || code === 'EROFS' || code === 'SQLITE_READONLY';
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * What a failed write of the storage means for the client: a full disk or database (`SQLITE_FULL`,
 * `ENOSPC`, PostgreSQL's `disk_full`) is 507 `INSUFFICIENT_STORAGE`, an I/O error is 503 `UNAVAILABLE`;
 * undefined for anything else. Looks through `cause`s, as libraries wrap the error they met.
 */
export function storageFailure(error: unknown): ApiError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = codeOf(current);
    if (code !== undefined && FULL.has(code)) {
      return new ApiError(
        'INSUFFICIENT_STORAGE',
        'The server ran out of storage space; delete files forever (from the trash) to make room',
      );
    }
    if (code !== undefined && isIoFailure(code)) {
      return new ApiError('UNAVAILABLE', 'The server could not write to its storage; try again later');
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
