import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { MediaService } from '../services/media-service.ts';
import { ApiError } from '../errors.ts';
import {
  SET_PRIVATE_MAX,
  SHARE_EXPIRIES,
  type ShareExpiry,
  type ShareRefusal,
  type ShareService,
} from '../services/share-service.ts';
import { sendLinkError } from './link-page.ts';
import { serveBlob } from './serve-blob.ts';
import { id, parse } from './validation.ts';

const expiry = z.enum(Object.keys(SHARE_EXPIRIES) as [ShareExpiry, ...ShareExpiry[]]);

/** What a person who opened a dead share link in a browser reads: they cannot sign in, so no link into the app. */
const PAGES: Record<ShareRefusal, { title: string; message: string }> = {
  INVALID: {
    title: 'This link does not work',
    message:
      'The link is incomplete or was changed after it was made. Ask the person who shared it for a new link.',
  },
  EXPIRED: {
    title: 'This link has expired',
    message:
      'Share links stop working at the time their owner chose. Ask the person who shared it for a new link.',
  },
  REVOKED: {
    title: 'This link is no longer valid',
    message: 'Its owner turned it off, or deleted the file. Ask the person who shared it for a new link.',
  },
  TRASHED: {
    title: 'This link is no longer valid',
    message: 'The shared file was moved to the trash. Ask the person who shared it if it should come back.',
  },
};

/** The admin API of sharing, under `/site-media-ext/v1` (authenticated by the prefix's hook). */
export function registerShareApiRoutes(app: FastifyInstance, shares: ShareService): void {
  app.post('/files/set-private', async (request) => {
    const body = parse(
      z.object({ fileIds: z.array(id).min(1).max(SET_PRIVATE_MAX), private: z.boolean() }),
      request.body,
    );
    return shares.setPrivate(body.fileIds, body.private);
  });

  app.get('/files/:fileId/share-links', async (request) => {
    const { fileId } = parse(z.object({ fileId: id }), request.params);
    return { shareLinks: await shares.list(fileId) };
  });

  app.post('/files/:fileId/share-links', async (request) => {
    const { fileId } = parse(z.object({ fileId: id }), request.params);
    const body = parse(z.object({ expiresIn: expiry }), request.body);
    return { shareLink: await shares.create(fileId, body.expiresIn) };
  });

  app.delete('/files/:fileId/share-links/:linkId', async (request) => {
    const { fileId, linkId } = parse(z.object({ fileId: id, linkId: id }), request.params);
    await shares.revoke(fileId, linkId);
    return {};
  });
}

/** The share links themselves: public, the link's signature and row are the permission. */
export function registerShareLinkRoutes(
  app: FastifyInstance,
  shares: ShareService,
  media: MediaService,
): void {
  app.get('/download/v1/share/:linkId', async (request, reply) => {
    const { linkId } = request.params as { linkId: string };
    // Repeated keys arrive as arrays; a share link has each key once, so anything else is just not valid.
    const query = Object.fromEntries(
      Object.entries(request.query as Record<string, unknown>).filter(([, v]) => typeof v === 'string'),
    ) as Record<string, string>;
    let checked;
    try {
      checked = await shares.check(linkId, query);
    } catch (error) {
      const reason = (error instanceof ApiError ? error.data.reason : undefined) as ShareRefusal | undefined;
      if (!(error instanceof ApiError) || !reason || !(reason in PAGES)) throw error;
      return sendLinkError(request, reply, error, PAGES[reason]);
    }
    return serveBlob(request, reply, media, {
      blob: checked.blob,
      disposition: 'attachment',
      downloadName: checked.file.display_name,
      // Never kept by a cache: a revoked link must stop working at once.
      cacheControl: 'private, no-store',
    });
  });
}
