import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ReplaceService } from '../services/replace-service.ts';
import { flexibleInt, id, parse } from './validation.ts';

const fileParams = z.object({ fileId: id });

const replaceRequest = z.object({
  mimeType: z.string().min(1).max(255),
  sizeInBytes: flexibleInt(0, Number.MAX_SAFE_INTEGER).optional(),
});

/**
 * Replace (extension prefix): `POST /files/<id>/replace-upload-url` answers a plain upload URL; the bytes PUT
 * there become the file's new content, under the same id and URL (docs/api.md "Replacing a file's content").
 */
export function registerReplaceRoutes(app: FastifyInstance, replace: ReplaceService): void {
  app.post('/files/:fileId/replace-upload-url', async (request) => {
    const { fileId } = parse(fileParams, request.params);
    const { uploadUrl } = await replace.replaceUploadUrl(fileId, parse(replaceRequest, request.body));
    return { uploadUrl };
  });
}
