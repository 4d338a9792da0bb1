// The requests behind the browser's actions: Wix's bulk endpoints take a limited number of ids a call, so
// longer lists go in chunks; single-item updates (move, rename) go four at a time.
import { BULK_FILE_IDS_MAX, BULK_FOLDER_IDS_MAX, type FileDescriptor, type Folder } from '../../../contract';
import { FOLDERS_PATH } from '../../folders/api/folders';
import { apiClient } from '../../lib/api-client';
import { FILES_PATH } from './files';
import type { Item } from './items';

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `work` on every item, four at a time; reports how many succeeded before the first failure. */
export async function eachLimited<T>(
  items: readonly T[],
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let index = 0;
  let done = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (index < items.length && failure === null) {
      const item = items[index++] as T;
      try {
        await work(item);
        done++;
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  if (failure !== null) {
    const reason = failure instanceof Error ? failure.message : 'Unknown error';
    throw new Error(items.length > 1 ? `${done} of ${items.length} done. ${reason}` : reason, {
      cause: failure,
    });
  }
}

/** Moves items to the trash (`permanent` false) or deletes them for good, by id, in chunks. */
export async function deleteIds(
  folderIds: readonly string[],
  fileIds: readonly string[],
  permanent: boolean,
) {
  const flag = permanent ? { permanent: true } : {};
  for (const part of chunk(folderIds, BULK_FOLDER_IDS_MAX)) {
    await apiClient.post('/site-media/v1/bulk/folders/delete', { folderIds: part, ...flag });
  }
  for (const part of chunk(fileIds, BULK_FILE_IDS_MAX)) {
    await apiClient.post('/site-media/v1/bulk/files/delete', { fileIds: part, ...flag });
  }
}

export async function restoreIds(folderIds: readonly string[], fileIds: readonly string[]) {
  for (const part of chunk(folderIds, BULK_FOLDER_IDS_MAX)) {
    await apiClient.post('/site-media/v1/bulk/trash-bin/folders/restore', { folderIds: part });
  }
  for (const part of chunk(fileIds, BULK_FILE_IDS_MAX)) {
    await apiClient.post('/site-media/v1/bulk/trash-bin/files/restore', { fileIds: part });
  }
}

/** Deletes everything in the trash for good, a page of top-level entries at a time; resolves with how many. */
export async function emptyTheTrash(): Promise<number> {
  let removed = 0;
  for (;;) {
    const folders = await apiClient.get<{ folders: Folder[] }>('/site-media/v1/trash-bin/folders', {
      query: { 'paging.limit': BULK_FOLDER_IDS_MAX },
    });
    const files = await apiClient.get<{ files: FileDescriptor[] }>('/site-media/v1/trash-bin/files', {
      query: { 'paging.limit': 100 },
    });
    if (folders.folders.length === 0 && files.files.length === 0) break;
    if (folders.folders.length > 0) {
      await apiClient.post('/site-media/v1/bulk/folders/delete', {
        folderIds: folders.folders.map((f) => f.id),
        permanent: true,
      });
    }
    if (files.files.length > 0) {
      await apiClient.post('/site-media/v1/bulk/files/delete', {
        fileIds: files.files.map((f) => f.id),
        permanent: true,
      });
    }
    removed += folders.folders.length + files.files.length;
  }
  return removed;
}

/** Moves an item to another folder or renames it; resolves with its id and `updatedDate` after the change. */
export async function updateItem(
  item: Item,
  change: { parentFolderId: string } | { displayName: string },
): Promise<{ id: string; updatedDate: string }> {
  if (item.kind === 'folder') {
    const { folder } = await apiClient.patch<{ folder: Folder }>(
      `${FOLDERS_PATH}/${encodeURIComponent(item.folder.id)}`,
      { folder: { id: item.folder.id, ...change } },
    );
    return folder;
  }
  const { file } = await apiClient.patch<{ file: FileDescriptor }>(`${FILES_PATH}/update-file-descriptor`, {
    file: { id: item.file.id, ...change },
  });
  return file;
}
