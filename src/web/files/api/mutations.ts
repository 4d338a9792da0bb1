import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { FileDescriptor, Folder } from '../../../contract';
import { FOLDERS_PATH } from '../../folders/api/folders';
import { apiClient } from '../../lib/api-client';
import { fileKeys, FILES_PATH } from './files';
import { deleteIds, eachLimited, emptyTheTrash, restoreIds, updateItem } from './item-requests';
import { itemName, type Item } from './items';
import { settle, useListingMutation, without } from './listing-cache';
import { putBack, readAfter, undoChanged, type ActionResult, type Changed } from './undo';

function describe(items: readonly Item[]): string {
  if (items.length === 1 && items[0]) return `“${itemName(items[0])}”`;
  return `${items.length} items`;
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

/** The undo of an action: its inverse on the items still as it left them, then every view refetches. */
const undoing =
  (
    client: QueryClient,
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
      void settle(client);
    }
  };

const renamed = (item: Item, displayName: string) => (list: Item[]) =>
  list.map((i) => {
    if (i.key !== item.key) return i;
    return i.kind === 'folder'
      ? { ...i, folder: { ...i.folder, displayName } }
      : { ...i, file: { ...i.file, displayName } };
  });

const labelled = (file: FileDescriptor, labels: string[]) => (list: Item[]) =>
  list.map((i) => (i.kind === 'file' && i.file.id === file.id ? { ...i, file: { ...i.file, labels } } : i));

/**
 * Every change the browser makes, each a react-query mutation. Each updates the cached listings at once
 * (optimistic), puts them back when the server refuses (and throws, so the caller can show why), and afterwards
 * refetches every affected view (`useListingMutation`). Resolves with a sentence saying what happened, for a
 * toast, and with the undo where there is one.
 */
export function useItemActions() {
  const client = useQueryClient();

  const moveItems = useListingMutation({
    change: ({ movable }: { movable: Item[]; target: { id: string }; byId: Map<string, Changed> }) =>
      without(movable),
    run: ({ movable, target, byId }) =>
      eachLimited(movable, async (item) => {
        const updated = await updateItem(item, { parentFolderId: target.id });
        byId.get(updated.id)!.after = updated.updatedDate;
      }),
  });
  const trashItems = useListingMutation({
    change: (items: readonly Item[]) => without(items),
    run: (items) => deleteIds(splitIds(items).folderIds, splitIds(items).fileIds, false),
  });
  const restoreItems = useListingMutation({
    change: (items: readonly Item[]) => without(items),
    run: (items) => restoreIds(splitIds(items).folderIds, splitIds(items).fileIds),
  });
  const deleteItems = useListingMutation({
    change: (items: readonly Item[]) => without(items),
    run: (items) => deleteIds(splitIds(items).folderIds, splitIds(items).fileIds, true),
  });
  const emptyTrash = useListingMutation({
    change: (_: void) => () => [],
    run: emptyTheTrash,
    // Only the trash's own listings empty at once; the others refetch.
    only: (params) => params.area === 'trash',
  });
  const renameItem = useListingMutation({
    change: ({ item, displayName }: { item: Item; displayName: string; changed: Changed }) =>
      renamed(item, displayName),
    run: async ({ item, displayName, changed }) => {
      changed.after = (await updateItem(item, { displayName })).updatedDate;
    },
  });
  const setLabels = useListingMutation({
    change: ({ file, labels }: { file: FileDescriptor; labels: string[] }) => labelled(file, labels),
    // The details panel reads the file itself: it changes at once too.
    also: (cache, { file, labels }) => {
      const key = fileKeys.detail(file.id);
      const previous = cache.getQueryData(key);
      cache.setQueryData(key, { ...file, labels });
      return [[key, previous]];
    },
    run: ({ file, labels }) =>
      apiClient.patch(`${FILES_PATH}/update-file-descriptor`, { file: { id: file.id, labels } }),
  });
  const createFolder = useMutation({
    mutationFn: async ({ parentFolderId, displayName }: { parentFolderId: string; displayName: string }) =>
      (await apiClient.post<{ folder: Folder }>(FOLDERS_PATH, { displayName, parentFolderId })).folder,
    networkMode: 'always',
    // The new folder shows in the listing and the tree before the dialog closes.
    onSuccess: () => settle(client),
  }).mutateAsync;

  return useMemo(
    () => ({
      async move(items: readonly Item[], target: { id: string; name: string }): Promise<ActionResult> {
        const movable = items.filter((i) =>
          i.kind === 'folder'
            ? i.folder.id !== target.id && i.folder.parentFolderId !== target.id
            : i.file.parentFolderId !== target.id,
        );
        if (movable.length === 0) return { title: `Already in ${target.name}` };
        const changed = changedOf(movable, 'OK');
        await moveItems({ movable, target, byId: new Map(changed.map((c) => [c.id, c])) });
        return {
          title: `Moved ${describe(movable)} to ${target.name}`,
          undo: undoing(
            client,
            changed,
            Promise.resolve(),
            (back) => putBack(back, 'parent'),
            `Moved ${describe(movable)} back`,
          ),
        };
      },

      async trash(items: readonly Item[]): Promise<ActionResult> {
        await trashItems(items);
        const changed = changedOf(items, 'DELETED');
        return {
          title: `Moved ${describe(items)} to the trash`,
          undo: undoing(
            client,
            changed,
            readAfter(changed),
            (back) => restoreIds(idsOfChanged(back).folderIds, idsOfChanged(back).fileIds),
            `Restored ${describe(items)}`,
          ),
        };
      },

      async restore(items: readonly Item[]): Promise<ActionResult> {
        await restoreItems(items);
        const changed = changedOf(items, 'OK');
        return {
          title: `Restored ${describe(items)}`,
          undo: undoing(
            client,
            changed,
            readAfter(changed),
            (back) => deleteIds(idsOfChanged(back).folderIds, idsOfChanged(back).fileIds, false),
            `Moved ${describe(items)} back to the trash`,
          ),
        };
      },

      async deleteForever(items: readonly Item[]): Promise<string> {
        await deleteItems(items);
        return `Deleted ${describe(items)} forever`;
      },

      /** Deletes everything in the trash for good. */
      async emptyTrash(): Promise<string> {
        const removed = await emptyTrash();
        return removed === 0 ? 'The trash was already empty' : `Emptied the trash (${removed} items)`;
      },

      async rename(item: Item, displayName: string): Promise<ActionResult> {
        const before = itemName(item);
        const [changed] = changedOf([item], 'OK') as [Changed];
        await renameItem({ item, displayName, changed });
        return {
          title: `Renamed “${before}” to “${displayName}”`,
          undo: undoing(
            client,
            [changed],
            Promise.resolve(),
            (back) => putBack(back, 'name'),
            `Renamed “${displayName}” back to “${before}”`,
          ),
        };
      },

      async setLabels(file: FileDescriptor, labels: string[]): Promise<string> {
        await setLabels({ file, labels });
        return 'Labels saved';
      },

      createFolder: (parentFolderId: string, displayName: string): Promise<Folder> =>
        createFolder({ parentFolderId, displayName }),
    }),
    [
      client,
      moveItems,
      trashItems,
      restoreItems,
      deleteItems,
      emptyTrash,
      renameItem,
      setLabels,
      createFolder,
    ],
  );
}

export type ItemActions = ReturnType<typeof useItemActions>;
