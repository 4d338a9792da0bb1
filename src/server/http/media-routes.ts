import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { DownloadService } from '../services/download-service.ts';
import type { FileService } from '../services/file-service.ts';
import { serveBlob } from './serve-blob.ts';

/** Public stable URLs (`/media/<id>`) and signed download URLs (`/download/v1/<id>?...&sig=`). */
export function registerMediaRoutes(
  app: FastifyInstance,
  files: FileService,
  downloads: DownloadService,
  blobs: BlobStore,
): void {
  app.get('/media/:fileId', async (request, reply) => {
    const { fileId } = request.params as { fileId: string };
    const file = await files.row(fileId);
    // "A private file's `url` and per-asset urls answer 403"; it is read only through signed URLs.
    if (file.private === 1) throw new ApiError('PERMISSION_DENIED', 'This file is private');
    return serveBlob(request, reply, blobs, {
      file,
      blobKey: file.blob_key,
      disposition: 'inline',
      downloadName: file.display_name,
      cacheControl: 'public, max-age=300',
    });
  });

  app.get('/download/v1/:fileId', async (request, reply) => {
    const { fileId } = request.params as { fileId: string };
    // Repeated keys arrive as arrays; a signed URL has each key once, so anything else is just not valid.
    const query = Object.fromEntries(
      Object.entries(request.query as Record<string, unknown>).filter(([, v]) => typeof v === 'string'),
    ) as Record<string, string>;
    const check = await downloads.check(fileId, query);
    if (!check.ok) {
      if (check.reason === 'expired' && check.redirect) return reply.redirect(check.redirect);
      throw new ApiError(
        'PERMISSION_DENIED',
        check.reason === 'expired' ? 'This download link has expired' : 'This download link is not valid',
      );
    }
    return serveBlob(request, reply, blobs, {
      file: check.file,
      blobKey: check.file.blob_key,
      disposition: check.download.disposition,
      downloadName: check.download.name,
      cacheControl: 'private, max-age=0, no-transform',
    });
  });
}
