import { describe, expect, it } from 'vitest';
import { storageFailure } from './storage-errors.ts';

function coded(code: string, cause?: unknown): Error {
  return Object.assign(new Error(code), { code, cause });
}

describe('storageFailure', () => {
  it('a full disk or database is 507 INSUFFICIENT_STORAGE', () => {
    for (const code of ['SQLITE_FULL', 'ENOSPC', 'EDQUOT', '53100']) {
      expect(storageFailure(coded(code))?.status, code).toBe(507);
      expect(storageFailure(coded(code))?.code, code).toBe('INSUFFICIENT_STORAGE');
    }
  });

  it('an I/O error is 503 UNAVAILABLE', () => {
    for (const code of ['SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC', 'EIO', 'EROFS']) {
      expect(storageFailure(coded(code))?.status, code).toBe(503);
      expect(storageFailure(coded(code))?.code, code).toBe('UNAVAILABLE');
    }
  });

  it('looks through causes, and leaves every other error alone', () => {
    expect(storageFailure(new Error('wrapped', { cause: coded('ENOSPC') }))?.status).toBe(507);
    expect(storageFailure(coded('SQLITE_CONSTRAINT'))).toBeUndefined();
    expect(storageFailure(coded('ENOENT'))).toBeUndefined();
    expect(storageFailure(new Error('cannot rollback - no transaction is active'))).toBeUndefined();
    expect(storageFailure(undefined)).toBeUndefined();
  });
});
