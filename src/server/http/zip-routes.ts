import contentDisposition from 'content-disposition';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ZIP_FILE_IDS_MAX } from '../../contract/index.ts';
import { ApiError, invalid } from '../errors.ts';
import type { ZipService } from '../services/zip-service.ts';
import { sendLinkError, wantsHtml } from './link-page.ts';
import { USER_CONTENT_HEADERS } from './serve-blob.ts';
import { id, parse } from './validation.ts';

/** The two generate-download-url endpoints of zips (under the authenticated API prefix). */
export function registerZipApiRoutes(app: FastifyInstance, zips: ZipService): void {
  app.post('/files/generate-download-url', async (request) => {
    const body = parse(
      z.object({
        fileIds: z
          .array(z.string().min(1).max(2000))
          .min(1, 'must name at least one file')
          .max(
            ZIP_FILE_IDS_MAX,
            `must name at most ${ZIP_FILE_IDS_MAX} files: a zip holds at most that many`,
          ),
      }),
      request.body,
    );
    return zips.filesDownloadUrl(body.fileIds);
  });

  // "body may repeat `folderId`": the SDK sends it in both places. A body copy that disagrees is refused
  // rather than guessed at.
  app.post('/folders/:folderId/generate-download-url', async (request) => {
    const pathId = (request.params as { folderId: string }).folderId;
    const body = parse(z.object({ folderId: id.optional() }), request.body);
    if (body.folderId !== undefined && body.folderId !== pathId) {
      throw invalid('folderId', 'does not match the folder id in the path');
    }
    return zips.folderDownloadUrl(body.folderId ?? pathId);
  });
}

/**
 * Extension (Wix has no such endpoint), under `/site-media-ext/v1` with the API's authentication: one zip of a selection of
 * files and folders, for the web app's Download of a mixed selection.
 */
export function registerZipExtensionRoutes(app: FastifyInstance, zips: ZipService): void {
  app.post('/zips/generate-download-url', async (request) => {
    const body = parse(
      z.object({
        fileIds: z.array(z.string().min(1).max(2000)).max(ZIP_FILE_IDS_MAX).default([]),
        folderIds: z.array(id).max(ZIP_FILE_IDS_MAX).default([]),
      }),
      request.body ?? {},
    );
    return zips.selectionDownloadUrl(body.fileIds, body.folderIds);
  });
}

/**
 * The zip URL itself: `GET /download/v1/zip/<token>`, no API key (the unguessable token is the credential, and
 * the URL does not expire). The zip is streamed as it is made, with chunked encoding, so a download cut short
 * is seen as such. No Content-Length: yazl can predict the size of a STORE zip, but yazl 3.3.1 counts a ZIP64
 * end record it does not write once the central directory passes 64 KiB (about 700 entries), and a wrong
 * length breaks the download. No Range support either: the bytes are made afresh at each request.
 */
export function registerZipDownloadRoutes(app: FastifyInstance, zips: ZipService): void {
  // HEAD is declared rather than left to Fastify, whose automatic HEAD drains a streamed body and answers an
  // empty one with `Content-Length: 0`: this one reads no blob and claims no length.
  app.route({
    method: ['GET', 'HEAD'],
    url: '/download/v1/zip/:token',
    handler: async (request, reply) => {
      const { token } = request.params as { token: string };
      let plan;
      try {
        plan = await zips.open(token);
      } catch (error) {
        if (!(error instanceof ApiError) || !wantsHtml(request)) throw error;
        return sendLinkError(request, reply, error, {
          title: 'This download link does not work',
          message:
            error.status === 404
              ? 'The link is incomplete, or what it zipped was deleted. Choose the files again to make a new zip.'
              : `${error.message}. Choose the files again to make a new zip.`,
          linkText: 'Open Site Media Manager',
          href: '/',
        });
      }
      void reply.headers({
        ...USER_CONTENT_HEADERS,
        'Content-Type': 'application/zip',
        'Content-Disposition': contentDisposition(plan.fileName, { type: 'attachment' }),
        // A folder zip changes with the folder; no-transform keeps proxies from recompressing it.
        'Cache-Control': 'private, no-store, no-transform',
      });
      if (request.method === 'HEAD') return reply.send();
      return reply.send(zips.stream(plan));
    },
  });
}
