// Undo of what the browser did to a selection (move, move to trash, rename, restore): the inverse through the
// same Wix endpoints, for each item that is still as the action left it. An item changed since (moved again,
// renamed, restored, deleted forever: its `updatedDate` differs, or it is gone) is left alone, and the toast
// says how many were. "Select all N" operations are undone on the server instead (`undoBulkOperation`).
import type { FileDescriptor, Folder } from '../../../contract';
import type { ToastMessage } from '../../components/ui/toast';
import { FOLDERS_PATH } from '../../folders/api/folders';
import { apiClient } from '../../lib/api-client';
import { FILES_PATH } from './files';

/** What an action resolves with: the toast's sentence, and how to undo it when it can be. */
export interface ActionResult {
  title: string;
  undo?: () => Promise<ToastMessage>;
}

/** One item an action changed: what it was before, and its `updatedDate` right after the action. */
export interface Changed {
  kind: 'folder' | 'file';
  id: string;
  /** Its state right after the action. */
  state: 'OK' | 'DELETED';
  after?: string | undefined;
  parentFolderId: string;
  displayName: string;
}

type Current = Pick<Folder, 'state' | 'updatedDate' | 'parentFolderId' | 'displayName'>;

async function readItem(kind: Changed['kind'], id: string): Promise<Current | null> {
  try {
    if (kind === 'folder') {
      return (await apiClient.get<{ folder: Folder }>(`${FOLDERS_PATH}/${encodeURIComponent(id)}`)).folder;
    }
    return (
      await apiClient.get<{ file: FileDescriptor }>(`${FILES_PATH}/get-file-by-id`, { query: { fileId: id } })
    ).file;
  } catch {
    // Gone (deleted forever) or unreadable: not undone.
    return null;
  }
}

/** Runs `work` on every item, four at a time, and never stops at a failure. */
async function eachOf<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let index = 0;
  const worker = async () => {
    while (index < items.length) out.push(await work(items[index++] as T));
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out;
}

/**
 * Reads each changed item right after the action (its new `updatedDate`), for the actions whose answer does
 * not carry it (move to trash, restore).
 */
export async function readAfter(changed: Changed[]): Promise<void> {
  await eachOf(changed, async (item) => {
    const current = await readItem(item.kind, item.id);
    if (current?.state === item.state) item.after = current.updatedDate;
  });
}

/**
 * The items of `changed` still as the action left them, then `inverse` on them; resolves with the toast of
 * how it went.
 */
export async function undoChanged(
  changed: readonly Changed[],
  inverse: (items: Changed[]) => Promise<unknown>,
  done: string,
): Promise<ToastMessage> {
  const unchanged = (
    await eachOf(changed, async (item) => {
      if (item.after === undefined) return null;
      const current = await readItem(item.kind, item.id);
      return current?.state === item.state && current.updatedDate === item.after ? item : null;
    })
  ).filter((item): item is Changed => item !== null);
  if (unchanged.length > 0) await inverse(unchanged);
  const left = changed.length - unchanged.length;
  if (unchanged.length === 0) {
    return {
      title: 'Nothing to undo',
      description: `${changed.length === 1 ? 'The item was' : 'The items were'} changed since.`,
    };
  }
  return {
    title: done,
    ...(left > 0
      ? { description: `${left} of ${changed.length} items could not be undone: they changed since.` }
      : {}),
  };
}

/** Moves items back to their parents before, and gives back their names before (PATCH each). */
export async function putBack(items: readonly Changed[], what: 'parent' | 'name'): Promise<void> {
  const failures = (
    await eachOf(items, async (item) => {
      const patch =
        what === 'parent' ? { parentFolderId: item.parentFolderId } : { displayName: item.displayName };
      try {
        if (item.kind === 'folder') {
          await apiClient.patch(`${FOLDERS_PATH}/${encodeURIComponent(item.id)}`, {
            folder: { id: item.id, ...patch },
          });
        } else {
          await apiClient.patch(`${FILES_PATH}/update-file-descriptor`, { file: { id: item.id, ...patch } });
        }
        return null;
      } catch (error) {
        return error;
      }
    })
  ).filter((e) => e !== null);
  if (failures.length > 0) {
    const reason = failures[0] instanceof Error ? failures[0].message : 'Unknown error';
    throw new Error(`${failures.length} of ${items.length} could not be undone. ${reason}`);
  }
}
