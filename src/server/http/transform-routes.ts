import contentDisposition from 'content-disposition';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import { BoundedMemo } from '../services/images/bounded-memo.ts';
import type { ImageTransformService } from '../services/images/image-transform-service.ts';
import { parse } from './validation.ts';

/**
 * Headers of every transformed image: cacheable forever (the URL names the bytes: a new upload or focal point
 * is a new ETag), usable from any site (`<img>` on another origin, canvas with `crossorigin`), never sniffed.
 * Set here rather than in `serve-blob.ts`: these URLs are meant to be embedded anywhere, the other media routes
 * are not.
 */
const IMAGE_HEADERS = {
  'Cache-Control': 'public, max-age=31536000, immutable',
  'Access-Control-Allow-Origin': '*',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'X-Content-Type-Options': 'nosniff',
} as const;

const PREFIX = '/media/';

/** `Content-Disposition` by name: a cached image is asked for by the same few names again and again. */
const dispositions = new BoundedMemo<string>(1000);

/**
 * `/media/<fileId>/v1/<transformations>/<name>`: Wix's image URL grammar, as `@wix/image-kit` and `@wix/sdk`'s
 * `media` helpers write it with `PUBLIC_URL` as the host. Registered beside `/media/:fileId/:assetKey`; the
 * static `v1` segment wins for these URLs.
 */
export function registerTransformRoutes(app: FastifyInstance, images: ImageTransformService): void {
  app.get('/media/:fileId/v1/*', async (request, reply) => {
    const { fileId } = request.params as { fileId: string };
    const { sig } = request.query as { sig?: unknown };
    const rawPath = request.url.split('?')[0] ?? '';
    // The transformation as sent (the name stays percent-encoded until the grammar decodes it).
    const marker = rawPath.indexOf('/v1/', PREFIX.length);
    const transformPath = marker === -1 ? '' : rawPath.slice(marker + '/v1/'.length);
    try {
      const result = await images.serve({
        fileId,
        rawPath,
        transformPath,
        sig: typeof sig === 'string' ? sig : undefined,
        accept: request.headers.accept,
        ifNoneMatch: request.headers['if-none-match'],
      });
      void reply.headers({ ...IMAGE_HEADERS, ETag: result.etag });
      if (result.varyAccept) void reply.header('Vary', 'Accept');
      if (!result.body) return reply.status(304).send();
      return reply
        .headers({
          'Content-Type': result.body.mimeType,
          'Content-Length': result.body.size,
          'Content-Disposition': dispositions.get(result.name, () =>
            contentDisposition(result.name, { type: 'inline' }),
          ),
        })
        .send(result.body.payload);
    } catch (error) {
      // Errors are answered in the contract's shape by the error handler; a client may still read them from
      // another origin, and a busy server says when to come back.
      void reply.header('Access-Control-Allow-Origin', '*');
      const retry = error instanceof ApiError ? error.data.retryAfterSeconds : undefined;
      if (typeof retry === 'number') void reply.header('Retry-After', String(retry));
      throw error;
    }
  });
}

/** Percent of the image's width and height (image-kit's `focalPoint` option uses the same scale). */
const focalPointBody = z.object({
  focalPoint: z
    .object({ x: z.number().min(0).max(100), y: z.number().min(0).max(100) })
    .strip()
    .nullable(),
});

/**
 * Extension (not in Wix's contract, whose update-file-descriptor takes only id, displayName, parentFolderId and
 * labels): a file's focal point, which `fill` centres on. Registered under the authenticated extension prefix.
 */
export function registerFocalPointRoutes(api: FastifyInstance, images: ImageTransformService): void {
  api.get('/files/:fileId/focal-point', async (request) => {
    const { fileId } = request.params as { fileId: string };
    return { focalPoint: await images.focalPoint(fileId) };
  });

  api.put('/files/:fileId/focal-point', async (request) => {
    const { fileId } = request.params as { fileId: string };
    const { focalPoint } = parse(focalPointBody, request.body);
    return { focalPoint: await images.setFocalPoint(fileId, focalPoint) };
  });
}
