import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors.ts';
import type { DownloadService } from '../services/download-service.ts';
import type { FileService } from '../services/file-service.ts';
import type { MediaService } from '../services/media-service.ts';
import { PUBLIC_MEDIA_PREFLIGHT_HEADERS, serveBlob } from './serve-blob.ts';
import { appPathOfFile, sendLinkError, wantsHtml } from './link-page.ts';

/**
 * Public stable URLs (`/media/<id>`, renditions at `/media/<id>/<assetKey>`, HLS under `/media/<id>/hls/`),
 * signed download URLs (`/download/v1/<id>?...&sig=`) and signed video streams
 * (`/stream/v1/<id>/<exp>/<sig>/index.m3u8` and its segments).
 */
export function registerMediaRoutes(
  app: FastifyInstance,
  files: FileService,
  downloads: DownloadService,
  media: MediaService,
): void {
  app.get('/media/:fileId', async (request, reply) => {
    const { fileId } = request.params as { fileId: string };
    const { file, blob } = await media.publicOriginal(fileId);
    return serveBlob(request, reply, media, {
      blob,
      disposition: 'inline',
      downloadName: file.display_name,
      cacheControl: 'public, max-age=300',
      embeddable: true,
    });
  });

  app.get('/media/:fileId/:assetKey', async (request, reply) => {
    const { fileId, assetKey } = request.params as { fileId: string; assetKey: string };
    const { sig } = request.query as { sig?: unknown };
    const { file, blob } = await media.rendition(fileId, assetKey, sig);
    return serveBlob(request, reply, media, {
      blob,
      disposition: 'inline',
      downloadName: `${assetKey}-${file.display_name}`,
      cacheControl: file.private === 1 ? 'private, max-age=86400' : 'public, max-age=86400',
      embeddable: file.private === 0,
    });
  });

  app.get('/media/:fileId/hls/:part', async (request, reply) => {
    const { fileId, part } = request.params as { fileId: string; part: string };
    return serveBlob(request, reply, media, {
      blob: await media.publicHlsPart(fileId, part),
      disposition: 'inline',
      downloadName: part,
      cacheControl: 'public, max-age=86400',
      embeddable: true,
    });
  });

  // A preflight carries no credentials and says nothing about the file: it is answered for the whole public
  // URL space, and the GET itself decides (a private file's 403 carries no CORS headers, so stays unreadable).
  app.options('/media/*', async (_request, reply) =>
    reply.status(204).headers(PUBLIC_MEDIA_PREFLIGHT_HEADERS).send(),
  );

  app.get('/stream/v1/:fileId/:exp/:sig/:part', async (request, reply) => {
    const { fileId, exp, sig, part } = request.params as {
      fileId: string;
      exp: string;
      sig: string;
      part: string;
    };
    const file = await downloads.checkStream(fileId, exp, sig);
    return serveBlob(request, reply, media, {
      blob: await media.hlsPart(file, part),
      disposition: 'inline',
      downloadName: part,
      cacheControl: 'private, max-age=3600',
      embeddable: false,
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
      const expired = check.reason === 'expired';
      const error = new ApiError(
        'PERMISSION_DENIED',
        expired ? 'This download link has expired' : 'This download link is not valid',
      );
      if (!wantsHtml(request)) throw error;
      const row = await files.row(fileId).catch(() => undefined);
      return sendLinkError(request, reply, error, {
        title: expired ? 'This download link has expired' : 'This download link does not work',
        message: expired
          ? 'Download links stop working after a while, so that a shared link does not open the file forever. Open the file to download it again with a fresh link.'
          : 'The link is incomplete or was changed after it was made. Open the file to download it again with a fresh link.',
        linkText: row ? 'Open the file in Site Media Manager' : 'Open Site Media Manager',
        href: row ? appPathOfFile(row) : '/',
      });
    }
    const url = await media.presignedDownloadUrl(check);
    if (url !== undefined) {
      return reply
        .header('Cache-Control', 'private, no-store')
        .header('Referrer-Policy', 'no-referrer')
        .redirect(url, 302);
    }
    return serveBlob(request, reply, media, {
      blob: check.blob,
      disposition: check.download.disposition,
      downloadName: check.download.name,
      cacheControl: 'private, max-age=0, no-transform',
    });
  });
}
