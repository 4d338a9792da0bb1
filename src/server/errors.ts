import { ERROR_STATUS, type ErrorCode, type FieldViolation } from '../contract/index.ts';

/** An error the client caused or is allowed to see; becomes the contract's error body. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

/** Bad arguments: 400 with `validationError.fieldViolations` naming each field. */
export class ValidationError extends Error {
  readonly status = 400;

  constructor(readonly fieldViolations: FieldViolation[]) {
    super(fieldViolations.map((v) => `${v.field}: ${v.description}`).join('; '));
  }
}

export function invalid(field: string, description: string): ValidationError {
  return new ValidationError([{ field, description }]);
}

export function notFound(what: string, id: string): ApiError {
  return new ApiError('RESOURCE_NOT_FOUND', `${what} not found: ${id}`, { id });
}
