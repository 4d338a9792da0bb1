import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  BULK_FOLDER_IDS_MAX,
  FOLDER_SORT_FIELDS,
  MEDIA_ROOT_ID,
  STATES,
  type ListFoldersResponse,
  type QueryFoldersResponse,
} from '../../contract/index.ts';
import { invalid } from '../errors.ts';
import type { FolderService } from '../services/folder-service.ts';
import type { TrashService } from '../services/trash-service.ts';
import { parseQueryRequest } from './query-filter.ts';
import {
  flexibleBoolean,
  folderSort,
  id,
  paging,
  parse,
  rootFolder,
  searchText,
  unflatten,
} from './validation.ts';

const listQuery = z.object({ parentFolderId: id.optional(), sort: folderSort.optional(), paging });

export function registerFolderRoutes(
  app: FastifyInstance,
  folders: FolderService,
  trash: TrashService,
): void {
  app.post('/folders', async (request) => {
    const body = parse(z.object({ displayName: z.string(), parentFolderId: id.optional() }), request.body);
    return { folder: await folders.create(body.displayName, body.parentFolderId ?? MEDIA_ROOT_ID) };
  });

  // The SDK sends the id raw in the path and form-encoded in `?folderId=`; the query copy survives ids the path
  // cannot carry, so it wins.
  app.get('/folders/:folderId', async (request) => {
    const { folderId } = parse(z.object({ folderId: id.optional() }), request.query);
    return { folder: await folders.get(folderId ?? (request.params as { folderId: string }).folderId) };
  });

  app.get('/folders', async (request): Promise<ListFoldersResponse> => {
    const q = parse(listQuery, unflatten(request.query as Record<string, unknown>));
    const page = await folders.list(q.parentFolderId ?? MEDIA_ROOT_ID, q.sort, q.paging ?? {});
    return { folders: page.rows, nextCursor: page.nextCursor };
  });

  app.post('/folders/search', async (request): Promise<ListFoldersResponse> => {
    const body = parse(
      z.object({
        rootFolder: rootFolder.optional(),
        search: searchText.optional(),
        sort: folderSort.optional(),
        paging,
      }),
      request.body,
    );
    const page = await folders.search(
      body.rootFolder ?? 'MEDIA_ROOT',
      body.search,
      body.sort,
      body.paging ?? {},
    );
    return { folders: page.rows, nextCursor: page.nextCursor };
  });

  app.patch('/folders/:folderId', async (request) => {
    const pathId = (request.params as { folderId: string }).folderId;
    const body = parse(
      z.object({
        folder: z.object({
          id: id.optional(),
          displayName: z.string().optional(),
          parentFolderId: id.optional(),
        }),
      }),
      request.body,
    );
    const folderId = body.folder.id ?? pathId;
    if (body.folder.id !== undefined && pathId !== body.folder.id && pathId !== 'undefined') {
      throw invalid('folder.id', 'does not match the folder id in the path');
    }
    return {
      folder: await folders.update(folderId, {
        displayName: body.folder.displayName,
        parentFolderId: body.folder.parentFolderId,
      }),
    };
  });

  app.post('/folders/query', async (request): Promise<QueryFoldersResponse> => {
    const query = parseQueryRequest(request.body, {
      fields: {
        state: z.enum(STATES),
        parentFolderId: id,
      },
      sortFields: FOLDER_SORT_FIELDS,
    });
    const page = await folders.query(
      {
        state: query.filter.state as 'OK' | 'DELETED' | undefined,
        parentFolderId: query.filter.parentFolderId as string | undefined,
      },
      query.sort,
      query.paging,
    );
    return { folders: page.rows, pagingMetadata: { count: page.rows.length, ...page.nextCursor } };
  });

  app.post('/bulk/folders/delete', async (request) => {
    const body = parse(
      z.object({
        folderIds: z.array(id).min(1).max(BULK_FOLDER_IDS_MAX),
        permanent: flexibleBoolean.optional(),
      }),
      request.body,
    );
    await trash.delete('folders', body.folderIds, body.permanent ?? false);
    return {};
  });

  app.post('/bulk/trash-bin/folders/restore', async (request) => {
    const body = parse(z.object({ folderIds: z.array(id).min(1).max(BULK_FOLDER_IDS_MAX) }), request.body);
    await trash.restore('folders', body.folderIds);
    return {};
  });

  app.get('/trash-bin/folders', async (request): Promise<ListFoldersResponse> => {
    const q = parse(listQuery, unflatten(request.query as Record<string, unknown>));
    const page = await folders.listDeleted(q.parentFolderId, q.sort, q.paging ?? {});
    return { folders: page.rows, nextCursor: page.nextCursor };
  });
}
