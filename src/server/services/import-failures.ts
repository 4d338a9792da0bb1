import type { BulkImportFileResult } from '../../contract/index.ts';
import { ApiError, ValidationError } from '../errors.ts';
import { PermanentJobError } from './job-runner.ts';
import { FetchRefusedError, FetchTimeoutError } from './safe-fetch.ts';

// What an import's failure says: the reason kept on a FAILED file, and a bulk import's per-item error.

/** The source answered with an error status worth retrying (5xx, 429...). */
export class SourceStatusError extends Error {}

export function statusRetryable(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** What an import's `failureReason` says about an error. */
export function reasonOf(error: unknown): string {
  const cause = error instanceof PermanentJobError && error.cause !== undefined ? error.cause : error;
  if (
    cause instanceof ApiError ||
    cause instanceof FetchRefusedError ||
    cause instanceof FetchTimeoutError ||
    cause instanceof SourceStatusError ||
    cause instanceof PermanentJobError
  ) {
    return cause.message;
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return `Could not fetch the source: ${message}`;
}

export function itemError(error: unknown): BulkImportFileResult['itemMetadata']['error'] {
  if (error instanceof ApiError) return { code: error.code, description: error.message, data: error.data };
  if (error instanceof ValidationError) {
    return {
      code: 'INVALID_ARGUMENT',
      description: error.message,
      data: { fieldViolations: error.fieldViolations },
    };
  }
  throw error;
}
