import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApplicationErrorBody,
  FileDescriptor,
  Folder,
  ListFilesResponse,
  ListFoldersResponse,
  ValidationErrorBody,
} from '../../contract/index.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';
import { storedBlobs, waitFor } from '../testing/helpers.ts';

// ---- helpers ---------------------------------------------------------------------------------------------

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface Request {
  method: Method;
  /** Under /site-media/v1 unless it starts with `//` (then taken as is, minus one slash). */
  url: string;
  /** JSON-encoded unless `raw` is set. */
  body?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

interface Expected {
  /** Exact status; any 4xx when absent. */
  status?: number;
  /** A fieldViolation whose `field` equals this (or matches it). */
  field?: string | RegExp;
  /** The applicationError code. */
  code?: string;
}

interface Fixture {
  folderA: Folder;
  folderB: Folder;
  trashedFolder: Folder;
  file1: FileDescriptor;
  file2: FileDescriptor;
  trashedFile: FileDescriptor;
}

type Case = [name: string, request: (f: Fixture) => Request, expected: Expected];

function send(t: TestApp, request: Request): Promise<LightMyRequestResponse> {
  const url = request.url.startsWith('//') ? request.url.slice(1) : `/site-media/v1${request.url}`;
  const options: InjectOptions = {
    method: request.method,
    url,
    headers: { authorization: TEST_API_KEY, ...request.headers },
  };
  if (request.raw !== undefined) {
    options.payload = request.raw;
  } else if (request.body !== undefined) {
    options.payload = JSON.stringify(request.body);
    options.headers = { 'content-type': 'application/json', ...options.headers };
  }
  return t.app.inject(options);
}

/** A 4xx in the contract's error shape, with the expected status, field or code. */
function expectContractError(response: LightMyRequestResponse, expected: Expected): void {
  const context = `${response.statusCode} ${response.body.slice(0, 500)}`;
  if (expected.status !== undefined) expect(response.statusCode, context).toBe(expected.status);
  expect(response.statusCode, context).toBeGreaterThanOrEqual(400);
  expect(response.statusCode, context).toBeLessThan(500);
  expect(String(response.headers['content-type']), context).toMatch(/^application\/json/);
  const body = response.json<Partial<ApplicationErrorBody & ValidationErrorBody>>();
  expect(typeof body.message, context).toBe('string');
  const details = (body.details ?? {}) as Partial<
    ApplicationErrorBody['details'] & ValidationErrorBody['details']
  >;
  const app = details.applicationError;
  const violations = details.validationError?.fieldViolations;
  if (app) {
    expect(typeof app.code, context).toBe('string');
    expect(app.code.length, context).toBeGreaterThan(0);
  } else {
    expect(Array.isArray(violations), context).toBe(true);
    expect(violations!.length, context).toBeGreaterThan(0);
    for (const v of violations!) {
      expect(typeof v.field, context).toBe('string');
      expect(typeof v.description, context).toBe('string');
    }
  }
  if (expected.field !== undefined) {
    expect(response.statusCode, context).toBe(400);
    expect(violations, context).toBeDefined();
    const fields = violations!.map((v) => v.field);
    const wanted = expected.field;
    expect(
      fields.some((f) => (typeof wanted === 'string' ? f === wanted : wanted.test(f))),
      `${String(wanted)} in ${JSON.stringify(fields)}`,
    ).toBe(true);
  }
  if (expected.code !== undefined) {
    expect(app?.code, context).toBe(expected.code);
  }
}

/** Everything a client can see: every folder and file of every root, and the stored blobs. */
async function snapshot(t: TestApp) {
  const out: Record<string, unknown> = {};
  for (const rootFolder of ['MEDIA_ROOT', 'VISITOR_UPLOADS_ROOT', 'TRASH_ROOT']) {
    out[`folders ${rootFolder}`] = (
      await t.ok<ListFoldersResponse>('POST', '/folders/search', { rootFolder, paging: { limit: 100 } })
    ).folders;
    out[`files ${rootFolder}`] = (
      await t.ok<ListFilesResponse>('POST', '/files/search', { rootFolder, paging: { limit: 100 } })
    ).files;
  }
  out.blobs = (await storedBlobs(t)).sort();
  return out;
}

const range = (n: number, prefix = 'id') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

// ---- the table -------------------------------------------------------------------------------------------

/** Endpoints that take a JSON object body, with a body they would accept. */
const JSON_ENDPOINTS: [Method, string, (f: Fixture) => unknown][] = [
  ['POST', '/folders', () => ({ displayName: 'x' })],
  ['POST', '/folders/search', () => ({})],
  ['PATCH', '/folders/:A', (f) => ({ folder: { id: f.folderA.id, displayName: 'x' } })],
  ['POST', '/bulk/folders/delete', (f) => ({ folderIds: [f.folderB.id] })],
  ['POST', '/bulk/trash-bin/folders/restore', (f) => ({ folderIds: [f.trashedFolder.id] })],
  ['POST', '/folders/query', () => ({ query: {} })],
  ['POST', '/files/generate-upload-url', () => ({ mimeType: 'text/plain', fileName: 'a.txt' })],
  ['POST', '/files/get-files', (f) => ({ fileIds: [f.file1.id] })],
  ['PATCH', '/files/update-file-descriptor', (f) => ({ file: { id: f.file1.id, displayName: 'x.txt' } })],
  ['POST', '/files/search', () => ({})],
  ['POST', '/files/query', () => ({ query: {} })],
  ['POST', '/files/generate-file-download-url', (f) => ({ fileId: f.file1.id })],
  ['POST', '/bulk/files/delete', (f) => ({ fileIds: [f.file1.id] })],
  ['POST', '/bulk/trash-bin/files/restore', (f) => ({ fileIds: [f.trashedFile.id] })],
];

function urlOf(template: string, f: Fixture): string {
  return template.replace(':A', f.folderA.id);
}

const cases: Case[] = [];

// Malformed and non-object bodies, wrong content types, oversized bodies: every JSON endpoint.
for (const [method, template, good] of JSON_ENDPOINTS) {
  const at = `${method} ${template}`;
  const json = { 'content-type': 'application/json' };
  cases.push(
    [
      `${at}: malformed JSON`,
      (f) => ({ method, url: urlOf(template, f), raw: '{"a": ', headers: json }),
      { status: 400 },
    ],
    [
      `${at}: trailing garbage`,
      (f) => ({ method, url: urlOf(template, f), raw: '{} {}', headers: json }),
      { status: 400 },
    ],
    [
      `${at}: empty JSON body`,
      (f) => ({ method, url: urlOf(template, f), raw: '', headers: json }),
      { status: 400 },
    ],
    [`${at}: array body`, (f) => ({ method, url: urlOf(template, f), body: [good(f)] }), { status: 400 }],
    [`${at}: string body`, (f) => ({ method, url: urlOf(template, f), body: 'hello' }), { status: 400 }],
    [`${at}: number body`, (f) => ({ method, url: urlOf(template, f), body: 42 }), { status: 400 }],
    [
      `${at}: __proto__ in the body`,
      (f) => ({
        method,
        url: urlOf(template, f),
        raw: JSON.stringify(good(f)).replace(/^\{/, '{"__proto__": {"polluted": true},'),
        headers: json,
      }),
      {},
    ],
    [
      `${at}: text/plain content type`,
      (f) => ({
        method,
        url: urlOf(template, f),
        raw: JSON.stringify(good(f)),
        headers: { 'content-type': 'text/plain' },
      }),
      // Fastify reads text/plain as a string: 400 (not an object) or 415 are both fine.
      {},
    ],
    [
      `${at}: form content type`,
      (f) => ({
        method,
        url: urlOf(template, f),
        raw: 'displayName=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      { status: 415 },
    ],
    [
      `${at}: body over 1 MiB`,
      (f) => ({
        method,
        url: urlOf(template, f),
        body: { ...(good(f) as object), padding: 'p'.repeat(1024 * 1024 + 1) },
      }),
      { status: 413 },
    ],
  );
}

// Wrong types.
cases.push(
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

// Unknown enum values.
cases.push(
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
cases.push(
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
cases.push(
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

// Bad names: for folders (create, rename) and files (rename, upload).
const BAD_NAMES: [string, string][] = [
  ['empty', ''],
  ['NUL', 'a\u0000b'],
  ['BEL', 'a\u0007b'],
  ['newline', 'a\nb'],
  ['tab inside', 'a\tb'],
  ['DEL', 'a\u007fb'],
  ['C1 control', 'a\u0085b'],
  ['line separator', 'a\u2028b'],
  ['slash', 'a/b'],
  ['backslash', 'a\\b'],
  ['dot', '.'],
  ['dot dot', '..'],
  ['leading space', ' a'],
  ['trailing space', 'a '],
  ['only spaces', '   '],
  ['leading tab', '\ta'],
];
for (const [what, name] of BAD_NAMES) {
  cases.push(
    [
      `create folder: name with ${what}`,
      () => ({ method: 'POST', url: '/folders', body: { displayName: name } }),
      { field: 'displayName' },
    ],
    [
      `rename folder: name with ${what}`,
      (f) => ({
        method: 'PATCH',
        url: `/folders/${f.folderA.id}`,
        body: { folder: { id: f.folderA.id, displayName: name } },
      }),
      { field: 'folder.displayName' },
    ],
    [
      `rename file: name with ${what}`,
      (f) => ({
        method: 'PATCH',
        url: '/files/update-file-descriptor',
        body: { file: { id: f.file1.id, displayName: name } },
      }),
      { field: 'file.displayName' },
    ],
    [
      `upload url: fileName with ${what}`,
      () => ({
        method: 'POST',
        url: '/files/generate-upload-url',
        body: { mimeType: 'text/plain', fileName: name },
      }),
      { field: 'fileName' },
    ],
  );
}
for (const [what, label] of [
  ['NUL', 'a\u0000b'],
  ['newline', 'a\nb'],
  ['only spaces', '  '],
  ['empty', ''],
]) {
  cases.push([
    `update file: label with ${what}`,
    (f) => ({
      method: 'PATCH',
      url: '/files/update-file-descriptor',
      body: { file: { id: f.file1.id, labels: ['ok', label] } },
    }),
    { field: /^file\.labels/ },
  ]);
}

// Paging.
for (const limit of ['0', '101', 'abc', '-1', '1.5', '']) {
  for (const url of ['/files', '/folders', '/trash-bin/files', '/trash-bin/folders']) {
    cases.push([
      `GET ${url}: paging.limit=${limit}`,
      () => ({ method: 'GET', url: `${url}?paging.limit=${limit}` }),
      { field: 'paging.limit' },
    ]);
  }
}
for (const limit of [0, 101, 'abc', -1, 1.5, null]) {
  cases.push(
    [
      `search files: paging.limit ${String(limit)}`,
      () => ({ method: 'POST', url: '/files/search', body: { paging: { limit } } }),
      { field: 'paging.limit' },
    ],
    [
      `search folders: paging.limit ${String(limit)}`,
      () => ({ method: 'POST', url: '/folders/search', body: { paging: { limit } } }),
      { field: 'paging.limit' },
    ],
    [
      `query files: cursorPaging.limit ${String(limit)}`,
      () => ({ method: 'POST', url: '/files/query', body: { query: { cursorPaging: { limit } } } }),
      { field: 'query.cursorPaging.limit' },
    ],
    [
      `query folders: cursorPaging.limit ${String(limit)}`,
      () => ({ method: 'POST', url: '/folders/query', body: { query: { cursorPaging: { limit } } } }),
      { field: 'query.cursorPaging.limit' },
    ],
  );
}

// Garbage cursors.
const GARBAGE_CURSORS: [string, string][] = [
  ['a word', 'abc'],
  ['two parts', 'abc.def'],
  ['three parts', 'a.b.c'],
  ['punctuation', '!!!'],
  ['unsigned JSON', `${Buffer.from('{"listing":"files.list"}').toString('base64url')}.`],
  [
    'a forged signature',
    `${Buffer.from('{"listing":"files.list","filter":{},"sort":{"fieldName":"displayName","order":"ASC"},"position":["a","b"]}').toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`,
  ],
  ['too long', 'c'.repeat(2001)],
];
for (const [what, cursor] of GARBAGE_CURSORS) {
  const q = encodeURIComponent(cursor);
  cases.push(
    [
      `list files: cursor ${what}`,
      () => ({ method: 'GET', url: `/files?paging.cursor=${q}` }),
      { field: 'paging.cursor' },
    ],
    [
      `list folders: cursor ${what}`,
      () => ({ method: 'GET', url: `/folders?paging.cursor=${q}` }),
      { field: 'paging.cursor' },
    ],
    [
      `list trash files: cursor ${what}`,
      () => ({ method: 'GET', url: `/trash-bin/files?paging.cursor=${q}` }),
      { field: 'paging.cursor' },
    ],
    [
      `search files: cursor ${what}`,
      () => ({ method: 'POST', url: '/files/search', body: { paging: { cursor } } }),
      { field: 'paging.cursor' },
    ],
    [
      `search folders: cursor ${what}`,
      () => ({ method: 'POST', url: '/folders/search', body: { paging: { cursor } } }),
      { field: 'paging.cursor' },
    ],
    [
      `query files: cursor ${what}`,
      () => ({ method: 'POST', url: '/files/query', body: { query: { cursorPaging: { cursor } } } }),
      { field: 'query.cursorPaging.cursor' },
    ],
  );
}
cases.push([
  'search files: cursor a number',
  () => ({ method: 'POST', url: '/files/search', body: { paging: { cursor: 5 } } }),
  { field: 'paging.cursor' },
]);

// Unknown ids: 404 RESOURCE_NOT_FOUND.
const NOT_FOUND = { status: 404, code: 'RESOURCE_NOT_FOUND' };
cases.push(
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

// Impossible moves and states.
cases.push(
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
  cases.push(
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
  cases.push([`unknown route ${method} ${url}`, () => ({ method, url }), NOT_FOUND]);
}

// ---- tests -----------------------------------------------------------------------------------------------

describe('bad input never changes anything and always answers a contract-shaped 4xx', () => {
  let t: TestApp;
  let fixture: Fixture;
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    t = await createTestApp();
    const folderA = await t.createFolder('Alpha');
    const folderB = await t.createFolder('Beta', folderA.id);
    await t.createFolder('Gamma');
    const trashedFolder = await t.createFolder('Trashed');
    const file1 = (await t.upload('one', { fileName: 'one.txt' })) as FileDescriptor;
    await t.upload('three', { fileName: 'three.txt' });
    const file2 = (await t.upload('two', {
      fileName: 'two.png',
      mimeType: 'image/png',
      parentFolderId: folderA.id,
    })) as FileDescriptor;
    await t.upload('inside trashed', { fileName: 'inside.txt', parentFolderId: trashedFolder.id });
    const trashedFile = (await t.upload('gone', { fileName: 'gone.txt', labels: ['old'] })) as FileDescriptor;
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [trashedFolder.id] });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [trashedFile.id] });
    // The (bogus) PNG is processed in the background: let that end before the state is taken.
    await waitFor(
      async () =>
        (await t.ok<{ file: FileDescriptor }>('GET', `/files/get-file-by-id?fileId=${file2.id}`)).file
          .operationStatus !== 'PENDING',
      'the PNG processed',
    );
    fixture = {
      folderA: folderA as unknown as Folder,
      folderB: folderB as unknown as Folder,
      trashedFolder: trashedFolder as unknown as Folder,
      file1,
      file2,
      trashedFile,
    };
    before = await snapshot(t);
  });

  afterAll(async () => {
    await t.close();
  });

  it('has a sensible table', () => {
    expect(cases.length).toBeGreaterThan(300);
    expect(new Set(cases.map(([name]) => name)).size).toBe(cases.length);
  });

  it.each(cases)('%s', async (_name, request, expected) => {
    const response = await send(t, request(fixture));
    expectContractError(response, expected);
    expect(await snapshot(t)).toEqual(before);
  });

  it('a cursor from another listing is refused, naming the cursor field', async () => {
    const files = await t.ok<ListFilesResponse>('GET', '/files?paging.limit=1');
    const fileCursor = files.nextCursor.cursors.next;
    expect(fileCursor).toBeTruthy();
    const folders = await t.ok<ListFoldersResponse>('GET', '/folders?paging.limit=1');
    const folderCursor = folders.nextCursor.cursors.next;
    expect(folderCursor).toBeTruthy();
    const search = await t.ok<ListFilesResponse>('POST', '/files/search', { paging: { limit: 1 } });
    const searchCursor = search.nextCursor.cursors.next;
    expect(searchCursor).toBeTruthy();

    const uses: [Request, string][] = [
      [{ method: 'POST', url: '/files/search', body: { paging: { cursor: fileCursor } } }, 'paging.cursor'],
      [{ method: 'GET', url: `/files?paging.cursor=${encodeURIComponent(searchCursor!)}` }, 'paging.cursor'],
      [
        { method: 'GET', url: `/trash-bin/files?paging.cursor=${encodeURIComponent(fileCursor!)}` },
        'paging.cursor',
      ],
      [{ method: 'GET', url: `/files?paging.cursor=${encodeURIComponent(folderCursor!)}` }, 'paging.cursor'],
      [{ method: 'GET', url: `/folders?paging.cursor=${encodeURIComponent(fileCursor!)}` }, 'paging.cursor'],
      [
        { method: 'POST', url: '/folders/search', body: { paging: { cursor: folderCursor } } },
        'paging.cursor',
      ],
      [
        { method: 'POST', url: '/files/query', body: { query: { cursorPaging: { cursor: fileCursor } } } },
        'query.cursorPaging.cursor',
      ],
      [
        {
          method: 'POST',
          url: '/folders/query',
          body: { query: { cursorPaging: { cursor: folderCursor } } },
        },
        'query.cursorPaging.cursor',
      ],
    ];
    for (const [request, field] of uses) {
      expectContractError(await send(t, request), { field });
    }
    // The cursor still works where it belongs.
    const next = await t.ok<ListFilesResponse>(
      'GET',
      `/files?paging.cursor=${encodeURIComponent(fileCursor!)}`,
    );
    expect(next.files.length).toBe(1);
    expect(next.files[0]!.id).not.toBe(files.files[0]!.id);
    expect(await snapshot(t)).toEqual(before);
  });

  it('a cursor signed by another server is refused', async () => {
    const other = await createTestApp();
    try {
      await other.upload('a', { fileName: 'a.txt' });
      await other.upload('b', { fileName: 'b.txt' });
      const cursor = (await other.ok<ListFilesResponse>('GET', '/files?paging.limit=1')).nextCursor.cursors
        .next;
      expect(cursor).toBeTruthy();
      expectContractError(
        await send(t, { method: 'GET', url: `/files?paging.cursor=${encodeURIComponent(cursor!)}` }),
        {
          field: 'paging.cursor',
        },
      );
    } finally {
      await other.close();
    }
  });

  // Guards the query filter's nesting bound: deeply nested `$and` is refused, not a stack overflow (500).
  it('deeply nested $and in a query filter is a 4xx, not a crash', async () => {
    const depth = 50_000;
    const filter = `${'{"$and":['.repeat(depth)}{"private":false}${']}'.repeat(depth)}`;
    const raw = `{"query":{"filter":${filter}}}`;
    expect(raw.length).toBeLessThan(1024 * 1024);
    const response = await send(t, {
      method: 'POST',
      url: '/files/query',
      raw,
      headers: { 'content-type': 'application/json' },
    });
    expectContractError(response, {});
    expect(await snapshot(t)).toEqual(before);
  });

  it('the limits themselves are accepted (1000-character folder name, 255-character file name, 200-character search)', async () => {
    const folder = await t.ok<{ folder: Folder }>('POST', '/folders', { displayName: 'd'.repeat(1000) });
    expect(folder.folder.displayName.length).toBe(1000);
    const file = await t.ok<{ file: FileDescriptor }>('PATCH', '/files/update-file-descriptor', {
      file: { id: fixture.file2.id, displayName: `${'f'.repeat(251)}.png`, labels: range(100, 'l') },
    });
    expect(file.file.displayName.length).toBe(255);
    expect(file.file.labels.length).toBe(100);
    await t.ok('POST', '/files/search', { search: 's'.repeat(200), paging: { limit: 100 } });
    await t.ok('GET', '/files?paging.limit=100');
    await t.ok('GET', '/folders?paging.limit=1');
    // Undo, so later tests see the fixture as it was.
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.folder.id], permanent: true });
    await t.ok('PATCH', '/files/update-file-descriptor', {
      file: { id: fixture.file2.id, displayName: 'two.png', labels: [] },
    });
    before = await snapshot(t);
  });

  it('the roots stay as they are', async () => {
    for (const [id, displayName] of [
      ['media-root', 'Site Files'],
      ['visitor-uploads', 'Visitor Uploads'],
      ['trash-root', 'Trash'],
    ]) {
      const { folder } = await t.ok<{ folder: Folder }>('GET', `/folders/${id}`);
      expect(folder.id).toBe(id);
      expect(folder.displayName).toBe(displayName);
      expect(folder.state).toBe('OK');
    }
    // The root rename attempts left the live listing as it was.
    const top = await t.ok<ListFoldersResponse>(
      'GET',
      '/folders?parentFolderId=media-root&sort.fieldName=displayName',
    );
    expect(top.folders.map((f) => f.displayName)).toEqual(['Alpha', 'Gamma']);
  });

  // Guards long path parameters: past Fastify's default maxParamLength, still the contract's error shape.
  it('an over-long (150-character) folder id in the path answers a contract-shaped 4xx', async () => {
    const response = await send(t, { method: 'GET', url: `/folders/${'x'.repeat(150)}` });
    expectContractError(response, {});
  });
});
