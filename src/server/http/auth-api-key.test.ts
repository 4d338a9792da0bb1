import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Folder, ListFoldersResponse } from '../../contract/index.ts';
import { TEST_API_KEY, type TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';
import { expectAppError } from '../testing/auth.ts';

// API key authentication: every endpoint of the contract refuses a wrong key; request ids.

/**
 * Every endpoint of the contract under /site-media/v1, with a body that would be acceptable. Endpoints the
 * server does not have (yet) are left out by `hasRoute`.
 */
const ENDPOINTS: {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  route: string;
  url: string;
  body?: unknown;
}[] = [
  { method: 'POST', route: '/folders', url: '/folders', body: { displayName: 'x' } },
  { method: 'GET', route: '/folders/:folderId', url: '/folders/media-root' },
  { method: 'GET', route: '/folders', url: '/folders' },
  { method: 'POST', route: '/folders/search', url: '/folders/search', body: {} },
  {
    method: 'PATCH',
    route: '/folders/:folderId',
    url: '/folders/abc',
    body: { folder: { id: 'abc', displayName: 'y' } },
  },
  {
    method: 'POST',
    route: '/folders/:folderId/generate-download-url',
    url: '/folders/media-root/generate-download-url',
    body: {},
  },
  {
    method: 'POST',
    route: '/bulk/folders/delete',
    url: '/bulk/folders/delete',
    body: { folderIds: ['abc'] },
  },
  {
    method: 'POST',
    route: '/bulk/trash-bin/folders/restore',
    url: '/bulk/trash-bin/folders/restore',
    body: { folderIds: ['abc'] },
  },
  { method: 'GET', route: '/trash-bin/folders', url: '/trash-bin/folders' },
  { method: 'POST', route: '/folders/query', url: '/folders/query', body: { query: {} } },
  {
    method: 'POST',
    route: '/files/generate-upload-url',
    url: '/files/generate-upload-url',
    body: { mimeType: 'text/plain', fileName: 'a.txt' },
  },
  {
    method: 'POST',
    route: '/files/generate-resumable-upload-url',
    url: '/files/generate-resumable-upload-url',
    body: { mimeType: 'text/plain', fileName: 'a.txt', uploadProtocol: 'TUS' },
  },
  {
    method: 'POST',
    route: '/files/import',
    url: '/files/import',
    body: { url: 'https://example.com/a.png' },
  },
  {
    method: 'POST',
    route: '/bulk/files/import-v2',
    url: '/bulk/files/import-v2',
    body: { importFileRequests: [{ url: 'https://example.com/a.png' }] },
  },
  { method: 'GET', route: '/files/get-file-by-id', url: '/files/get-file-by-id?fileId=abc' },
  { method: 'POST', route: '/files/get-files', url: '/files/get-files', body: { fileIds: ['abc'] } },
  {
    method: 'PATCH',
    route: '/files/update-file-descriptor',
    url: '/files/update-file-descriptor',
    body: { file: { id: 'abc', displayName: 'b.txt' } },
  },
  { method: 'GET', route: '/files', url: '/files' },
  { method: 'POST', route: '/files/search', url: '/files/search', body: {} },
  { method: 'POST', route: '/files/query', url: '/files/query', body: { query: {} } },
  {
    method: 'POST',
    route: '/files/generate-file-download-url',
    url: '/files/generate-file-download-url',
    body: { fileId: 'abc' },
  },
  {
    method: 'POST',
    route: '/files/generate-download-url',
    url: '/files/generate-download-url',
    body: { fileIds: ['abc'] },
  },
  {
    method: 'POST',
    route: '/files/generate-video-stream-url',
    url: '/files/generate-video-stream-url',
    body: { fileId: 'abc' },
  },
  { method: 'POST', route: '/bulk/files/delete', url: '/bulk/files/delete', body: { fileIds: ['abc'] } },
  {
    method: 'POST',
    route: '/bulk/trash-bin/files/restore',
    url: '/bulk/trash-bin/files/restore',
    body: { fileIds: ['abc'] },
  },
  { method: 'GET', route: '/trash-bin/files', url: '/trash-bin/files' },
];

/** The endpoints this server has today. */
function implemented(t: TestApp) {
  return ENDPOINTS.filter((e) => t.app.hasRoute({ method: e.method, url: `/site-media/v1${e.route}` }));
}

describe('API key authentication', () => {
  let t: TestApp;
  useTestApp((app) => (t = app));

  it('has at least the core endpoints (sanity check of the endpoint table)', () => {
    const routes = implemented(t).map((e) => `${e.method} ${e.route}`);
    for (const core of [
      'POST /folders',
      'GET /folders',
      'PATCH /folders/:folderId',
      'POST /bulk/folders/delete',
      'POST /files/generate-upload-url',
      'GET /files/get-file-by-id',
      'GET /files',
      'POST /files/search',
      'POST /files/generate-file-download-url',
      'POST /bulk/files/delete',
      'GET /trash-bin/files',
    ]) {
      expect(routes).toContain(core);
    }
  });

  const wrongKeys: [string, Record<string, string>][] = [
    ['no Authorization header', {}],
    ['a wrong key', { authorization: 'wrong-key' }],
    ['a wrong Bearer key', { authorization: 'Bearer wrong-key' }],
    ['an empty header', { authorization: '' }],
    ['the key with a suffix', { authorization: `${TEST_API_KEY}x` }],
    ['a prefix of the key', { authorization: TEST_API_KEY.slice(0, -1) }],
    ['Basic scheme', { authorization: `Basic ${TEST_API_KEY}` }],
    ['the key in another header', { 'x-api-key': TEST_API_KEY }],
  ];
  it.each(wrongKeys)('answers 401 UNAUTHENTICATED on every endpoint with %s', async (_what, headers) => {
    // Each from its own address: one client's wrong keys are throttled after a few (key-guessing.test.ts).
    for (const [i, endpoint] of implemented(t).entries()) {
      const response = await t.app.inject({
        method: endpoint.method,
        url: `/site-media/v1${endpoint.url}`,
        headers,
        remoteAddress: `10.0.${i >> 8}.${i & 255}`,
        ...(endpoint.body === undefined ? {} : { payload: endpoint.body as InjectOptions['payload'] }),
      });
      expect(response.statusCode, `${endpoint.method} ${endpoint.url}: ${response.body}`).toBe(401);
      expectAppError(response, 401, 'UNAUTHENTICATED');
    }
    // Nothing was created by any of them.
    expect((await t.ok<ListFoldersResponse>('GET', '/folders')).folders).toEqual([]);
  });

  it('answers 401 before looking at the body (malformed JSON without a key is still 401)', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/site-media/v1/folders',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expectAppError(response, 401, 'UNAUTHENTICATED');
  });

  it.each([
    ['the raw key', TEST_API_KEY],
    ['Bearer <key>', `Bearer ${TEST_API_KEY}`],
    ['bearer <key> (any case)', `bearer ${TEST_API_KEY}`],
  ])('accepts %s in Authorization', async (_what, authorization) => {
    const list = await t.app.inject({
      method: 'GET',
      url: '/site-media/v1/folders',
      headers: { authorization },
    });
    expect(list.statusCode, list.body).toBe(200);
    const create = await t.app.inject({
      method: 'POST',
      url: '/site-media/v1/folders',
      headers: { authorization },
      payload: { displayName: 'made with key' },
    });
    expect(create.statusCode, create.body).toBe(200);
    expect(create.json<{ folder: Folder }>().folder.displayName).toBe('made with key');
  });

  it('needs no CSRF token with the API key', async () => {
    const response = await t.api('POST', '/folders', { displayName: 'no csrf needed' });
    expect(response.statusCode).toBe(200);
  });

  it('sends X-Wix-Request-Id on every answer, a different one each time', async () => {
    const file = await t.upload('x');
    const responses = [
      await t.api('GET', '/folders'),
      await t.api('GET', '/folders'),
      await t.app.inject({ method: 'GET', url: '/site-media/v1/folders' }),
      await t.api('GET', '/files/get-file-by-id?fileId=nope'),
      await t.api('POST', '/folders', { displayName: '' }),
      await t.api('GET', '/no/such/route'),
      await t.app.inject({ method: 'GET', url: new URL(String(file.url)).pathname }),
      await t.app.inject({ method: 'GET', url: '/auth/session' }),
      await t.app.inject({ method: 'GET', url: '/healthz' }),
    ];
    const ids = responses.map((r) => r.headers['x-wix-request-id']);
    for (const [i, id] of ids.entries()) {
      expect(typeof id, `response ${i}`).toBe('string');
      expect(String(id).length, `response ${i}`).toBeGreaterThan(0);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('does not take the request id from the client', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/site-media/v1/folders',
      headers: { authorization: TEST_API_KEY, 'x-wix-request-id': 'injected', 'request-id': 'injected' },
    });
    expect(response.headers['x-wix-request-id']).not.toBe('injected');
  });
});
