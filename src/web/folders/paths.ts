import { ROOT_FOLDER_IDS } from './api/types';

/** The URL of a folder in Site Files: the root is `/`, any other folder `/files/<id>`. */
export function folderPath(folderId: string): string {
  return folderId === ROOT_FOLDER_IDS.media ? '/' : `/files/${encodeURIComponent(folderId)}`;
}

const ROOT_NAMES: Record<string, string> = {
  [ROOT_FOLDER_IDS.media]: 'Site Files',
  [ROOT_FOLDER_IDS.visitorUploads]: 'Visitor Uploads',
  [ROOT_FOLDER_IDS.trash]: 'Trash',
};

export function rootFolderName(folderId: string): string | null {
  return ROOT_NAMES[folderId] ?? null;
}
