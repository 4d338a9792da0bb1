// Helpers for end-to-end specs. Import `test` and `expect` from here instead of '@playwright/test'.
//
// All specs of a run share one server and one DATA_DIR (workers: 1, files run in name order), so a spec that
// creates content should do it inside a folder of its own, not at the root of Site Files, which
// sign-in.spec.ts expects to be empty.
import { randomBytes } from 'node:crypto';
import {
  type APIRequestContext,
  type BrowserContext,
  test as base,
  expect,
  type Locator,
  type Page,
} from '@playwright/test';
import { E2E_API_KEY, E2E_BASE_URL } from './env';

export { expect };
export { E2E_API_KEY, E2E_BASE_URL };

export interface SignedInSession {
  csrfToken: string;
}

/**
 * Signs a browser context in through the API (`POST /auth/session`), as the sign-in page would: the session
 * cookie lands in the context's cookie jar, so its pages are signed in. Returns the session's CSRF token.
 */
export async function signIn(
  context: BrowserContext,
  apiKey: string = E2E_API_KEY,
): Promise<SignedInSession> {
  const response = await context.request.post(`${E2E_BASE_URL}/auth/session`, { data: { apiKey } });
  if (!response.ok()) {
    throw new Error(`POST /auth/session answered ${response.status()}: ${await response.text()}`);
  }
  const body = (await response.json()) as { authenticated?: boolean; csrfToken?: unknown };
  if (body.authenticated !== true || typeof body.csrfToken !== 'string') {
    throw new Error(`POST /auth/session answered an unexpected body: ${JSON.stringify(body)}`);
  }
  return { csrfToken: body.csrfToken };
}

/** The fields of the API's folder and file objects the specs read. */
export interface ApiFolder {
  id: string;
  displayName: string;
  parentFolderId: string;
  state: 'OK' | 'DELETED';
}

export interface ApiFile {
  id: string;
  displayName: string;
  parentFolderId: string;
  hash: string;
  sizeInBytes: string;
  mediaType: string;
  operationStatus: string;
  state: 'OK' | 'DELETED';
}

export const MEDIA_ROOT = 'media-root';
const API = '/site-media/v1';

/** A name no other spec (or earlier run) uses: `<prefix> <random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${randomBytes(4).toString('hex')}`;
}

async function ok<T>(response: Awaited<ReturnType<APIRequestContext['get']>>, what: string): Promise<T> {
  if (!response.ok()) throw new Error(`${what} answered ${response.status()}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** `POST /folders`. */
export async function createFolder(
  api: APIRequestContext,
  displayName: string,
  parentFolderId: string = MEDIA_ROOT,
): Promise<ApiFolder> {
  const response = await api.post(`${API}/folders`, { data: { displayName, parentFolderId } });
  return (await ok<{ folder: ApiFolder }>(response, `POST /folders ${displayName}`)).folder;
}

/** `generate-upload-url`, then `PUT` the raw bytes to the upload URL. */
export async function uploadFile(
  api: APIRequestContext,
  options: { fileName: string; mimeType: string; data: Buffer | string; parentFolderId: string },
): Promise<ApiFile> {
  const data = typeof options.data === 'string' ? Buffer.from(options.data) : options.data;
  const urlResponse = await api.post(`${API}/files/generate-upload-url`, {
    data: {
      mimeType: options.mimeType,
      fileName: options.fileName,
      sizeInBytes: String(data.length),
      parentFolderId: options.parentFolderId,
    },
  });
  const { uploadUrl } = await ok<{ uploadUrl: string }>(
    urlResponse,
    `generate-upload-url ${options.fileName}`,
  );
  const put = await api.put(uploadUrl, { data, headers: { 'content-type': options.mimeType } });
  return (await ok<{ file: ApiFile }>(put, `PUT ${options.fileName}`)).file;
}

/** `GET /files/get-file-by-id`: the file, or null when the server no longer knows it (404). */
export async function getFile(api: APIRequestContext, fileId: string): Promise<ApiFile | null> {
  const response = await api.get(`${API}/files/get-file-by-id`, { params: { fileId } });
  if (response.status() === 404) return null;
  return (await ok<{ file: ApiFile }>(response, `get-file-by-id ${fileId}`)).file;
}

/** `GET /folders/{id}`: the folder, or null when the server no longer knows it (404). */
export async function getFolder(api: APIRequestContext, folderId: string): Promise<ApiFolder | null> {
  const response = await api.get(`${API}/folders/${encodeURIComponent(folderId)}`, { params: { folderId } });
  if (response.status() === 404) return null;
  return (await ok<{ folder: ApiFolder }>(response, `GET /folders/${folderId}`)).folder;
}

/** Moves files to the trash (`permanent: false`) or deletes them for good. */
export async function deleteFiles(
  api: APIRequestContext,
  fileIds: string[],
  permanent = false,
): Promise<void> {
  await ok(await api.post(`${API}/bulk/files/delete`, { data: { fileIds, permanent } }), 'bulk/files/delete');
}

/** Moves folders (with their subtrees) to the trash, or deletes them for good. */
export async function deleteFolders(
  api: APIRequestContext,
  folderIds: string[],
  permanent = false,
): Promise<void> {
  await ok(
    await api.post(`${API}/bulk/folders/delete`, { data: { folderIds, permanent } }),
    'bulk/folders/delete',
  );
}

/** The path of a folder of Site Files in the app (`/files/<id>`), with any query string. */
export function folderUrl(folderId: string): RegExp {
  return new RegExp(`/files/${folderId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\?.*)?$`);
}

