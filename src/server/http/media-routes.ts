import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { safeEqual } from '../secrets.ts';
import { thumbnailSignature, type DownloadService } from '../services/download-service.ts';
import type { FileService } from '../services/file-service.ts';
import { assetOf, assetsOf } from '../services/processing/assets.ts';
import { assetBlob, originalBlob } from '../services/served-blob.ts';
import type { FileRow } from '../stores/schema.ts';
import { PUBLIC_MEDIA_PREFLIGHT_HEADERS, serveBlob } from './serve-blob.ts';
import { appPathOfFile, sendLinkError, wantsHtml } from './link-page.ts';

/** The longest a presigned S3 URL may live (SigV4). */
const PRESIGNED_MAX_SECONDS = 7 * 24 * 3600;

/** HLS segments as ffmpeg names them; anything else under a stream is not ours. */
const HLS_PART = /^(index\.m3u8|segment-\d{4,}\.ts)$/;

/**
 * Public stable URLs (`/media/<id>`, renditions at `/media/<id>/<assetKey>`, HLS under `/media/<id>/hls/`),
 * signed download URLs (`/download/v1/<id>?...&sig=`) and signed video streams
 * (`/stream/v1/<id>/<exp>/<sig>/index.m3u8` and its segments).
 */
export function registerMediaRoutes(
  app: FastifyInstance,
  files: FileService,
  downloads: DownloadService,
  blobs: BlobStore,
  secret: string,
  options: { redirectDownloads?: boolean } = {},
): void {
  // "A private file's `url` and per-asset urls answer 403"; it is read only through signed URLs.
  const publicFile = async (fileId: string): Promise<FileRow> => {
    const file = await files.row(fileId);
    if (file.private === 1) throw new ApiError('PERMISSION_DENIED', 'This file is private');
    return file;
  };

  app.get('/media/:fileId', async (request, reply) => {
    const { fileId } = request.params as { fileId: string };
    const file = await publicFile(fileId);
    return serveBlob(request, reply, blobs, {
      blob: originalBlob(file),
      disposition: 'inline',
      downloadName: file.display_name,
      cacheControl: 'public, max-age=300',
      embeddable: true,
    });
  });

  app.get('/media/:fileId/:assetKey', async (request, reply) => {
    const { fileId, assetKey } = request.params as { fileId: string; assetKey: string };
    const { sig } = request.query as { sig?: unknown };
    const file = await files.row(fileId);
    // A private file's thumbnail is shown through its signed `thumbnailUrl` (a capability that does not
    // expire); its other renditions only through signed download URLs.
    const signed =
      assetKey === 'thumbnail' &&
      typeof sig === 'string' &&
      safeEqual(sig, thumbnailSignature(secret, file.id));
    if (file.private === 1 && !signed) throw new ApiError('PERMISSION_DENIED', 'This file is private');
    const asset = assetKey === 'hls' ? undefined : assetOf(assetsOf(file), assetKey);
    if (!asset) throw new ApiError('RESOURCE_NOT_FOUND', `File ${file.id} has no asset ${assetKey}`);
    return serveBlob(request, reply, blobs, {
      blob: assetBlob(file, assetKey, asset),
      disposition: 'inline',
      downloadName: `${assetKey}-${file.display_name}`,
      cacheControl: file.private === 1 ? 'private, max-age=86400' : 'public, max-age=86400',
      embeddable: file.private === 0,
    });
  });

  app.get('/media/:fileId/hls/:part', async (request, reply) => {
    const { fileId, part } = request.params as { fileId: string; part: string };
    return serveHls(request, reply, await publicFile(fileId), part, 'public, max-age=86400', true);
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
    return serveHls(request, reply, file, part, 'private, max-age=3600', false);
  });

  async function serveHls(
    request: FastifyRequest,
    reply: FastifyReply,
    file: FileRow,
    part: string,
    cacheControl: string,
    embeddable: boolean,
  ): Promise<FastifyReply> {
    const hls = assetsOf(file).hls;
    if (!hls?.files || !HLS_PART.test(part) || !hls.files.includes(part)) {
      throw new ApiError('RESOURCE_NOT_FOUND', `Video ${file.id} has no stream part ${part}`);
    }
    const size = part === hls.files[0] ? hls.size : await blobs.size(`${hls.key}${part}`);
    if (size === undefined) throw new ApiError('RESOURCE_NOT_FOUND', `The stream part ${part} is missing`);
    const mimeType = part.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t';
    return serveBlob(request, reply, blobs, {
      blob: assetBlob(file, 'hls', hls, { name: part, size, mimeType }),
      disposition: 'inline',
      downloadName: part,
      cacheControl,
      embeddable,
    });
  }

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
    if (options.redirectDownloads && blobs.presignedUrl) {
      // The signature and expiry were checked above, exactly as for a proxied download; the store's URL lives
      // no longer than the signed one had left (S3 caps presigned URLs at 7 days).
      const remaining = check.download.exp - Math.floor(Date.now() / 1000);
      const url = await blobs.presignedUrl(check.blob.key, {
        expiresInSeconds: Math.max(1, Math.min(remaining, PRESIGNED_MAX_SECONDS)),
        fileName: check.download.name,
        contentType: check.blob.mimeType,
        disposition: check.download.disposition,
      });
      return reply
        .header('Cache-Control', 'private, no-store')
        .header('Referrer-Policy', 'no-referrer')
        .redirect(url, 302);
    }
    return serveBlob(request, reply, blobs, {
      blob: check.blob,
      disposition: check.download.disposition,
      downloadName: check.download.name,
      cacheControl: 'private, max-age=0, no-transform',
    });
  });
}
