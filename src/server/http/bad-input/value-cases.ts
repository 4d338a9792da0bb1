import { range, type Case } from '../../testing/bad-input.ts';

/** Values out of range: unknown enum values, over-limit arrays, over-long strings. */
export const valueCases: Case[] = [];

// Unknown enum values.
valueCases.push(
  [
    'search folders: rootFolder unknown',
    () => ({ method: 'POST', url: '/folders/search', body: { rootFolder: 'SITE_ROOT' } }),
    { field: 'rootFolder' },
  ],
  [
    'search files: rootFolder a folder id',
    () => ({ method: 'POST', url: '/files/search', body: { rootFolder: 'media-root' } }),
    { field: 'rootFolder' },
  ],
  [
    'search files: rootFolder lower case',
    () => ({ method: 'POST', url: '/files/search', body: { rootFolder: 'media_root' } }),
    { field: 'rootFolder' },
  ],
  [
    'search files: mediaTypes unknown',
    () => ({ method: 'POST', url: '/files/search', body: { mediaTypes: ['PICTURE'] } }),
    { field: /^mediaTypes/ },
  ],
  [
    'search files: mediaTypes a string',
    () => ({ method: 'POST', url: '/files/search', body: { mediaTypes: 'IMAGE' } }),
    { field: /^mediaTypes/ },
  ],
  [
    'list files: mediaTypes unknown',
    () => ({ method: 'GET', url: '/files?mediaTypes=IMAGE&mediaTypes=PICTURE' }),
    { field: /^mediaTypes/ },
  ],
  [
    'list trash files: mediaTypes lower case',
    () => ({ method: 'GET', url: '/trash-bin/files?mediaTypes=image' }),
    { field: /^mediaTypes/ },
  ],
  [
    'list files: sort.order unknown',
    () => ({ method: 'GET', url: '/files?sort.fieldName=displayName&sort.order=UP' }),
    { field: 'sort.order' },
  ],
  [
    'list folders: sort.order unknown',
    () => ({ method: 'GET', url: '/folders?sort.fieldName=displayName&sort.order=DOWN' }),
    { field: 'sort.order' },
  ],
  [
    'search files: sort.order lower case',
    () => ({
      method: 'POST',
      url: '/files/search',
      body: { sort: { fieldName: 'displayName', order: 'asc' } },
    }),
    { field: 'sort.order' },
  ],
  [
    'search folders: sort.order unknown',
    () => ({
      method: 'POST',
      url: '/folders/search',
      body: { sort: { fieldName: 'displayName', order: 'RANDOM' } },
    }),
    { field: 'sort.order' },
  ],
  [
    'query files: sort order unknown',
    () => ({
      method: 'POST',
      url: '/files/query',
      body: { query: { sort: [{ fieldName: 'displayName', order: 'SIDEWAYS' }] } },
    }),
    { field: 'query.sort[0].order' },
  ],
  [
    'list files: sort.fieldName unknown',
    () => ({ method: 'GET', url: '/files?sort.fieldName=color' }),
    { status: 400, code: 'UNSUPPORTED_SORT_VALUE' },
  ],
  [
    'list folders: sort.fieldName sizeInBytes',
    () => ({ method: 'GET', url: '/folders?sort.fieldName=sizeInBytes' }),
    { status: 400, code: 'UNSUPPORTED_SORT_VALUE' },
  ],
  [
    'query files: sort fieldName unknown',
    () => ({ method: 'POST', url: '/files/query', body: { query: { sort: [{ fieldName: 'mimeType' }] } } }),
    { status: 400, code: 'UNSUPPORTED_SORT_VALUE' },
  ],
  [
    'download url: contentDisposition unknown',
    (f) => ({
      method: 'POST',
      url: '/files/generate-file-download-url',
      body: { fileId: f.file1.id, contentDisposition: 'DOWNLOAD' },
    }),
    { field: 'contentDisposition' },
  ],
  [
    'download url: contentDisposition lower case',
    (f) => ({
      method: 'POST',
      url: '/files/generate-file-download-url',
      body: { fileId: f.file1.id, contentDisposition: 'inline' },
    }),
    { field: 'contentDisposition' },
  ],
  [
    'query files: state unknown',
    () => ({ method: 'POST', url: '/files/query', body: { query: { filter: { state: 'GONE' } } } }),
    { field: /^query\.filter\.state/ },
  ],
  [
    'query files: mediaType unknown',
    () => ({
      method: 'POST',
      url: '/files/query',
      body: { query: { filter: { mediaType: { $in: ['IMAGE', 'PICTURE'] } } } },
    }),
    { field: /^query\.filter\.mediaType/ },
  ],
  [
    'query folders: state unknown',
    () => ({ method: 'POST', url: '/folders/query', body: { query: { filter: { state: 'TRASHED' } } } }),
    { field: /^query\.filter\.state/ },
  ],
);

