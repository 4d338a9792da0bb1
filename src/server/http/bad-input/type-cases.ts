import { type Case } from '../../testing/bad-input.ts';

/** Fields of the wrong type, missing or empty. */
export const typeCases: Case[] = [];

// Wrong types.
typeCases.push(
  [
    'create folder: displayName missing',
    () => ({ method: 'POST', url: '/folders', body: {} }),
    { field: 'displayName' },
  ],
  [
    'create folder: displayName a number',
    () => ({ method: 'POST', url: '/folders', body: { displayName: 123 } }),
    { field: 'displayName' },
  ],
  [
    'create folder: displayName null',
    () => ({ method: 'POST', url: '/folders', body: { displayName: null } }),
    { field: 'displayName' },
  ],
  [
    'create folder: parentFolderId a number',
    () => ({ method: 'POST', url: '/folders', body: { displayName: 'x', parentFolderId: 5 } }),
    { field: 'parentFolderId' },
  ],
  [
    'update folder: folder a string',
    (f) => ({ method: 'PATCH', url: `/folders/${f.folderA.id}`, body: { folder: 'x' } }),
    { field: 'folder' },
  ],
  [
    'update folder: folder missing',
    (f) => ({ method: 'PATCH', url: `/folders/${f.folderA.id}`, body: {} }),
    { field: 'folder' },
  ],
  [
    'update folder: displayName a number',
    (f) => ({
      method: 'PATCH',
      url: `/folders/${f.folderA.id}`,
      body: { folder: { id: f.folderA.id, displayName: 5 } },
    }),
    { field: 'folder.displayName' },
  ],
  [
    'update folder: id in body differs from the path',
    (f) => ({
      method: 'PATCH',
      url: `/folders/${f.folderA.id}`,
      body: { folder: { id: f.folderB.id, displayName: 'x' } },
    }),
    { field: 'folder.id' },
  ],
  [
    'update file: file missing',
    () => ({ method: 'PATCH', url: '/files/update-file-descriptor', body: {} }),
    { field: 'file' },
  ],
  [
    'update file: id missing',
    () => ({ method: 'PATCH', url: '/files/update-file-descriptor', body: { file: { displayName: 'x' } } }),
    { field: 'file.id' },
  ],
  [
    'update file: labels a string',
    (f) => ({
      method: 'PATCH',
      url: '/files/update-file-descriptor',
      body: { file: { id: f.file1.id, labels: 'a' } },
    }),
    { field: 'file.labels' },
  ],
  [
    'update file: labels of numbers',
    (f) => ({
      method: 'PATCH',
      url: '/files/update-file-descriptor',
      body: { file: { id: f.file1.id, labels: [1, 2] } },
    }),
    { field: /^file\.labels/ },
  ],
  [
    'update file: parentFolderId an array',
    (f) => ({
      method: 'PATCH',
      url: '/files/update-file-descriptor',
      body: { file: { id: f.file1.id, parentFolderId: ['x'] } },
    }),
    { field: 'file.parentFolderId' },
  ],
  [
    'get-files: fileIds a string',
    () => ({ method: 'POST', url: '/files/get-files', body: { fileIds: 'abc' } }),
    { field: 'fileIds' },
  ],
  [
    'get-files: fileIds empty',
    () => ({ method: 'POST', url: '/files/get-files', body: { fileIds: [] } }),
    { field: 'fileIds' },
  ],
  [
    'get-files: fileIds of numbers',
    () => ({ method: 'POST', url: '/files/get-files', body: { fileIds: [1] } }),
    { field: /^fileIds/ },
  ],
  [
    'get-files: fileIds missing',
    () => ({ method: 'POST', url: '/files/get-files', body: {} }),
    { field: 'fileIds' },
  ],
  [
    'delete files: permanent a word',
    (f) => ({ method: 'POST', url: '/bulk/files/delete', body: { fileIds: [f.file1.id], permanent: 'yes' } }),
    { field: 'permanent' },
  ],
  [
    'delete files: fileIds empty',
    () => ({ method: 'POST', url: '/bulk/files/delete', body: { fileIds: [] } }),
    { field: 'fileIds' },
  ],
  [
    'delete folders: folderIds a string',
    () => ({ method: 'POST', url: '/bulk/folders/delete', body: { folderIds: 'x' } }),
    { field: 'folderIds' },
  ],
  [
    'delete folders: folderIds empty',
    () => ({ method: 'POST', url: '/bulk/folders/delete', body: { folderIds: [] } }),
    { field: 'folderIds' },
  ],
  [
    'restore folders: folderIds missing',
    () => ({ method: 'POST', url: '/bulk/trash-bin/folders/restore', body: {} }),
    { field: 'folderIds' },
  ],
  [
    'restore files: fileIds of objects',
    () => ({ method: 'POST', url: '/bulk/trash-bin/files/restore', body: { fileIds: [{}] } }),
    { field: /^fileIds/ },
  ],
  [
    'search files: search a number',
    () => ({ method: 'POST', url: '/files/search', body: { search: 5 } }),
    { field: 'search' },
  ],
  [
    'search files: private a word',
    () => ({ method: 'POST', url: '/files/search', body: { private: 'maybe' } }),
    { field: 'private' },
  ],
  [
    'search files: paging a string',
    () => ({ method: 'POST', url: '/files/search', body: { paging: 'next' } }),
    { field: 'paging' },
  ],
  [
    'search folders: sort a string',
    () => ({ method: 'POST', url: '/folders/search', body: { sort: 'displayName' } }),
    { field: 'sort' },
  ],
  [
    'list files: private a word',
    () => ({ method: 'GET', url: '/files?private=maybe' }),
    { field: 'private' },
  ],
  [
    'list files: paging.limit twice',
    () => ({ method: 'GET', url: '/files?paging.limit=1&paging.limit=2' }),
    { field: 'paging.limit' },
  ],
  ['get file: fileId missing', () => ({ method: 'GET', url: '/files/get-file-by-id' }), { field: 'fileId' }],
  [
    'get file: fileId empty',
    () => ({ method: 'GET', url: '/files/get-file-by-id?fileId=' }),
    { field: 'fileId' },
  ],
  [
    'download url: fileId a number',
    () => ({ method: 'POST', url: '/files/generate-file-download-url', body: { fileId: 5 } }),
    { field: 'fileId' },
  ],
  [
    'download url: assetKeys a string',
    (f) => ({
      method: 'POST',
      url: '/files/generate-file-download-url',
      body: { fileId: f.file1.id, assetKeys: 'src' },
    }),
    { field: 'assetKeys' },
  ],
  [
    'upload url: private a word',
    () => ({
      method: 'POST',
      url: '/files/generate-upload-url',
      body: { mimeType: 'text/plain', fileName: 'a', private: 'no' },
    }),
    { field: 'private' },
  ],
  [
    'upload url: sizeInBytes a word',
    () => ({
      method: 'POST',
      url: '/files/generate-upload-url',
      body: { mimeType: 'text/plain', fileName: 'a', sizeInBytes: 'ten' },
    }),
    { field: 'sizeInBytes' },
  ],
  [
    'upload url: sizeInBytes negative',
    () => ({
      method: 'POST',
      url: '/files/generate-upload-url',
      body: { mimeType: 'text/plain', fileName: 'a', sizeInBytes: -1 },
    }),
    { field: 'sizeInBytes' },
  ],
  [
    'upload url: labels a string',
    () => ({
      method: 'POST',
      url: '/files/generate-upload-url',
      body: { mimeType: 'text/plain', fileName: 'a', labels: 'a' },
    }),
    { field: 'labels' },
  ],
  [
    'query files: query a string',
    () => ({ method: 'POST', url: '/files/query', body: { query: 'x' } }),
    { field: 'query' },
  ],
  [
    'query files: filter private a string',
    () => ({ method: 'POST', url: '/files/query', body: { query: { filter: { private: 'yes' } } } }),
    { field: /^query\.filter\.private/ },
  ],
  [
    'query files: filter an array',
    () => ({ method: 'POST', url: '/files/query', body: { query: { filter: [] } } }),
    { field: /^query\.filter/ },
  ],
  [
    'query files: $in not an array',
    () => ({
      method: 'POST',
      url: '/files/query',
      body: { query: { filter: { mediaType: { $in: 'IMAGE' } } } },
    }),
    { field: /^query\.filter\.mediaType/ },
  ],
  [
    'query files: unknown filter field',
    () => ({ method: 'POST', url: '/files/query', body: { query: { filter: { color: 'red' } } } }),
    { field: /^query\.filter\.color/ },
  ],
  [
    'query files: unsupported operator',
    () => ({
      method: 'POST',
      url: '/files/query',
      body: { query: { filter: { $or: [{ private: true }] } } },
    }),
    { field: /^query\.filter/ },
  ],
  [
    'query files: unsupported condition',
    () => ({ method: 'POST', url: '/files/query', body: { query: { filter: { private: { $ne: true } } } } }),
    { field: /^query\.filter\.private/ },
  ],
  [
    'query files: a field given twice',
    () => ({
      method: 'POST',
      url: '/files/query',
      body: { query: { filter: { $and: [{ private: true }, { private: false }] } } },
    }),
    { field: /^query\.filter\.private/ },
  ],
  [
    'query files: sort not an array',
    () => ({ method: 'POST', url: '/files/query', body: { query: { sort: { fieldName: 'displayName' } } } }),
    { field: /^query\.sort/ },
  ],
  [
    'query folders: filter by mediaType',
    () => ({ method: 'POST', url: '/folders/query', body: { query: { filter: { mediaType: 'IMAGE' } } } }),
    { field: /^query\.filter\.mediaType/ },
  ],
);
