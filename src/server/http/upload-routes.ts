import type { FastifyInstance, FastifyReply } from 'fastify';
import { HEADERS, MAX_AGE, TUS_RESUMABLE } from '@tus/server';
import { z } from 'zod';
import { ID_MAX, UPLOAD_LABELS_MAX, UPLOAD_PROTOCOLS } from '../../contract/index.ts';
import { invalid } from '../errors.ts';
import type { ResumableUploads } from '../services/tus/resumable-uploads.ts';
import { TUS_PATH, type UploadService } from '../services/upload-service.ts';
import { flexibleBoolean, flexibleInt, id, parse } from './validation.ts';

export const externalInfo = z
  .object({
    origin: z.string().max(200).optional(),
    externalIds: z.array(z.string().max(200)).max(50).optional(),
  })
  .optional();

/** Labels given with an upload or an import (their count and length are checked by the service). */
export const uploadLabels = z
  .array(z.string().max(1000))
  .max(UPLOAD_LABELS_MAX * 2)
  .optional();

export const uploadRequest = z.object({
  mimeType: z.string().min(1).max(255),
  fileName: z.string().max(1000).optional(),
  sizeInBytes: flexibleInt(0, Number.MAX_SAFE_INTEGER).optional(),
  parentFolderId: id.optional(),
  private: flexibleBoolean.optional(),
  labels: uploadLabels,
  externalInfo,
  filePath: z.string().max(4000).optional(),
});

export const resumableUploadRequest = uploadRequest.extend({
  uploadProtocol: z.enum(UPLOAD_PROTOCOLS).optional(),
});

/** `generate-upload-url` and `generate-resumable-upload-url` (under the authenticated API prefix). */
export function registerUploadApiRoutes(app: FastifyInstance, uploads: UploadService): void {
  app.post('/files/generate-upload-url', async (request) => {
    return uploads.generateUploadUrl(parse(uploadRequest, request.body));
  });
  app.post('/files/generate-resumable-upload-url', async (request) => {
    const { uploadProtocol: _protocol, ...rest } = parse(resumableUploadRequest, request.body);
    return uploads.generateResumableUploadUrl(rest);
  });
}

/** Upload targets are capability URLs without cookies: any origin may use them. */
function allowAnyOrigin(reply: FastifyReply): void {
  void reply.header('Access-Control-Allow-Origin', '*');
  void reply.header('Access-Control-Expose-Headers', 'X-Wix-Request-Id');
}

const TOKEN_PARAM = z.object({ filename: z.string().max(1000).optional() });

/**
 * The upload URLs themselves, none with the API key (the token is the credential):
 * - `PUT /upload/v1/<token>`: the raw bytes of a plain upload;
 * - `/upload/v1/tus[/<id>]`: the tus 1.0.0 endpoint (`@tus/server`; POST creates, PATCH appends, HEAD gives
 *   the offset, DELETE terminates);
 * - `PUT /upload/v1/tus/<token>?filename=`: finalizes a completed tus upload.
 * Bodies are never parsed or buffered: they stream into the tus store or the blob store.
 */
export function registerUploadTargetRoutes(
  app: FastifyInstance,
  uploads: UploadService,
  resumable: ResumableUploads,
  maxFileSizeBytes: number,
): void {
  app.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, next) => next(null));
    scope.addHook('onSend', async (_request, reply, payload) => {
      allowAnyOrigin(reply);
      return payload;
    });

    scope.put('/upload/v1/:token', async (request) => {
      const { token } = request.params as { token: string };
      if (token.length > ID_MAX) throw invalid('token', 'is not an upload token');
      const { filename } = parse(TOKEN_PARAM, request.query);
      const length = request.headers['content-length'];
      const declared = length === undefined ? undefined : Number(length);
      return { file: await uploads.receive(token, request.raw, declared, filename) };
    });

    scope.put(`${TUS_PATH}/:token`, async (request) => {
      const { token } = request.params as { token: string };
      if (token.length > ID_MAX) throw invalid('token', 'is not an upload token');
      const { filename } = parse(TOKEN_PARAM, request.query);
      // A finalize call carries no bytes; whatever it has is drained, never stored.
      request.raw.resume();
      return { file: await resumable.finalize(token, filename) };
    });

    // Preflight for every upload URL (plain PUT, tus, finalize), answering what tus' OPTIONS answers too.
    scope.options('/upload/v1/*', async (_request, reply) => {
      return reply
        .status(204)
        .headers({
          'Tus-Resumable': TUS_RESUMABLE,
          'Tus-Version': TUS_RESUMABLE,
          'Tus-Extension': resumable.extensions.join(','),
          'Tus-Max-Size': String(maxFileSizeBytes),
          'Access-Control-Allow-Methods': 'POST, HEAD, PATCH, OPTIONS, DELETE, PUT',
          'Access-Control-Allow-Headers': HEADERS.join(', '),
          'Access-Control-Max-Age': String(MAX_AGE),
        })
        .send();
    });

    // Everything else of tus goes to @tus/server, on the raw request and response.
    for (const url of [TUS_PATH, `${TUS_PATH}/*`]) {
      scope.route({
        method: ['POST', 'HEAD', 'PATCH', 'DELETE'],
        url,
        handler: async (request, reply) => {
          reply.hijack();
          reply.raw.setHeader('X-Wix-Request-Id', request.id);
          reply.raw.setHeader('X-Content-Type-Options', 'nosniff');
          try {
            await resumable.handle(request.raw, reply.raw);
          } catch (error) {
            request.log.error({ err: error }, 'tus request failed');
            if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'Content-Type': 'application/json' });
            reply.raw.end();
          }
        },
      });
    }
    done();
  });
}
