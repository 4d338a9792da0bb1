import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BULK_FILE_IDS_MAX } from '../../contract/index.ts';
import type { ContentsService } from '../services/contents-service.ts';
import { flexibleBoolean, id, mediaType, parse, queryArray } from './validation.ts';

const except = z.array(id).max(BULK_FILE_IDS_MAX).optional();

/** Whole-folder routes of the admin app: item counts and "all items of this folder" bulk actions. */
export function registerContentsRoutes(app: FastifyInstance, contents: ContentsService): void {
  app.get('/folders/:folderId/item-count', async (request) => {
    const { folderId } = parse(z.object({ folderId: id }), request.params);
    const q = parse(
      z.object({ deleted: flexibleBoolean.optional(), mediaTypes: queryArray(mediaType).optional() }),
      request.query,
    );
    return contents.count(folderId, q.deleted ? 'DELETED' : 'OK', q.mediaTypes);
  });

  app.post('/folders/:folderId/trash-contents', async (request) => {
    const { folderId } = parse(z.object({ folderId: id }), request.params);
    const body = parse(
      z.object({
        mediaTypes: z.array(mediaType).optional(),
        exceptFolderIds: except,
        exceptFileIds: except,
      }),
      request.body,
    );
    return contents.trashContents(folderId, body);
  });
}