/** The query parameters of the page's URL, as a plain object (for `expect.poll(...).toEqual`). */
export function urlParams(page: Page): Record<string, string> {
  return Object.fromEntries(new URL(page.url()).searchParams);
}

/**
 * Where the current folder takes no uploads (Trash, search results) the page must still be usable: the drop
 * zone's root once carried `aria-disabled="true"`, which made Chromium expose every control in it as disabled.
 */
export async function expectListingNotAriaDisabled(page: Page): Promise<void> {
  await expect(page.getByRole('toolbar', { name: 'View and actions' })).toBeVisible();
  await expect(page.locator('main [aria-disabled="true"]:has([role="toolbar"])')).toHaveCount(0);
}

/** A toast (in the Notifications region) with this text. */
export function toast(page: Page, text: string | RegExp): Locator {
  return page
    .getByRole('region', { name: /^Notifications/ })
    .getByRole('listitem')
    .filter({ hasText: text });
}

/** The browser's grid (or list) of items. */
export function itemGrid(page: Page): Locator {
  return page.getByRole('grid');
}

/** The tile (or list row) of an item, by its exact name. */
export function itemCell(page: Page, name: string): Locator {
  return itemGrid(page).getByRole('gridcell', { name, exact: true });
}

/**
 * Selects just this item with a click, its details open beside the grid.
 *
 * Focusing an item other than the grid's current one (the one in the tab order) opens its details panel,
 * which narrows the grid and reflows the tiles; when that happens on a click's own mouse-down, the mouse-up
 * lands elsewhere and the click is lost (an app bug, see `selection.spec.ts`). So such an item is focused
 * first, and clicked once its details are open. Specs about other things start their clicks, double-clicks
 * and drags from here so they do not trip over that bug.
 */
export async function selectOnly(page: Page, name: string): Promise<void> {
  const cell = itemCell(page, name);
  if ((await cell.getAttribute('tabindex')) !== '0') {
    await cell.focus();
    await expect(page.getByRole('complementary', { name: `Details of ${name}` })).toBeVisible();
  }
  await cell.click();
  await expect(cell).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('complementary', { name: `Details of ${name}` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Selection' })).toContainText('1 selected');
}

/** The names of the items in the grid, in display order. */
export async function itemNames(page: Page): Promise<string[]> {
  return itemGrid(page)
    .locator('[role="gridcell"][data-key]')
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('aria-label') ?? ''));
}

/**
 * A node of a folder tree by the folder's exact name (its own name, not the text of its sub-folders, which a
 * tree item's accessible name also holds).
 */
export function treeNode(tree: Locator, name: string): Locator {
  return tree.getByRole('treeitem').and(tree.locator(`[data-folder-name="${name.replace(/"/g, '\\"')}"]`));
}

/** The clickable row of a tree node (the node's own line, without its sub-folders). */
export function treeRow(node: Locator): Locator {
  return node.locator(':scope > .tree__row');
}

/**
 * Items trashed on their own stay in the trash when the folder they came from is deleted for good (they can
 * still be restored, to the top of their area). A test's workspace is deleted for good at the end, so what the
 * test trashed from it on its own is removed here: every top-level trash entry whose original folder is gone.
 * Removing one may orphan another (a folder trashed inside a folder trashed later), hence the loop.
 */
async function purgeOrphansFromTrash(api: APIRequestContext): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const folders = (await (
      await api.get(`${API}/trash-bin/folders`, { params: { 'paging.limit': 100 } })
    ).json()) as {
      folders: ApiFolder[];
    };
    const files = (await (
      await api.get(`${API}/trash-bin/files`, { params: { 'paging.limit': 100 } })
    ).json()) as {
      files: ApiFile[];
    };
    const orphaned = async (item: { parentFolderId: string }) =>
      !['media-root', 'visitor-uploads'].includes(item.parentFolderId) &&
      (await getFolder(api, item.parentFolderId)) === null;
    const folderIds: string[] = [];
    for (const f of folders.folders) if (await orphaned(f)) folderIds.push(f.id);
    const fileIds: string[] = [];
    for (const f of files.files) if (await orphaned(f)) fileIds.push(f.id);
    if (folderIds.length === 0 && fileIds.length === 0) return;
    if (folderIds.length > 0) await deleteFolders(api, folderIds, true);
    if (fileIds.length > 0) await deleteFiles(api, fileIds, true);
  }
}

interface Fixtures {
  /** A page whose context is already signed in (through the API, not the form). */
  signedInPage: Page;
  /** The REST API with the admin key in `Authorization`, for setting up data (no cookie, no CSRF needed). */
  api: APIRequestContext;
  /**
   * A uniquely named folder at the root of Site Files for the test's content. It is deleted for good (with
   * everything in it, the trash included) when the test ends, so the root of Site Files stays empty.
   */
  workspace: ApiFolder;
}

export const test = base.extend<Fixtures>({
  signedInPage: async ({ context, page }, use) => {
    await signIn(context);
    await use(page);
  },
  api: async ({ playwright }, use) => {
    const api = await playwright.request.newContext({
      baseURL: E2E_BASE_URL,
      extraHTTPHeaders: { Authorization: E2E_API_KEY },
    });
    await use(api);
    await api.dispose();
  },
  workspace: async ({ api }, use) => {
    const folder = await createFolder(api, uniqueName('e2e'));
    await use(folder);
    await deleteFolders(api, [folder.id], true);
    await purgeOrphansFromTrash(api);
  },
});
