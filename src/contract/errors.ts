/**
 * The error table of the Site Media API: every application error code and the HTTP status it is sent with.
 * Wire shape: `{"message", "details": {"applicationError": {"code", "description", "data"}}}`, or for bad
 * arguments `{"message", "details": {"validationError": {"fieldViolations": [{"field", "description"}]}}}`.
 */
export const ERROR_STATUS = {
  INVALID_ARGUMENT: 400,
  UNSUPPORTED_SORT_VALUE: 400,
  FIELD_MASK_IS_EMPTY_OR_MISSING: 400,
  ZERO_FILE_SIZE: 400,
  MISMATCH_MIME_TYPE: 400,
  UNSUPPORTED_FILE_FORMAT: 400,
  INVALID_ASSET_KEY: 400,
  FILE_SIZE_OVER_LIMIT: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  ALREADY_EXISTS: 409,
  FAILED_PRECONDITION: 409,
  SITE_QUOTA_EXCEEDED: 409,
  /** Too many requests (visitor upload rate limit); sent with `Retry-After`. */
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  /** The storage could not be written (SQLite or other I/O error); try again later. */
  UNAVAILABLE: 503,
  /**
   * Not part of Wix's table: the server is short of disk space (below `MIN_FREE_DISK_BYTES`, or the disk is
   * full), so it takes no new bytes until some are deleted forever.
   */
  INSUFFICIENT_STORAGE: 507,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldViolation {
  field: string;
  description: string;
}

export interface ApplicationErrorBody {
  message: string;
  details: { applicationError: { code: ErrorCode; description: string; data: Record<string, unknown> } };
}

export interface ValidationErrorBody {
  message: string;
  details: { validationError: { fieldViolations: FieldViolation[] } };
}

export type ErrorBody = ApplicationErrorBody | ValidationErrorBody;
