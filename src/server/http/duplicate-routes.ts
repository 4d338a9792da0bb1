import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BULK_FILE_IDS_MAX, DUPLICATE_GROUPS_PAGE_MAX, ON_DUPLICATE } from '../../contract/index.ts';
import type { DuplicateService } from '../services/duplicate-service.ts';
import type { UploadService } from '../services/upload-service.ts';
import { resumableUploadRequest, uploadRequest } from './upload-routes.ts';
import { cursor, flexibleInt, id, parse } from './validation.ts';

const onDuplicate = z.enum(ON_DUPLICATE).optional();

/**
 * Duplicates, under the extension prefix (Wix has none of it, and its own endpoints answer as Wix's do):
 * - `POST /files/generate-upload-url` and `/files/generate-resumable-upload-url`: Wix's bodies plus
 *   `onDuplicate`, which the upload applies when it is finalized;
 * - `POST /files/find-by-hash`: live files with given bytes (the web app asks before it uploads);
 * - `GET /duplicates`: groups of identical live files, largest first, keyset-paged;
 * - `POST /duplicates/merge`: keep one file, move the others with its bytes to the trash.
 */
export function registerDuplicateRoutes(
  app: FastifyInstance,
  duplicates: DuplicateService,
  uploads: UploadService,
): void {
  app.post('/files/generate-upload-url', async (request) => {
    return uploads.generateUploadUrl(parse(uploadRequest.extend({ onDuplicate }), request.body));
  });
  app.post('/files/generate-resumable-upload-url', async (request) => {
    const { uploadProtocol: _protocol, ...rest } = parse(
      resumableUploadRequest.extend({ onDuplicate }),
      request.body,
    );
    return uploads.generateResumableUploadUrl(rest);
  });

  app.post('/files/find-by-hash', async (request) => {
    const { hash } = parse(z.object({ hash: z.string().max(200) }), request.body);
    return { files: await duplicates.findByHash(hash) };
  });

  app.get('/duplicates', async (request) => {
    const query = parse(
      z.object({ limit: flexibleInt(1, DUPLICATE_GROUPS_PAGE_MAX).optional(), cursor: cursor.optional() }),
      request.query,
    );
    return duplicates.groups({ limit: query.limit ?? 20, cursor: query.cursor });
  });

  app.post('/duplicates/merge', async (request) => {
    const body = parse(
      z.object({ keepFileId: id, fileIds: z.array(id).min(1).max(BULK_FILE_IDS_MAX).optional() }),
      request.body,
    );
    return duplicates.merge(body.keepFileId, body.fileIds);
  });
}
