import type { FastifyInstance } from 'fastify';
import type { TrashRetention } from '../services/trash-retention.ts';

/**
 * The trash's retention rule for the admin app (Wix's API has no such setting): how many days an item stays in
 * the trash before the cleanup deletes it forever (0: kept until deleted). An item's date in the trash is its
 * `updatedDate` (moving to the trash is its last change), so the app computes each item's purge date itself.
 */
export function registerTrashRetentionRoutes(app: FastifyInstance, retention: TrashRetention): void {
  app.get('/trash-bin/retention', async () => ({ retentionDays: retention.retentionDays }));
}
