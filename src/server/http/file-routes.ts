import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  BULK_FILE_IDS_MAX,
  CONTENT_DISPOSITIONS,
  DOWNLOAD_EXPIRATION_MINUTES_MAX,
  DOWNLOAD_EXPIRATION_MINUTES_MIN,
  FILE_SORT_FIELDS,
  GET_FILES_MAX,
  STATES,
  STREAM_FORMATS,
  VIDEO_STREAM_EXPIRATION_MINUTES_MAX,
  VIDEO_STREAM_EXPIRATION_MINUTES_MIN,
  fileIdFromIdOrUri as fileIdOf,
  type ListFilesResponse,
  type QueryFilesResponse,
} from '../../contract/index.ts';
import type { DownloadService } from '../services/download-service.ts';
import type { FileService } from '../services/file-service.ts';
import type { TrashService } from '../services/trash-service.ts';
import { parseQueryRequest } from './query-filter.ts';
import {
  fileSort,
  flexibleBoolean,
  flexibleInt,
  id,
  mediaType,
  paging,
  parse,
  queryArray,
  rootFolder,
  searchText,
  unflatten,
} from './validation.ts';

const listQuery = z.object({
  parentFolderId: id.optional(),
  mediaTypes: queryArray(mediaType).optional(),
  private: flexibleBoolean.optional(),
  sort: fileSort.optional(),
  paging,
});

const httpUrl = z
  .string()
  .max(2000)
  .refine((v) => /^https?:\/\//i.test(v) && URL.canParse(v), 'must be an http(s) URL');

export function registerFileRoutes(
  app: FastifyInstance,
  files: FileService,
  trash: TrashService,
  downloads: DownloadService,
): void {
  app.get('/files/get-file-by-id', async (request) => {
    const { fileId } = parse(z.object({ fileId: z.string().min(1).max(2000) }), request.query);
    return { file: await files.get(fileId) };
  });

  app.post('/files/get-files', async (request) => {
    const body = parse(
      z.object({ fileIds: z.array(z.string().min(1).max(2000)).min(1).max(GET_FILES_MAX) }),
      request.body,
    );
    return { files: await files.getMany(body.fileIds) };
  });

  // "clients send the whole object back: ignore read-only fields" — only these three are read.
  app.patch('/files/update-file-descriptor', async (request) => {
    const body = parse(
      z.object({
        file: z.object({
          id: z.string().min(1).max(2000),
          displayName: z.string().optional(),
          parentFolderId: id.optional(),
          labels: z.array(z.string()).optional(),
        }),
      }),
      request.body,
    );
    const { id: fileId, ...patch } = body.file;
    return { file: await files.update(fileId, patch) };
  });

  app.get('/files', async (request): Promise<ListFilesResponse> => {
    const q = parse(listQuery, unflatten(request.query as Record<string, unknown>));
    const page = await files.list(q.parentFolderId ?? 'media-root', q, q.sort, q.paging ?? {});
    return { files: page.rows, nextCursor: page.nextCursor };
  });

  app.post('/files/search', async (request): Promise<ListFilesResponse> => {
    const body = parse(
      z.object({
        search: searchText.optional(),
        rootFolder: rootFolder.optional(),
        mediaTypes: z.array(mediaType).max(20).optional(),
        private: flexibleBoolean.optional(),
        sort: fileSort.optional(),
        paging,
      }),
      request.body,
    );
    const page = await files.search(
      body.rootFolder ?? 'MEDIA_ROOT',
      body.search,
      body,
      body.sort,
      body.paging ?? {},
    );
    return { files: page.rows, nextCursor: page.nextCursor };
  });

  app.post('/files/query', async (request): Promise<QueryFilesResponse> => {
    const query = parseQueryRequest(request.body, {
      fields: { mediaType, private: z.boolean(), state: z.enum(STATES), parentFolderId: id },
      inFields: ['mediaType'],
      sortFields: FILE_SORT_FIELDS,
    });
    const { mediaType: types, private: isPrivate, state, parentFolderId } = query.filter;
    const page = await files.query(
      {
        mediaTypes: types === undefined ? undefined : ((Array.isArray(types) ? types : [types]) as never[]),
        private: isPrivate as boolean | undefined,
        state: state as 'OK' | 'DELETED' | undefined,
        parentFolderId: parentFolderId as string | undefined,
      },
      query.sort,
      query.paging,
    );
    return { files: page.rows, pagingMetadata: { count: page.rows.length, ...page.nextCursor } };
  });

  app.post('/files/generate-file-download-url', async (request) => {
    const body = parse(
      z.object({
        fileId: z.string().min(1).max(2000),
        downloadFileName: z.string().min(1).max(255).optional(),
        expirationInMinutes: flexibleInt(
          DOWNLOAD_EXPIRATION_MINUTES_MIN,
          DOWNLOAD_EXPIRATION_MINUTES_MAX,
        ).optional(),
        expirationRedirectUrl: httpUrl.optional(),
        assetKeys: z.array(z.string().min(1).max(100)).max(20).optional(),
        contentDisposition: z.enum(CONTENT_DISPOSITIONS).optional(),
      }),
      request.body,
    );
    return downloads.generateFileDownloadUrls(body);
  });

  app.post('/files/generate-video-stream-url', async (request) => {
    const body = parse(
      z.object({
        fileId: z.string().min(1).max(2000),
        format: z.enum(STREAM_FORMATS).optional(),
        expirationInMinutes: flexibleInt(
          VIDEO_STREAM_EXPIRATION_MINUTES_MIN,
          VIDEO_STREAM_EXPIRATION_MINUTES_MAX,
        ).optional(),
      }),
      request.body,
    );
    return downloads.generateVideoStreamUrl(body);
  });

  app.post('/bulk/files/delete', async (request) => {
    const body = parse(
      z.object({
        fileIds: z.array(z.string().min(1).max(2000)).min(1).max(BULK_FILE_IDS_MAX),
        permanent: flexibleBoolean.optional(),
      }),
      request.body,
    );
    await trash.delete('files', body.fileIds.map(fileIdOf), body.permanent ?? false);
    return {};
  });

  app.post('/bulk/trash-bin/files/restore', async (request) => {
    const body = parse(
      z.object({ fileIds: z.array(z.string().min(1).max(2000)).min(1).max(BULK_FILE_IDS_MAX) }),
      request.body,
    );
    await trash.restore('files', body.fileIds.map(fileIdOf));
    return {};
  });

  app.get('/trash-bin/files', async (request): Promise<ListFilesResponse> => {
    const q = parse(listQuery, unflatten(request.query as Record<string, unknown>));
    const page = await files.listDeleted(q.parentFolderId, q, q.sort, q.paging ?? {});
    return { files: page.rows, nextCursor: page.nextCursor };
  });
}
