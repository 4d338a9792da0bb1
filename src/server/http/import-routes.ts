import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import type { ImportRequest, ImportService } from '../services/import-service.ts';
import { externalInfo, uploadLabels } from './upload-routes.ts';
import { flexibleBoolean, id, mediaType, parse } from './validation.ts';

const importRequest = z.object({
  url: z.string().min(2).max(4000),
  mediaType: mediaType.optional(),
  displayName: z.string().max(1000).optional(),
  parentFolderId: id.optional(),
  private: flexibleBoolean.optional(),
  labels: uploadLabels,
  mimeType: z.string().min(1).max(255).optional(),
  externalInfo,
  urlParams: z
    .record(z.string().max(200), z.union([z.string().max(2000), z.number(), z.boolean()]))
    .optional(),
  urlHeaders: z.record(z.string().max(100), z.string().max(4000)).optional(),
  filePath: z.string().max(4000).optional(),
});

const bulkItems = z.array(z.unknown()).min(1).max(100);

/** Import from URL (under the authenticated API prefix). */
export function registerImportRoutes(app: FastifyInstance, imports: ImportService): void {
  app.post('/files/import', async (request) => {
    return { file: await imports.importFile(parse(importRequest, request.body)) };
  });

  // What the SDK's bulkImportFile calls: each request on its own, failures reported per item.
  app.post('/bulk/files/import-v2', async (request) => {
    const body = parse(
      z.object({ importFileRequests: bulkItems, returnEntity: flexibleBoolean.optional() }),
      request.body,
    );
    const items: (ImportRequest | ValidationError)[] = body.importFileRequests.map((item, index) => {
      try {
        return parse(importRequest, item, `importFileRequests[${index}]`);
      } catch (error) {
        if (error instanceof ValidationError) return error;
        throw error;
      }
    });
    return imports.bulkImport(items, body.returnEntity ?? true);
  });

  // What the SDK's bulkImportFiles calls: all or nothing.
  app.post('/bulk/files/import', async (request) => {
    const body = parse(
      z.object({ importFileRequests: z.array(importRequest).min(1).max(100) }),
      request.body,
    );
    return { files: await imports.bulkImportAll(body.importFileRequests) };
  });
}
