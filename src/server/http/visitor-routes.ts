import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { VISITOR_UPLOADS_ROOT_ID, type VisitorUploadConfig } from '../../contract/index.ts';
import { ApiError } from '../errors.ts';
import { safeEqual } from '../secrets.ts';
import { tooManyRequests } from './error-handler.ts';
import { RateLimiter } from '../services/rate-limiter.ts';
import type { UploadPolicy } from '../services/upload-limits.ts';
import type { UploadService } from '../services/upload-service.ts';
import { flexibleInt, id, parse } from './validation.ts';

export interface VisitorOptions {
  enabled: boolean;
  /** When set, `Authorization: <key>` (or `Bearer <key>`) is required. */
  key: string | undefined;
  uploadsPerMinute: number;
  policy: UploadPolicy;
}

const visitorUploadRequest = z.object({
  mimeType: z.string().min(1).max(255),
  fileName: z.string().max(1000),
  sizeInBytes: flexibleInt(0, Number.MAX_SAFE_INTEGER).optional(),
  parentFolderId: id.optional(),
});

function bearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  return header.replace(/^Bearer\s+/i, '').trim();
}

/**
 * Visitor uploads (`/visitor/v1`), for the public upload page and for sites: the only thing this credential
 * does is hand out single-use upload tokens whose file lands in `visitor-uploads`, under the visitor limits,
 * at most `uploadsPerMinute` per client IP. It never lists, reads or deletes anything, and the visitor key
 * opens nothing under `/site-media/v1`.
 */
export function registerVisitorRoutes(
  app: FastifyInstance,
  uploads: UploadService,
  options: VisitorOptions,
): void {
  const limiter = new RateLimiter(options.uploadsPerMinute);

  app.register((scope, _options, done) => {
    // No cookies are involved: any site may embed a visitor upload form.
    scope.addHook('onSend', async (_request, reply, payload) => {
      void reply.header('Access-Control-Allow-Origin', '*');
      void reply.header('Access-Control-Expose-Headers', 'X-Wix-Request-Id, Retry-After');
      return payload;
    });
    scope.options('/visitor/v1/*', async (_request, reply) =>
      reply
        .status(204)
        .headers({
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type',
          'Access-Control-Max-Age': '86400',
        })
        .send(),
    );

    scope.get('/visitor/v1/config', async (): Promise<VisitorUploadConfig> => {
      return {
        enabled: options.enabled,
        requiresKey: options.key !== undefined,
        maxFileSizeBytes: String(options.policy.maxFileSizeBytes),
        allowedMimeTypes: [...options.policy.allowedMimeTypes],
        uploadsPerMinute: options.uploadsPerMinute,
      };
    });

    scope.post('/visitor/v1/upload-url', async (request, reply) => {
      if (!options.enabled) throw new ApiError('PERMISSION_DENIED', 'Visitor uploads are turned off');
      // Counted before the key is checked, so guessing the key is rate-limited too.
      const waitMs = limiter.take(request.ip);
      if (waitMs > 0) {
        throw tooManyRequests(reply, waitMs, 'Too many uploads from this address; try again in a minute');
      }
      if (options.key !== undefined) {
        const given = bearer(request.headers.authorization);
        if (given === undefined || !safeEqual(given, options.key)) {
          throw new ApiError('UNAUTHENTICATED', 'Send the visitor upload key in the Authorization header');
        }
      }
      const body = parse(visitorUploadRequest, request.body);
      if (body.parentFolderId !== undefined && body.parentFolderId !== VISITOR_UPLOADS_ROOT_ID) {
        throw new ApiError('PERMISSION_DENIED', 'Visitors can only upload into visitor-uploads');
      }
      return uploads.generateVisitorUpload(body);
    });
    done();
  });
}
