import type { FastifyInstance } from 'fastify';
import type { StorageService } from '../services/storage-service.ts';

/** The Storage page's figures (extension prefix; Wix's API has no such summary). */
export function registerStorageRoutes(app: FastifyInstance, storage: StorageService): void {
  app.get('/storage', async () => storage.summary());
}
