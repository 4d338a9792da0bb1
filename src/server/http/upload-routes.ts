import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ID_MAX, UPLOAD_LABELS_MAX } from '../../contract/index.ts';
import { invalid } from '../errors.ts';
import type { UploadService } from '../services/upload-service.ts';
import { flexibleBoolean, flexibleInt, id, parse } from './validation.ts';

const uploadRequest = z.object({
  mimeType: z.string().min(1).max(255),
  fileName: z.string().max(1000).optional(),
  sizeInBytes: flexibleInt(0, Number.MAX_SAFE_INTEGER).optional(),
  parentFolderId: id.optional(),
  private: flexibleBoolean.optional(),
  labels: z
    .array(z.string().max(1000))
    .max(UPLOAD_LABELS_MAX * 2)
    .optional(),
  externalInfo: z
    .object({
      origin: z.string().max(200).optional(),
      externalIds: z.array(z.string().max(200)).max(50).optional(),
    })
    .optional(),
  filePath: z.string().max(4000).optional(),
});

/** `generate-upload-url` (under the authenticated API prefix). */
export function registerUploadApiRoutes(app: FastifyInstance, uploads: UploadService): void {
  app.post('/files/generate-upload-url', async (request) => {
    return uploads.generateUploadUrl(parse(uploadRequest, request.body));
  });
}

/**
 * The upload URL itself: `PUT` of the raw bytes, no API key (the URL's single-use token is the credential).
 * The body is never parsed or buffered: it streams into the blob store.
 */
export function registerUploadTargetRoutes(app: FastifyInstance, uploads: UploadService): void {
  app.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, next) => next(null));
    scope.put('/upload/v1/:token', async (request) => {
      const { token } = request.params as { token: string };
      if (token.length > ID_MAX) throw invalid('token', 'is not an upload token');
      const { filename } = parse(z.object({ filename: z.string().max(1000).optional() }), request.query);
      const length = request.headers['content-length'];
      const declared = length === undefined ? undefined : Number(length);
      return { file: await uploads.receive(token, request.raw, declared, filename) };
    });
    done();
  });
}
