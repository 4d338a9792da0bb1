// "Select all N", then an action: the server's bulk operations (`/site-media-ext/v1/bulk-operations`, docs/api.md)
// act on every item of a listing, loaded here or not, in the background; the app polls their progress.
import type { QueryClient } from '@tanstack/react-query';
import { apiClient } from '../../lib/api-client';
import { folderKeys } from '../../folders/api/folders';
import { EXTENSIONS_PATH } from './folder-contents';
import { fileKeys } from './files';
import { itemKeys, type ListingParams } from './items';

export type BulkAction = 'TRASH' | 'MOVE' | 'RESTORE' | 'DELETE_FOREVER' | 'UNDO';

export interface BulkOperation {
  id: string;
  action: BulkAction;
  status: 'RUNNING' | 'DONE' | 'FAILED';
  processed: { folders: number; files: number };
  total: { folders: number; files: number; estimated: boolean };
  error: string | null;
  /** UNDO: the operation it reverses. */
  undoOf?: string | null;
}

export const processedOf = (op: BulkOperation) => op.processed.folders + op.processed.files;
export const totalOfOperation = (op: BulkOperation) => op.total.folders + op.total.files;

/** Starts the action over the whole listing (its folder, and its type filter when set). */
export async function startBulkOperation(
  params: ListingParams,
  action: BulkAction,
  destinationFolderId?: string,
): Promise<BulkOperation> {
  const { operation } = await apiClient.post<{ operation: BulkOperation }>(
    `${EXTENSIONS_PATH}/bulk-operations`,
    {
      action,
      folderId: params.folderId,
      ...(params.type ? { mediaTypes: [params.type] } : {}),
      ...(destinationFolderId ? { destinationFolderId } : {}),
    },
  );
  return operation;
}

export async function bulkOperation(id: string, signal?: AbortSignal): Promise<BulkOperation> {
  const { operation } = await apiClient.get<{ operation: BulkOperation }>(
    `${EXTENSIONS_PATH}/bulk-operations/${encodeURIComponent(id)}`,
    { signal },
  );
  return operation;
}

/** Every listing, count and folder tree may have changed. */
export async function refreshAfterBulk(client: QueryClient): Promise<void> {
  await Promise.all([
    client.invalidateQueries({ queryKey: itemKeys.all }),
    client.invalidateQueries({ queryKey: folderKeys.all }),
    client.invalidateQueries({ queryKey: fileKeys.all }),
  ]);
}

/** Operations the server can undo (it records what they changed; docs/api.md). */
export const canUndo = (op: BulkOperation) =>
  op.status !== 'RUNNING' && (op.action === 'MOVE' || op.action === 'TRASH' || op.action === 'RESTORE');

/**
 * Starts the undo of an ended operation on the server (a bulk operation of its own), waits for it to end,
 * then refreshes every view. Resolves with the undo as it ended.
 */
export async function undoBulkOperation(client: QueryClient, id: string): Promise<BulkOperation> {
  let { operation } = await apiClient.post<{ operation: BulkOperation }>(
    `${EXTENSIONS_PATH}/bulk-operations/${encodeURIComponent(id)}/undo`,
    {},
  );
  while (operation.status === 'RUNNING') {
    await new Promise((resolve) => setTimeout(resolve, 700));
    operation = await bulkOperation(operation.id);
  }
  await refreshAfterBulk(client);
  return operation;
}
