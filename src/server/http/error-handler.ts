import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody, ErrorCode } from '../../contract/index.ts';
import { ApiError, ValidationError } from '../errors.ts';
import { storageFailure } from '../storage-errors.ts';

export function applicationError(
  code: ErrorCode,
  message: string,
  data: Record<string, unknown> = {},
): ErrorBody {
  return { message, details: { applicationError: { code, description: message, data } } };
}

/** Fastify's own 4xx errors (bad JSON, body too large, wrong content type...) in the contract's words. */
function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 404) return 'RESOURCE_NOT_FOUND';
  if (status === 405) return 'METHOD_NOT_ALLOWED';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  return 'INVALID_ARGUMENT';
}

export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof ValidationError) {
    return reply.status(400).send({
      message: error.message,
      details: { validationError: { fieldViolations: error.fieldViolations } },
    } satisfies ErrorBody);
  }
  if (error instanceof ApiError) {
    return reply.status(error.status).send(applicationError(error.code, error.message, error.data));
  }
  const fastifyError = error as Partial<FastifyError>;
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return reply
      .status(status)
      .send(applicationError(codeForStatus(status), fastifyError.message ?? 'Bad request'));
  }
  // A full disk or database, or an I/O error: the owner's problem to fix, not a bug; say what it is.
  const storage = storageFailure(error);
  if (storage) {
    reply.request.log.error({ err: error }, 'request failed: storage');
    return reply.status(storage.status).send(applicationError(storage.code, storage.message));
  }
  // Anything else is our fault: log it, and tell the client no internals.
  reply.request.log.error({ err: error }, 'request failed');
  return reply
    .status(500)
    .send(
      applicationError(
        'INTERNAL',
        `Internal error (request ${reply.request.id}); the server log has the details`,
      ),
    );
}

/** 429 `RESOURCE_EXHAUSTED` with `Retry-After` (whole seconds, at least 1). */
export function tooManyRequests(reply: FastifyReply, waitMs: number, message: string): ApiError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  void reply.header('Retry-After', String(retryAfterSeconds));
  return new ApiError('RESOURCE_EXHAUSTED', message, { retryAfterSeconds });
}

/** The contract's 404 for a path no route answers. */
export function sendNoRoute(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0] ?? '';
  return reply.status(404).send(applicationError('RESOURCE_NOT_FOUND', `No route ${request.method} ${path}`));
}
