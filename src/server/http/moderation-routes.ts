import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BULK_FILE_IDS_MAX } from '../../contract/index.ts';
import type { ModerationService } from '../services/moderation-service.ts';
import { flexibleInt, id, parse } from './validation.ts';

/** Most queue entries one call returns. */
export const MODERATION_QUEUE_MAX = 1000;

const fileIds = z.array(id).min(1).max(BULK_FILE_IDS_MAX);

/**
 * The review of visitor uploads for the admin app (docs/api.md, Admin extensions): how many are new, the queue,
 * and Approve / Reject. Wix's own endpoints are untouched: moving or trashing a visitor upload through them
 * works as before (a file moved out of Visitor Uploads or trashed is no longer counted as new).
 */
export function registerModerationRoutes(app: FastifyInstance, moderation: ModerationService): void {
  app.get('/visitor-uploads/moderation', async (request) => {
    const q = parse(z.object({ limit: flexibleInt(0, MODERATION_QUEUE_MAX).optional() }), request.query);
    return moderation.state(q.limit ?? 0);
  });

  app.post('/visitor-uploads/moderation/approve', async (request) => {
    const body = parse(z.object({ fileIds, folderId: id }), request.body);
    return moderation.approve(body.fileIds, body.folderId);
  });

  app.post('/visitor-uploads/moderation/reject', async (request) => {
    const body = parse(z.object({ fileIds }), request.body);
    return moderation.reject(body.fileIds);
  });
}
