import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BULK_FILE_IDS_MAX } from '../../contract/index.ts';
import type { BulkService } from '../services/bulk-service.ts';
import { id, mediaType, parse } from './validation.ts';

const except = z.array(id).max(BULK_FILE_IDS_MAX).optional();

/**
 * "Select all N" then an action, over a whole listing (docs/api.md, Admin extensions): one request starts a
 * bulk operation that runs in the background; its progress is read by id.
 */
export function registerBulkRoutes(app: FastifyInstance, bulk: BulkService): void {
  app.post('/bulk-operations', async (request, reply) => {
    const body = parse(
      z.object({
        action: z.enum(['TRASH', 'MOVE', 'RESTORE', 'DELETE_FOREVER']),
        folderId: id,
        mediaTypes: z.array(mediaType).max(20).optional(),
        exceptFolderIds: except,
        exceptFileIds: except,
        destinationFolderId: id.optional(),
      }),
      request.body,
    );
    const operation = await bulk.start(body);
    // Accepted: it runs on; `GET .../bulk-operations/{id}` tells how far it got.
    return reply.code(202).send({ operation });
  });

  app.get('/bulk-operations/:operationId', async (request) => {
    const { operationId } = parse(z.object({ operationId: id }), request.params);
    return { operation: await bulk.get(operationId) };
  });

  // Undo: starts a reverse bulk operation (202), or answers the one already started (200).
  app.post('/bulk-operations/:operationId/undo', async (request, reply) => {
    const { operationId } = parse(z.object({ operationId: id }), request.params);
    const { operation, created } = await bulk.undo(operationId);
    return reply.code(created ? 202 : 200).send({ operation });
  });
}