// Over-limit arrays.
valueCases.push(
  [
    'delete files: 1001 fileIds',
    () => ({ method: 'POST', url: '/bulk/files/delete', body: { fileIds: range(1001) } }),
    { field: 'fileIds' },
  ],
  [
    'restore files: 1001 fileIds',
    () => ({ method: 'POST', url: '/bulk/trash-bin/files/restore', body: { fileIds: range(1001) } }),
    { field: 'fileIds' },
  ],
  [
    'delete folders: 101 folderIds',
    () => ({ method: 'POST', url: '/bulk/folders/delete', body: { folderIds: range(101) } }),
    { field: 'folderIds' },
  ],
  [
    'restore folders: 101 folderIds',
    () => ({ method: 'POST', url: '/bulk/trash-bin/folders/restore', body: { folderIds: range(101) } }),
    { field: 'folderIds' },
  ],
  [
    'update file: 101 labels',
    (f) => ({
      method: 'PATCH',
      url: '/files/update-file-descriptor',
      body: { file: { id: f.file1.id, labels: range(101, 'l') } },
    }),
    { field: 'file.labels' },
  ],
  [
    'get-files: 101 fileIds',
    (f) => ({ method: 'POST', url: '/files/get-files', body: { fileIds: range(101).map(() => f.file1.id) } }),
    { field: 'fileIds' },
  ],
  [
    'search files: 21 mediaTypes',
    () => ({
      method: 'POST',
      url: '/files/search',
      body: { mediaTypes: Array.from({ length: 21 }, () => 'IMAGE') },
    }),
    { field: 'mediaTypes' },
  ],
  // At the limit but naming unknown items: 404, and nothing changes.
  [
    'delete files: 1000 unknown fileIds',
    () => ({ method: 'POST', url: '/bulk/files/delete', body: { fileIds: range(1000) } }),
    { status: 404, code: 'RESOURCE_NOT_FOUND' },
  ],
  [
    'delete folders: 100 unknown folderIds',
    () => ({ method: 'POST', url: '/bulk/folders/delete', body: { folderIds: range(100) } }),
    { status: 404, code: 'RESOURCE_NOT_FOUND' },
  ],
  [
    'get-files: 100 unknown fileIds',
    () => ({ method: 'POST', url: '/files/get-files', body: { fileIds: range(100) } }),
    { status: 404, code: 'RESOURCE_NOT_FOUND' },
  ],
);

// Over-long strings.
valueCases.push(
  [
    'create folder: displayName 1001',
    () => ({ method: 'POST', url: '/folders', body: { displayName: 'd'.repeat(1001) } }),
    { field: 'displayName' },
  ],
  [
    'create folder: displayName 1001 code points',
    () => ({ method: 'POST', url: '/folders', body: { displayName: '😀'.repeat(1001) } }),
    { field: 'displayName' },
  ],
  [
    'rename folder: displayName 1001',
    (f) => ({
      method: 'PATCH',
      url: `/folders/${f.folderA.id}`,
      body: { folder: { id: f.folderA.id, displayName: 'd'.repeat(1001) } },
    }),
    { field: 'folder.displayName' },
  ],
  [
    'rename file: displayName 256',
    (f) => ({
      method: 'PATCH',
      url: '/files/update-file-descriptor',
      body: { file: { id: f.file1.id, displayName: 'f'.repeat(256) } },
    }),
    { field: 'file.displayName' },
  ],
  [
    'rename file: label 201',
    (f) => ({
      method: 'PATCH',
      url: '/files/update-file-descriptor',
      body: { file: { id: f.file1.id, labels: ['l'.repeat(201)] } },
    }),
    { field: /^file\.labels/ },
  ],
  [
    'search files: search 201',
    () => ({ method: 'POST', url: '/files/search', body: { search: 's'.repeat(201) } }),
    { field: 'search' },
  ],
  [
    'search folders: search 201',
    () => ({ method: 'POST', url: '/folders/search', body: { search: 's'.repeat(201) } }),
    { field: 'search' },
  ],
  [
    'upload url: fileName 256',
    () => ({
      method: 'POST',
      url: '/files/generate-upload-url',
      body: { mimeType: 'text/plain', fileName: 'f'.repeat(256) },
    }),
    { field: 'fileName' },
  ],
  [
    'download url: downloadFileName 256',
    (f) => ({
      method: 'POST',
      url: '/files/generate-file-download-url',
      body: { fileId: f.file1.id, downloadFileName: 'f'.repeat(256) },
    }),
    { field: 'downloadFileName' },
  ],
  [
    'delete folders: id of 201 chars',
    () => ({ method: 'POST', url: '/bulk/folders/delete', body: { folderIds: ['x'.repeat(201)] } }),
    { field: /^folderIds/ },
  ],
  [
    'list folders: parentFolderId of 201 chars',
    () => ({ method: 'GET', url: `/folders?parentFolderId=${'x'.repeat(201)}` }),
    { field: 'parentFolderId' },
  ],
  [
    'list files: parentFolderId of 201 chars',
    () => ({ method: 'GET', url: `/files?parentFolderId=${'x'.repeat(201)}` }),
    { field: 'parentFolderId' },
  ],
);
