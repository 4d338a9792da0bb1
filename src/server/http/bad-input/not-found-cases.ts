import { type Case, type Method } from '../../testing/bad-input.ts';

/** Unknown ids and unknown routes: 404 RESOURCE_NOT_FOUND. */
export const notFoundCases: Case[] = [];

const NOT_FOUND = { status: 404, code: 'RESOURCE_NOT_FOUND' };
notFoundCases.push(
  ['get folder: unknown id', () => ({ method: 'GET', url: '/folders/nope' }), NOT_FOUND],
  [
    'get folder: unknown id in ?folderId=',
    (f) => ({ method: 'GET', url: `/folders/${f.folderA.id}?folderId=nope` }),
    NOT_FOUND,
  ],
  ['list folders: unknown parent', () => ({ method: 'GET', url: '/folders?parentFolderId=nope' }), NOT_FOUND],
  ['list files: unknown parent', () => ({ method: 'GET', url: '/files?parentFolderId=nope' }), NOT_FOUND],
  [
    'list trash files: unknown parent',
    () => ({ method: 'GET', url: '/trash-bin/files?parentFolderId=nope' }),
    NOT_FOUND,
  ],
  [
    'list trash folders: unknown parent',
    () => ({ method: 'GET', url: '/trash-bin/folders?parentFolderId=nope' }),
    NOT_FOUND,
  ],
  [
    'create folder: unknown parent',
    () => ({ method: 'POST', url: '/folders', body: { displayName: 'x', parentFolderId: 'nope' } }),
    NOT_FOUND,
  ],
  [
    'rename folder: unknown id',
    () => ({ method: 'PATCH', url: '/folders/nope', body: { folder: { id: 'nope', displayName: 'x' } } }),
    NOT_FOUND,
  ],
  [
    'move folder: unknown parent',
    (f) => ({
      method: 'PATCH',
      url: `/folders/${f.folderA.id}`,
      body: { folder: { id: f.folderA.id, parentFolderId: 'nope' } },
    }),
    NOT_FOUND,
  ],
  [
    'delete folders: unknown id',
    () => ({ method: 'POST', url: '/bulk/folders/delete', body: { folderIds: ['nope'] } }),
    NOT_FOUND,
  ],
  [
    'delete folders: a known and an unknown id',
    (f) => ({
      method: 'POST',
      url: '/bulk/folders/delete',
      body: { folderIds: [f.folderB.id, 'nope'], permanent: true },
    }),
    NOT_FOUND,
  ],
  [
    'restore folders: unknown id',
    () => ({ method: 'POST', url: '/bulk/trash-bin/folders/restore', body: { folderIds: ['nope'] } }),
    NOT_FOUND,
  ],
  [
    'restore folders: a known and an unknown id',
    (f) => ({
      method: 'POST',
      url: '/bulk/trash-bin/folders/restore',
      body: { folderIds: [f.trashedFolder.id, 'nope'] },
    }),
    NOT_FOUND,
  ],
  ['get file: unknown id', () => ({ method: 'GET', url: '/files/get-file-by-id?fileId=nope' }), NOT_FOUND],
  [
    'get files: a known and an unknown id',
    (f) => ({ method: 'POST', url: '/files/get-files', body: { fileIds: [f.file1.id, 'nope'] } }),
    NOT_FOUND,
  ],
  [
    'update file: unknown id',
    () => ({
      method: 'PATCH',
      url: '/files/update-file-descriptor',
      body: { file: { id: 'nope', displayName: 'x' } },
    }),
    NOT_FOUND,
  ],
  [
    'move file: unknown parent',
    (f) => ({
      method: 'PATCH',
      url: '/files/update-file-descriptor',
      body: { file: { id: f.file1.id, parentFolderId: 'nope' } },
    }),
    NOT_FOUND,
  ],
  [
    'delete files: a known and an unknown id',
    (f) => ({
      method: 'POST',
      url: '/bulk/files/delete',
      body: { fileIds: [f.file1.id, 'nope'], permanent: true },
    }),
    NOT_FOUND,
  ],
  [
    'restore files: a known and an unknown id',
    (f) => ({
      method: 'POST',
      url: '/bulk/trash-bin/files/restore',
      body: { fileIds: [f.trashedFile.id, 'nope'] },
    }),
    NOT_FOUND,
  ],
  [
    'download url: unknown file',
    () => ({ method: 'POST', url: '/files/generate-file-download-url', body: { fileId: 'nope' } }),
    NOT_FOUND,
  ],
  [
    'upload url: unknown parent',
    () => ({
      method: 'POST',
      url: '/files/generate-upload-url',
      body: { mimeType: 'text/plain', fileName: 'a.txt', parentFolderId: 'nope' },
    }),
    NOT_FOUND,
  ],
  [
    'query files: unknown parentFolderId',
    () => ({ method: 'POST', url: '/files/query', body: { query: { filter: { parentFolderId: 'nope' } } } }),
    NOT_FOUND,
  ],
  [
    'query folders: unknown parentFolderId',
    () => ({
      method: 'POST',
      url: '/folders/query',
      body: { query: { filter: { parentFolderId: 'nope' } } },
    }),
    NOT_FOUND,
  ],
  [
    'get file: URI of an unknown id',
    () => ({
      method: 'GET',
      url: `/files/get-file-by-id?fileId=${encodeURIComponent('wix:image://v1/nope/x.png#originWidth=1')}`,
    }),
    NOT_FOUND,
  ],
);

// Unknown routes under the API prefix.
for (const [method, url] of [
  ['GET', '/nope'],
  ['GET', '/'],
  ['POST', '/files/nope'],
  ['DELETE', '/files'],
  ['PUT', '/folders'],
  ['DELETE', '/folders/media-root'],
  ['GET', '/files/get-file-by-id/extra'],
  ['GET', '//site-media/v2/files'],
  ['GET', '//site-media/v1'],
] as [Method, string][]) {
  notFoundCases.push([`unknown route ${method} ${url}`, () => ({ method, url }), NOT_FOUND]);
}
