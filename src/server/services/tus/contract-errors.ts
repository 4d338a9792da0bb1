import { STATUS_CODES } from 'node:http';
import type { ErrorBody } from '../../../contract/index.ts';
import { ApiError, ValidationError } from '../../errors.ts';
import { errorBody, TusResponseError, type TusError } from './checks.ts';

export function isTusError(error: unknown): error is TusError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as TusError).status_code === 'number' &&
    typeof (error as TusError).body === 'string'
  );
}

/** Our errors, as tus errors carrying the contract's error body. */
export function toTusError(error: unknown): TusResponseError | undefined {
  if (error instanceof ApiError) {
    return new TusResponseError(error.status, errorBody(error.code, error.message, error.data));
  }
  if (error instanceof ValidationError) {
    const body: ErrorBody = {
      message: error.message,
      details: { validationError: { fieldViolations: error.fieldViolations } },
    };
    return new TusResponseError(400, JSON.stringify(body));
  }
  return undefined;
}

/** The contract's code for a tus protocol error status. */
export function codeOf(status: number): string {
  if (status === 404 || status === 410) return 'RESOURCE_NOT_FOUND';
  if (status === 413) return 'FILE_SIZE_OVER_LIMIT';
  if (status === 409 || status === 412) return 'FAILED_PRECONDITION';
  if (status === 403) return 'PERMISSION_DENIED';
  // Extensions this server does not offer (deferred length, concatenation).
  if (status === 501) return 'INVALID_ARGUMENT';
  if (status >= 500) return 'INTERNAL';
  return 'INVALID_ARGUMENT';
}

/**
 * A tus error answer in the contract's shape: `@tus/server` answers a few errors before any hook sees them
 * (a missing `Tus-Resumable`: 412; a malformed header: 400) with a plain-text body, and all with
 * `text/plain`. Same status and headers (tus clients read those), the body as JSON.
 */
export async function asContractError(response: Response): Promise<Response> {
  const text = (await response.text()).trim();
  const body = text.startsWith('{')
    ? text
    : errorBody(codeOf(response.status), text || STATUS_CODES[response.status] || 'Error');
  const headers = new Headers(response.headers);
  headers.set('Content-Type', 'application/json; charset=utf-8');
  headers.set('Content-Length', String(Buffer.byteLength(body)));
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
