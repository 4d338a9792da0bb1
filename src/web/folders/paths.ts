import { MEDIA_ROOT_ID, TRASH_ROOT_ID, VISITOR_UPLOADS_ROOT_ID } from '../../contract';

/** The three areas of the app; each has its root folder, its search scope and its URL prefix. */
export type Area = 'files' | 'visitor' | 'trash';

export const AREAS: Record<
  Area,
  { root: string; scope: 'MEDIA_ROOT' | 'VISITOR_UPLOADS_ROOT' | 'TRASH_ROOT'; name: string; base: string }
> = {
  files: { root: MEDIA_ROOT_ID, scope: 'MEDIA_ROOT', name: 'Site Files', base: '/files' },
  visitor: {
    root: VISITOR_UPLOADS_ROOT_ID,
    scope: 'VISITOR_UPLOADS_ROOT',
    name: 'Visitor Uploads',
    base: '/visitor-uploads',
  },
  trash: { root: TRASH_ROOT_ID, scope: 'TRASH_ROOT', name: 'Trash', base: '/trash' },
};

const ROOT_NAMES: Record<string, string> = {
  [MEDIA_ROOT_ID]: 'Site Files',
  [VISITOR_UPLOADS_ROOT_ID]: 'Visitor Uploads',
  [TRASH_ROOT_ID]: 'Trash',
};

export function rootFolderName(folderId: string): string | null {
  return ROOT_NAMES[folderId] ?? null;
}

export function isRootId(folderId: string): boolean {
  return folderId in ROOT_NAMES;
}

/** The area a root folder id belongs to. */
export function areaOfRoot(rootId: string): Area {
  if (rootId === VISITOR_UPLOADS_ROOT_ID) return 'visitor';
  if (rootId === TRASH_ROOT_ID) return 'trash';
  return 'files';
}

/** The URL of a folder in an area: the area's root is its base path (`/` for Site Files). */
export function folderPath(area: Area, folderId: string): string {
  const { root, base } = AREAS[area];
  if (folderId === root) return area === 'files' ? '/' : base;
  return `${base}/${encodeURIComponent(folderId)}`;
}
