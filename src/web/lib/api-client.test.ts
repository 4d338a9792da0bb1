import { describe, expect, it, vi } from 'vitest';
import { ApiError, buildUrl, createApiClient, type FetchLike, parseApiError } from './api-client';

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

type Call = { url: string; init: RequestInit };

/** A fetch that answers from `routes` ("METHOD /path") and records every call. */
function fakeFetch(routes: Record<string, () => Response>) {
  const calls: Call[] = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, init });
    const path = url.split('?')[0] ?? url;
    const route = routes[`${init.method ?? 'GET'} ${path}`];
    return Promise.resolve(route ? route() : jsonResponse(404, { message: `no route for ${url}` }));
  };
  return { fetch, calls };
}

function header(call: Call | undefined, name: string): string | null {
  return new Headers(call?.init.headers).get(name);
}

describe('parseApiError', () => {
  it('reads an applicationError', () => {
    const error = parseApiError(
      404,
      {
        message: 'Folder not found',
        details: {
          applicationError: { code: 'RESOURCE_NOT_FOUND', description: 'No folder abc', data: {} },
        },
      },
      'req-1',
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      status: 404,
      code: 'RESOURCE_NOT_FOUND',
      message: 'Folder not found',
      description: 'No folder abc',
      fieldViolations: [],
      requestId: 'req-1',
    });
  });

  it('reads a validationError as INVALID_ARGUMENT with its field violations', () => {
    const error = parseApiError(400, {
      message: 'Invalid request',
      details: {
        validationError: {
          fieldViolations: [
            { field: 'paging.limit', description: 'must be at most 100' },
            { field: 'displayName', description: 'is required' },
          ],
        },
      },
    });
    expect(error.status).toBe(400);
    expect(error.code).toBe('INVALID_ARGUMENT');
    // The owner reads sentences, without the API's field names.
    expect(error.message).toBe('Must be at most 100. Is required.');
    expect(error.fieldViolations).toEqual([
      { field: 'paging.limit', description: 'must be at most 100' },
      { field: 'displayName', description: 'is required' },
    ]);
  });

  it('falls back to a readable message when the body is not the contract shape', () => {
    expect(parseApiError(502, null)).toMatchObject({ status: 502, code: null });
    expect(parseApiError(502, null).message).toMatch(/server/i);
    expect(
      parseApiError(400, { details: { validationError: { fieldViolations: [{ field: 'x' }] } } }),
    ).toMatchObject({
      message: 'The request failed (HTTP 400).',
      fieldViolations: [{ field: 'x', description: '' }],
    });
  });
});

describe('buildUrl', () => {
  it('writes dotted keys, repeats arrays and leaves out empty values', () => {
    expect(
      buildUrl('/site-media/v1/files', {
        parentFolderId: 'media-root',
        'paging.limit': 10,
        mediaTypes: ['IMAGE', 'VIDEO'],
        private: false,
        'paging.cursor': undefined,
        search: null,
      }),
    ).toBe(
      '/site-media/v1/files?parentFolderId=media-root&paging.limit=10&mediaTypes=IMAGE&mediaTypes=VIDEO&private=false',
    );
    expect(buildUrl('/healthz', {})).toBe('/healthz');
  });
});

describe('createApiClient', () => {
  it('sends same-origin JSON requests and returns the parsed body', async () => {
    const { fetch, calls } = fakeFetch({
      'GET /site-media/v1/folders': () => jsonResponse(200, { folders: [], nextCursor: null }),
    });
    const client = createApiClient({ fetch });
    await expect(
      client.get('/site-media/v1/folders', { query: { parentFolderId: 'media-root' } }),
    ).resolves.toEqual({
      folders: [],
      nextCursor: null,
    });
    expect(calls[0]?.url).toBe('/site-media/v1/folders?parentFolderId=media-root');
    expect(calls[0]?.init.credentials).toBe('same-origin');
    expect(header(calls[0], 'X-CSRF-Token')).toBeNull();
  });

  it('gets a CSRF token from the session once and sends it on every non-GET request', async () => {
    const { fetch, calls } = fakeFetch({
      'GET /auth/session': () => jsonResponse(200, { authenticated: true, csrfToken: 'token-1' }),
      'POST /site-media/v1/folders': () => jsonResponse(200, { folder: { id: 'f1' } }),
      'DELETE /auth/session': () => jsonResponse(200, {}),
    });
    const client = createApiClient({ fetch });

    await client.post('/site-media/v1/folders', { displayName: 'Photos' });
    await client.delete('/auth/session');

    expect(calls.map((call) => `${call.init.method} ${call.url}`)).toEqual([
      'GET /auth/session',
      'POST /site-media/v1/folders',
      'DELETE /auth/session',
    ]);
    expect(header(calls[1], 'X-CSRF-Token')).toBe('token-1');
    expect(header(calls[1], 'Content-Type')).toBe('application/json');
    expect(calls[1]?.init.body).toBe(JSON.stringify({ displayName: 'Photos' }));
    expect(header(calls[2], 'X-CSRF-Token')).toBe('token-1');
  });

  it('uses a token it was given and can skip CSRF for signing in', async () => {
    const { fetch, calls } = fakeFetch({
      'POST /auth/session': () => jsonResponse(200, { authenticated: true, csrfToken: 'fresh' }),
      'POST /site-media/v1/files/get-files': () => jsonResponse(200, { files: [] }),
    });
    const client = createApiClient({ fetch });
    await client.post('/auth/session', { apiKey: 'k' }, { csrf: false });
    expect(header(calls[0], 'X-CSRF-Token')).toBeNull();

    client.setCsrfToken('fresh');
    await client.post('/site-media/v1/files/get-files', { fileIds: ['a'] });
    expect(calls).toHaveLength(2);
    expect(header(calls[1], 'X-CSRF-Token')).toBe('fresh');
  });

  it('throws ApiError and sends the user to sign-in on a 401', async () => {
    const onUnauthenticated = vi.fn();
    const unauthenticated = () =>
      jsonResponse(401, {
        message: 'Not signed in',
        details: { applicationError: { code: 'UNAUTHENTICATED', description: 'No session' } },
      });
    const { fetch } = fakeFetch({
      'GET /site-media/v1/files': unauthenticated,
      'POST /auth/session': unauthenticated,
    });
    const client = createApiClient({ fetch, onUnauthenticated });

    const error: unknown = await client.get('/site-media/v1/files').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', message: 'Not signed in' });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);

    await expect(
      client.post('/auth/session', { apiKey: 'wrong' }, { csrf: false, redirectOnUnauthenticated: false }),
    ).rejects.toMatchObject({ status: 401 });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('turns a failed fetch into a NETWORK_ERROR ApiError but lets aborts through', async () => {
    const client = createApiClient({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(client.get('/healthz')).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });

    const controller = new AbortController();
    controller.abort();
    const abortError = new DOMException('aborted', 'AbortError');
    const aborting = createApiClient({ fetch: () => Promise.reject(abortError) });
    await expect(aborting.get('/healthz', { signal: controller.signal })).rejects.toBe(abortError);
  });
});
