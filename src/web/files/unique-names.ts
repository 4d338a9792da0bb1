import type { ListFilesResponse, ListFoldersResponse } from '../../contract';
import { AREAS, type Area } from '../folders/paths';
import { apiClient } from '../lib/api-client';

// Wix keeps two folders or files of the same name side by side, and its create-folder and upload endpoints keep
// the name they are given (the server must answer as Wix does). So the app, not the server, picks a name that
// tells the new one apart, "Photos (2)" or "flyer (2).jpg", and says so.

/** `flyer.jpg` -> [`flyer`, `.jpg`]; a folder name, or a name without a dot, has no extension. */
export function splitExtension(name: string, kind: 'folder' | 'file'): [string, string] {
  const dot = name.lastIndexOf('.');
  if (kind === 'folder' || dot <= 0) return [name, ''];
  return [name.slice(0, dot), name.slice(dot)];
}

/** `name` if nothing in `taken` has it (case-insensitively), else the first free `stem (n).ext`, n >= 2. */
export function uniqueName(name: string, kind: 'folder' | 'file', taken: ReadonlySet<string>): string {
  const lower = new Set([...taken].map((n) => n.toLowerCase()));
  if (!lower.has(name.toLowerCase())) return name;
  const [stem, extension] = splitExtension(name, kind);
  // "Photos (2)" again becomes "Photos (3)", not "Photos (2) (2)".
  const base = stem.replace(/ \(\d+\)$/, '');
  for (let n = 2; ; n++) {
    const candidate = `${base} (${n})${extension}`;
    if (!lower.has(candidate.toLowerCase())) return candidate;
  }
}

const PAGE = 100;
/** Pages read at most: past 10,000 look-alikes a clash goes unnoticed (the server still takes the name). */
const MAX_PAGES = 100;

/**
 * The names in a folder that could clash with `name` or its numbered variants: a search for the name's stem,
 * kept to the folder's direct children.
 */
export async function namesLike(
  area: Area,
  parentFolderId: string,
  name: string,
  kind: 'folder' | 'file',
): Promise<Set<string>> {
  const [stem] = splitExtension(name, kind);
  const search = stem.replace(/ \(\d+\)$/, '').slice(0, 200);
  const names = new Set<string>();
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const paging = { limit: PAGE, ...(cursor ? { cursor } : {}) };
    const body: Record<string, unknown> = cursor
      ? { paging }
      : { rootFolder: AREAS[area].scope, search, paging };
    const response: ListFoldersResponse | ListFilesResponse =
      kind === 'folder'
        ? await apiClient.post<ListFoldersResponse>('/site-media/v1/folders/search', body)
        : await apiClient.post<ListFilesResponse>('/site-media/v1/files/search', body);
    const entries = 'folders' in response ? response.folders : response.files;
    for (const entry of entries) if (entry.parentFolderId === parentFolderId) names.add(entry.displayName);
    cursor = response.nextCursor?.cursors.next ?? null;
    if (!cursor) break;
  }
  return names;
}

/** The toast that says a name was taken, and what the new item is called instead. */
export function renamedMessage(kind: 'folder' | 'file', given: string, chosen: string): string {
  return `A ${kind} named ${given} already exists here — this one is ${chosen}`;
}

/** Every file name directly in a folder (a batch of uploads checks them all with one listing). */
export async function fileNamesIn(parentFolderId: string): Promise<Set<string>> {
  const names = new Set<string>();
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query: Record<string, string | number> = cursor
      ? { 'paging.cursor': cursor, 'paging.limit': PAGE }
      : { parentFolderId, 'paging.limit': PAGE };
    const response: ListFilesResponse = await apiClient.get<ListFilesResponse>('/site-media/v1/files', {
      query,
    });
    for (const file of response.files) names.add(file.displayName);
    cursor = response.nextCursor?.cursors.next ?? null;
    if (!cursor) break;
  }
  return names;
}
