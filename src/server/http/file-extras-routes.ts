import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BULK_FILE_IDS_MAX } from '../../contract/index.ts';
import type { FileExtrasService } from '../services/file-extras-service.ts';
import { externalInfo } from './upload-routes.ts';
import { id, parse } from './validation.ts';

const fileParams = z.object({ fileId: id });

/**
 * The admin app's edits beside Wix's descriptor (extension prefix): alt text, and sites' references to a file.
 * Wix's own answers carry the alt text (`media.image.image.altText`) and stay otherwise as they were.
 */
export function registerFileExtrasRoutes(app: FastifyInstance, extras: FileExtrasService): void {
  app.put('/files/:fileId/alt-text', async (request) => {
    const { fileId } = parse(fileParams, request.params);
    const { altText } = parse(z.object({ altText: z.string().max(10_000).nullable() }), request.body);
    return { file: await extras.setAltText(fileId, altText) };
  });

  app.put('/files/:fileId/external-info', async (request) => {
    const { fileId } = parse(fileParams, request.params);
    const body = parse(z.object({ externalInfo: externalInfo.unwrap().nullable() }), request.body);
    return { externalInfo: await extras.setExternalInfo(fileId, body.externalInfo) };
  });

  app.post('/files/external-references', async (request) => {
    const { fileIds } = parse(z.object({ fileIds: z.array(id).min(1).max(BULK_FILE_IDS_MAX) }), request.body);
    return { files: await extras.references(fileIds) };
  });
}
