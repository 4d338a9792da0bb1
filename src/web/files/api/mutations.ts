import { useQueryClient, type InfiniteData, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { useMemo } from 'react';
import { BULK_FILE_IDS_MAX, BULK_FOLDER_IDS_MAX, type FileDescriptor, type Folder } from '../../../contract';
import { folderKeys, FOLDERS_PATH } from '../../folders/api/folders';
import { apiClient } from '../../lib/api-client';
import { fileKeys, FILES_PATH } from './files';
import { isListKey, itemKeys, itemName, type Item, type ItemPage, type ListingParams } from './items';
import { putBack, readAfter, undoChanged, type ActionResult, type Changed } from './undo';

type Listing = InfiniteData<ItemPage, unknown>;
type Snapshot = [QueryKey, unknown][];

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `work` on every item, four at a time; reports how many succeeded before the first failure. */
async function eachLimited<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
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

function describe(items: readonly Item[]): string {
  if (items.length === 1 && items[0]) return `“${itemName(items[0])}”`;
  return `${items.length} items`;
}

/** Changes every cached listing at once; returns what to put back if the server refuses. */
function patchListings(
  client: QueryClient,
  change: (items: Item[]) => Item[],
  only?: (params: ListingParams) => boolean,
): Snapshot {
  const filters = {
    queryKey: itemKeys.all,
    predicate: (query: { queryKey: QueryKey }) =>
      isListKey(query.queryKey) && (!only || only(query.queryKey[1] as ListingParams)),
  };
  const snapshot = client.getQueriesData(filters);
  client.setQueriesData<Listing>(filters, (data) =>
    data ? { ...data, pages: data.pages.map((page) => ({ ...page, items: change(page.items) })) } : data,
  );
  return snapshot;
}

function restoreSnapshot(client: QueryClient, snapshot: Snapshot) {
  for (const [key, data] of snapshot) client.setQueryData(key, data);
}

/** What an action changes of each item, before it acts (its `after` date comes later). */
const changedOf = (items: readonly Item[], state: Changed['state']): Changed[] =>
  items.map((i) =>
    i.kind === 'folder'
      ? {
          kind: 'folder',
          id: i.folder.id,
          state,
          parentFolderId: i.folder.parentFolderId,
          displayName: i.folder.displayName,
        }
      : {
          kind: 'file',
          id: i.file.id,
          state,
          parentFolderId: i.file.parentFolderId,
          displayName: i.file.displayName,
        },
  );

const idsOfChanged = (items: readonly Changed[]) => ({
  folderIds: items.filter((i) => i.kind === 'folder').map((i) => i.id),
  fileIds: items.filter((i) => i.kind === 'file').map((i) => i.id),
});

const splitIds = (items: readonly Item[]) => ({
  folderIds: items.filter((i) => i.kind === 'folder').map((i) => (i as { folder: Folder }).folder.id),
  fileIds: items.filter((i) => i.kind === 'file').map((i) => (i as { file: FileDescriptor }).file.id),
});

/**
 * Every change the browser makes. Each updates the cached listings at once (optimistic), puts them back when
 * the server refuses (and throws, so the caller can show why), and afterwards refetches every affected view.
 * Resolves with a sentence saying what happened, for a toast.
 */
export function createItemActions(client: QueryClient) {
  const settle = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: itemKeys.all }),
      client.invalidateQueries({ queryKey: folderKeys.all }),
      client.invalidateQueries({ queryKey: fileKeys.all }),
    ]);

  async function optimistic(
    change: (items: Item[]) => Item[],
    work: () => Promise<void>,
    only?: (params: ListingParams) => boolean,
  ): Promise<void> {
    await client.cancelQueries({ queryKey: itemKeys.all });
    const snapshot = patchListings(client, change, only);
    try {
      await work();
    } catch (error) {
      restoreSnapshot(client, snapshot);
      throw error;
    } finally {
      void settle();
    }
  }

  /** Moves items to the trash (`permanent` false) or deletes them for good, by id, in chunks. */
  async function deleteIds(folderIds: readonly string[], fileIds: readonly string[], permanent: boolean) {
    const flag = permanent ? { permanent: true } : {};
    for (const part of chunk(folderIds, BULK_FOLDER_IDS_MAX)) {
      await apiClient.post('/site-media/v1/bulk/folders/delete', { folderIds: part, ...flag });
    }
    for (const part of chunk(fileIds, BULK_FILE_IDS_MAX)) {
      await apiClient.post('/site-media/v1/bulk/files/delete', { fileIds: part, ...flag });
    }
  }

  async function restoreIds(folderIds: readonly string[], fileIds: readonly string[]) {
    for (const part of chunk(folderIds, BULK_FOLDER_IDS_MAX)) {
      await apiClient.post('/site-media/v1/bulk/trash-bin/folders/restore', { folderIds: part });
    }
    for (const part of chunk(fileIds, BULK_FILE_IDS_MAX)) {
      await apiClient.post('/site-media/v1/bulk/trash-bin/files/restore', { fileIds: part });
    }
  }

  /** The undo of an action: its inverse on the items still as it left them, then every view refetches. */
  const undoing =
    (
      changed: readonly Changed[],
      ready: Promise<unknown>,
      inverse: (items: Changed[]) => Promise<unknown>,
      done: string,
    ) =>
    async () => {
      await ready;
      try {
        return await undoChanged(changed, inverse, done);
      } finally {
        void settle();
      }
    };

  const without = (items: readonly Item[]) => {
    const gone = new Set(items.map((i) => i.key));
    return (list: Item[]) => list.filter((i) => !gone.has(i.key));
  };

  return {
    async move(items: readonly Item[], target: { id: string; name: string }): Promise<ActionResult> {
      const movable = items.filter((i) =>
        i.kind === 'folder'
          ? i.folder.id !== target.id && i.folder.parentFolderId !== target.id
          : i.file.parentFolderId !== target.id,
      );
      if (movable.length === 0) return { title: `Already in ${target.name}` };
      const changed = changedOf(movable, 'OK');
      const byId = new Map(changed.map((c) => [c.id, c]));
      await optimistic(without(movable), () =>
        eachLimited(movable, async (item) => {
          if (item.kind === 'folder') {
            const { folder } = await apiClient.patch<{ folder: Folder }>(
              `${FOLDERS_PATH}/${encodeURIComponent(item.folder.id)}`,
              { folder: { id: item.folder.id, parentFolderId: target.id } },
            );
            byId.get(folder.id)!.after = folder.updatedDate;
          } else {
            const { file } = await apiClient.patch<{ file: FileDescriptor }>(
              `${FILES_PATH}/update-file-descriptor`,
              { file: { id: item.file.id, parentFolderId: target.id } },
            );
            byId.get(file.id)!.after = file.updatedDate;
          }
        }),
      );
      return {
        title: `Moved ${describe(movable)} to ${target.name}`,
        undo: undoing(
          changed,
          Promise.resolve(),
          (back) => putBack(back, 'parent'),
          `Moved ${describe(movable)} back`,
        ),
      };
    },

    async trash(items: readonly Item[]): Promise<ActionResult> {
      const { folderIds, fileIds } = splitIds(items);
      await optimistic(without(items), () => deleteIds(folderIds, fileIds, false));
      const changed = changedOf(items, 'DELETED');
      return {
        title: `Moved ${describe(items)} to the trash`,
        undo: undoing(
          changed,
          readAfter(changed),
          (back) => restoreIds(idsOfChanged(back).folderIds, idsOfChanged(back).fileIds),
          `Restored ${describe(items)}`,
        ),
      };
    },

    async restore(items: readonly Item[]): Promise<ActionResult> {
      const { folderIds, fileIds } = splitIds(items);
      await optimistic(without(items), () => restoreIds(folderIds, fileIds));
      const changed = changedOf(items, 'OK');
      return {
        title: `Restored ${describe(items)}`,
        undo: undoing(
          changed,
          readAfter(changed),
          (back) => deleteIds(idsOfChanged(back).folderIds, idsOfChanged(back).fileIds, false),
          `Moved ${describe(items)} back to the trash`,
        ),
      };
    },

    async deleteForever(items: readonly Item[]): Promise<string> {
      const { folderIds, fileIds } = splitIds(items);
      await optimistic(without(items), () => deleteIds(folderIds, fileIds, true));
      return `Deleted ${describe(items)} forever`;
    },

    /** Deletes everything in the trash for good, a page of top-level entries at a time. */
    async emptyTrash(): Promise<string> {
      let removed = 0;
      await optimistic(
        () => [],
        async () => {
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
        },
        // Only the trash's own listings empty at once; the others refetch.
        (params) => params.area === 'trash',
      );
      return removed === 0 ? 'The trash was already empty' : `Emptied the trash (${removed} items)`;
    },

    async rename(item: Item, displayName: string): Promise<ActionResult> {
      const before = itemName(item);
      const [changed] = changedOf([item], 'OK') as [Changed];
      await optimistic(
        (list) =>
          list.map((i) => {
            if (i.key !== item.key) return i;
            return i.kind === 'folder'
              ? { ...i, folder: { ...i.folder, displayName } }
              : { ...i, file: { ...i.file, displayName } };
          }),
        async () => {
          if (item.kind === 'folder') {
            const { folder } = await apiClient.patch<{ folder: Folder }>(
              `${FOLDERS_PATH}/${encodeURIComponent(item.folder.id)}`,
              { folder: { id: item.folder.id, displayName } },
            );
            changed.after = folder.updatedDate;
          } else {
            const { file } = await apiClient.patch<{ file: FileDescriptor }>(
              `${FILES_PATH}/update-file-descriptor`,
              { file: { id: item.file.id, displayName } },
            );
            changed.after = file.updatedDate;
          }
        },
      );
      return {
        title: `Renamed “${before}” to “${displayName}”`,
        undo: undoing(
          [changed],
          Promise.resolve(),
          (back) => putBack(back, 'name'),
          `Renamed “${displayName}” back to “${before}”`,
        ),
      };
    },

    async setLabels(file: FileDescriptor, labels: string[]): Promise<string> {
      const key = fileKeys.detail(file.id);
      const previous = client.getQueryData(key);
      client.setQueryData(key, { ...file, labels });
      await optimistic(
        (list) =>
          list.map((i) =>
            i.kind === 'file' && i.file.id === file.id ? { ...i, file: { ...i.file, labels } } : i,
          ),
        () => apiClient.patch(`${FILES_PATH}/update-file-descriptor`, { file: { id: file.id, labels } }),
      ).catch((error: unknown) => {
        client.setQueryData(key, previous);
        throw error;
      });
      return 'Labels saved';
    },

    async createFolder(parentFolderId: string, displayName: string): Promise<Folder> {
      const { folder } = await apiClient.post<{ folder: Folder }>(FOLDERS_PATH, {
        displayName,
        parentFolderId,
      });
      await settle();
      return folder;
    },
  };
}

export type ItemActions = ReturnType<typeof createItemActions>;

export function useItemActions(): ItemActions {
  const client = useQueryClient();
  return useMemo(() => createItemActions(client), [client]);
}
