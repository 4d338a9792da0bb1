import { type Case } from '../../testing/bad-input.ts';

/** Impossible moves and states, and the root folders (never renamed, moved or deleted). */
export const moveCases: Case[] = [];

// Impossible moves and states.
moveCases.push(
  [
    'move folder: into itself',
    (f) => ({
      method: 'PATCH',
      url: `/folders/${f.folderA.id}`,
      body: { folder: { id: f.folderA.id, parentFolderId: f.folderA.id } },
    }),
    { field: 'folder.parentFolderId' },
  ],
  [
    'move folder: into its own sub-folder',
    (f) => ({
      method: 'PATCH',
      url: `/folders/${f.folderA.id}`,
      body: { folder: { id: f.folderA.id, parentFolderId: f.folderB.id } },
    }),
    { field: 'folder.parentFolderId' },
  ],
  [
    'move folder: into the trash root',
    (f) => ({
      method: 'PATCH',
      url: `/folders/${f.folderA.id}`,
      body: { folder: { id: f.folderA.id, parentFolderId: 'trash-root' } },
    }),
    { field: 'folder.parentFolderId' },
  ],
  [
    'move folder: into a trashed folder',
    (f) => ({
      method: 'PATCH',
      url: `/folders/${f.folderA.id}`,
      body: { folder: { id: f.folderA.id, parentFolderId: f.trashedFolder.id } },
    }),
    {},
  ],
  [
    'move file: into the trash root',
    (f) => ({
      method: 'PATCH',
      url: '/files/update-file-descriptor',
      body: { file: { id: f.file1.id, parentFolderId: 'trash-root' } },
    }),
    { field: 'file.parentFolderId' },
  ],
  [
    'move file: into a trashed folder',
    (f) => ({
      method: 'PATCH',
      url: '/files/update-file-descriptor',
      body: { file: { id: f.file1.id, parentFolderId: f.trashedFolder.id } },
    }),
    {},
  ],
  [
    'create folder: in the trash root',
    () => ({ method: 'POST', url: '/folders', body: { displayName: 'x', parentFolderId: 'trash-root' } }),
    { field: 'parentFolderId' },
  ],
  [
    'create folder: in a trashed folder',
    (f) => ({
      method: 'POST',
      url: '/folders',
      body: { displayName: 'x', parentFolderId: f.trashedFolder.id },
    }),
    {},
  ],
  [
    'rename folder: a trashed folder',
    (f) => ({
      method: 'PATCH',
      url: `/folders/${f.trashedFolder.id}`,
      body: { folder: { displayName: 'x' } },
    }),
    {},
  ],
  [
    'rename file: a trashed file',
    (f) => ({
      method: 'PATCH',
      url: '/files/update-file-descriptor',
      body: { file: { id: f.trashedFile.id, displayName: 'x.txt' } },
    }),
    {},
  ],
  [
    'list files: the trash root as a folder',
    () => ({ method: 'GET', url: '/files?parentFolderId=trash-root' }),
    { field: 'parentFolderId' },
  ],
);

// Root folders: never renamed, moved or deleted.
for (const root of ['media-root', 'visitor-uploads', 'trash-root']) {
  moveCases.push(
    [
      `rename root ${root}`,
      () => ({
        method: 'PATCH',
        url: `/folders/${root}`,
        body: { folder: { id: root, displayName: 'Renamed' } },
      }),
      { status: 403 },
    ],
    [
      `rename root ${root} (id only in the path)`,
      () => ({ method: 'PATCH', url: `/folders/${root}`, body: { folder: { displayName: 'Renamed' } } }),
      { status: 403 },
    ],
    [
      `rename root ${root} (SDK style: path "undefined")`,
      () => ({
        method: 'PATCH',
        url: '/folders/undefined',
        body: { folder: { id: root, displayName: 'Renamed' } },
      }),
      { status: 403 },
    ],
    [
      `move root ${root}`,
      (f) => ({
        method: 'PATCH',
        url: `/folders/${root}`,
        body: { folder: { id: root, parentFolderId: f.folderA.id } },
      }),
      { status: 403 },
    ],
    [
      `delete root ${root}`,
      () => ({ method: 'POST', url: '/bulk/folders/delete', body: { folderIds: [root] } }),
      { status: 403 },
    ],
    [
      `delete root ${root} permanently`,
      () => ({ method: 'POST', url: '/bulk/folders/delete', body: { folderIds: [root], permanent: true } }),
      { status: 403 },
    ],
    [
      `delete root ${root} along with a folder`,
      (f) => ({
        method: 'POST',
        url: '/bulk/folders/delete',
        body: { folderIds: [f.folderB.id, root], permanent: true },
      }),
      { status: 403 },
    ],
    [
      `restore root ${root}`,
      () => ({ method: 'POST', url: '/bulk/trash-bin/folders/restore', body: { folderIds: [root] } }),
      { status: 403 },
    ],
  );
}
