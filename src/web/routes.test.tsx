import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { handleSessionExpired } from './auth/session-expiry';
import type { FileDescriptor, Folder } from './files/api/types';
import { apiClient } from './lib/api-client';
import { createRoutes } from './routes';

const API_KEY = 'right-key';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

const unauthenticated = (message: string) =>
  json(401, { message, details: { applicationError: { code: 'UNAUTHENTICATED', description: message } } });

/** A stand-in for the server's auth and list endpoints, installed as the global fetch. */
function fakeServer(content: { folders?: Folder[]; files?: FileDescriptor[] } = {}) {
  const state = { signedIn: false };
  const requests: string[] = [];
  const fetch = vi.fn((input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const url = new URL(input, 'http://app.test');
    requests.push(`${method} ${url.pathname}${url.search}`);
    const route = `${method} ${url.pathname}`;
    if (route === 'GET /auth/session') {
      return state.signedIn
        ? json(200, { authenticated: true, csrfToken: 'csrf-1' })
        : unauthenticated('Not signed in');
    }
    if (route === 'POST /auth/session') {
      const { apiKey } = JSON.parse(init.body as string) as { apiKey: string };
      if (apiKey !== API_KEY) return unauthenticated('Invalid API key');
      state.signedIn = true;
      return json(200, { authenticated: true, csrfToken: 'csrf-1' });
    }
    if (route === 'DELETE /auth/session') {
      if (new Headers(init.headers).get('X-CSRF-Token') !== 'csrf-1')
        return json(403, { message: 'Bad CSRF token' });
      state.signedIn = false;
      return json(200, {});
    }
    if (!state.signedIn) return unauthenticated('Not signed in');
    const page = { nextCursor: { cursors: { next: null }, hasNext: false } };
    if (route === 'GET /site-media/v1/folders') return json(200, { folders: content.folders ?? [], ...page });
    if (route === 'GET /site-media/v1/files') return json(200, { files: content.files ?? [], ...page });
    const folderId = /^GET \/site-media\/v1\/folders\/([^/]+)$/.exec(route)?.[1];
    if (folderId) {
      const date = '2024-01-01T00:00:00Z';
      const folder = { id: folderId, displayName: `Folder ${folderId}`, parentFolderId: 'media-root' };
      return json(200, { folder: { ...folder, createdDate: date, updatedDate: date, state: 'OK' } });
    }
    return json(404, { message: 'Not found' });
  });
  vi.stubGlobal('fetch', (input: string, init?: RequestInit) => Promise.resolve(fetch(input, init)));
  return { state, requests };
}

function renderApp(path: string) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter(createRoutes(queryClient), { initialEntries: [path] });
  apiClient.setUnauthenticatedHandler(() => handleSessionExpired(queryClient, router));
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

describe('signing in and out', () => {
  beforeEach(() => {
    document.title = '';
  });

  it('sends a visitor to sign-in, rejects a wrong key, then shows Site Files and signs out', async () => {
    const server = fakeServer();
    const user = userEvent.setup();
    const router = renderApp('/');

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(screen.getByText(/one-time sign-in link/)).toBeTruthy();

    const input = screen.getByLabelText('API key');
    expect(input.getAttribute('type')).toBe('password');
    await user.type(input, 'wrong-key');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Invalid API key');
    expect(input.getAttribute('aria-invalid')).toBe('true');

    await user.clear(input);
    await user.type(input, API_KEY);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Site Files' })).toBeTruthy();
    expect(await screen.findByText('This folder is empty')).toBeTruthy();
    expect(screen.getByText('Site Media Manager')).toBeTruthy();
    expect(router.state.location.pathname).toBe('/');
    expect(server.requests).toContain(
      'GET /site-media/v1/folders?parentFolderId=media-root&paging.limit=100',
    );
    expect(server.requests).toContain('GET /site-media/v1/files?parentFolderId=media-root&paging.limit=100');

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(server.state.signedIn).toBe(false);
  });

  it('explains an expired one-time login link', async () => {
    fakeServer();
    renderApp('/sign-in?error=login-link-expired');
    expect((await screen.findByRole('alert')).textContent).toMatch(/link has expired or was already used/);
  });

  it('lists folders as links and files of the folder in the URL', async () => {
    const server = fakeServer({
      folders: [
        {
          id: 'fold-1',
          displayName: 'Photos',
          parentFolderId: 'media-root',
          createdDate: '2024-01-01T00:00:00Z',
          updatedDate: '2024-01-01T00:00:00Z',
          state: 'OK',
        },
      ],
      files: [
        {
          id: 'file-1',
          displayName: 'cat.jpg',
          url: '/media/file-1/cat.jpg',
          parentFolderId: 'media-root',
          mediaType: 'IMAGE',
          sizeInBytes: '15359',
          thumbnailUrl: null,
          operationStatus: 'READY',
          private: false,
          createdDate: '2024-01-01T00:00:00Z',
          updatedDate: '2024-01-01T00:00:00Z',
          state: 'OK',
        },
      ],
    });
    server.state.signedIn = true;
    renderApp('/');

    const list = await screen.findByRole('list', { name: 'Contents of Site Files' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(
      within(list)
        .getByRole('link', { name: /Photos/ })
        .getAttribute('href'),
    ).toBe('/files/fold-1');
    expect(within(items[1]!).getByText('cat.jpg')).toBeTruthy();
    expect(within(items[1]!).getByText('Image · 15 KB')).toBeTruthy();
    expect(document.title).toBe('Site Files · Site Media Manager');
  });

  it('goes to sign-in, and back afterwards, when the session ends while browsing', async () => {
    const server = fakeServer();
    server.state.signedIn = true;
    const user = userEvent.setup();
    const router = renderApp('/');
    expect(await screen.findByText('This folder is empty')).toBeTruthy();

    server.state.signedIn = false; // e.g. the session expired on the server
    await router.navigate('/files/some-folder');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(router.state.location.pathname + router.state.location.search).toBe(
      '/sign-in?next=%2Ffiles%2Fsome-folder',
    );

    await user.type(screen.getByLabelText('API key'), API_KEY);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Folder some-folder' })).toBeTruthy();
    expect(await screen.findByText('This folder is empty')).toBeTruthy();
    expect(router.state.location.pathname).toBe('/files/some-folder');
    expect(screen.getByRole('link', { name: /Site Files/ }).getAttribute('href')).toBe('/');
  });
});
