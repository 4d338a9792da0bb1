// "Select all N", then an action over every item of a listing, not only the loaded page: the server runs it as one
// bulk operation in batches; the selection bar shows its progress, a toast its result, then the lists refresh.
// The e2e server runs bulk operations in small batches with a pause between them (playwright.config.ts), so
// the progress stays on screen for a while.
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { APIRequestContext, Page } from '@playwright/test';
import {
  createFolder,
  deleteFiles,
  expect,
  getFolder,
  itemCell,
  test,
  toast,
  treeNode,
  treeRow,
  uploadFile,
} from './fixtures';
import { seededName, seedPngs } from './seed';

// More than one page (100 items): "Select all N" is offered only when not everything is loaded.
const COUNT = 130;
/** Where the progress screenshot goes, when set (e.g. `docs/screenshots`). */
const shotsDir = process.env.BULK_ALL_SCREENSHOTS;

async function itemCount(api: APIRequestContext, folderId: string): Promise<unknown> {
  const response = await api.get(`/site-media-ext/v1/folders/${folderId}/item-count`);
  expect(response.ok()).toBe(true);
  return response.json();
}

function selectionBar(page: Page) {
  return page.getByRole('region', { name: 'Selection' });
}

/** Selects every loaded item (Ctrl+A), then the whole listing. */
async function selectAllOfListing(page: Page, first: string, total: number): Promise<void> {
  await expect(itemCell(page, first)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('folder-count')).toContainText(`${total} items`, { timeout: 15_000 });
  await itemCell(page, first).focus();
  await page.keyboard.press('Control+a');
  await selectionBar(page)
    .getByRole('button', { name: `Select all ${total}` })
    .click();
}

async function listedIds(api: APIRequestContext, url: string, key: 'files' | 'folders'): Promise<string[]> {
  const response = await api.get(url);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as Record<string, { id: string }[]>)[key]!.map((i) => i.id).sort();
}

test('Trash: filter by type, "Select all N", Restore all restores every match on the server', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  test.setTimeout(180_000);
  const images = await seedPngs(api, workspace.id, COUNT);
  const notes = [];
  for (let i = 0; i < 2; i++) {
    notes.push(
      await uploadFile(api, {
        fileName: `note-${i}.txt`,
        mimeType: 'text/plain',
        data: `note ${i}`,
        parentFolderId: workspace.id,
      }),
    );
  }
  // Each file trashed on its own: all of them are top-level trash entries.
  await deleteFiles(
    api,
    [...images, ...notes].map((f) => f.id),
  );

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/trash?type=image&sort=name&order=asc');
  const requests: string[] = [];
  page.on('request', (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`));
  await selectAllOfListing(page, seededName(0), COUNT);
  const bar = selectionBar(page);
  await expect(bar).toContainText(`All ${COUNT} items of the trash selected`);

  await bar.getByRole('button', { name: 'Restore all' }).click();
  // The bar follows the operation while it runs.
  const progress = page.getByTestId('bulk-progress');
  await expect(progress).toBeVisible();
  await expect(progress).toContainText(`of ${COUNT} items`);
  if (shotsDir) {
    // For the picture only: some batches done (the bar part-way).
    await expect(progress).not.toContainText('Restoring 0 of');
    mkdirSync(shotsDir, { recursive: true });
    await page.screenshot({ path: path.join(shotsDir, 'bulk-restore-progress-1440x900-light.png') });
  }
  await expect(toast(page, `Restored ${COUNT} items`)).toBeVisible({ timeout: 60_000 });
  // One request started it, whatever the number of items; no per-page restores.
  // (Reads aside: the details panel fetches its item by id once that item has left the listing.)
  expect(requests.filter((r) => r.startsWith('POST /site-media') && !r.endsWith('/files/get-files'))).toEqual(
    ['POST /site-media-ext/v1/bulk-operations'],
  );

  // The trash listing refreshed: no image is left; the notes (another type) are still in the trash.
  await expect(page.getByText('Nothing matches')).toBeVisible();
  expect(await itemCount(api, workspace.id)).toEqual({ folders: 0, files: COUNT, estimated: false });
  const trashed = await listedIds(api, '/site-media/v1/trash-bin/files?paging.limit=100', 'files');
  expect(trashed).toEqual(notes.map((n) => n.id).sort());
});

test('Site Files: "Select all N", Move all to… moves every item of the folder on the server', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  test.setTimeout(180_000);
  const source = await createFolder(api, 'Source', workspace.id);
  const destination = await createFolder(api, 'Destination', workspace.id);
  const sub = await createFolder(api, 'Sub', source.id);
  await seedPngs(api, source.id, COUNT - 1);

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/files/${source.id}?sort=name&order=asc`);
  await selectAllOfListing(page, 'Sub', COUNT);
  const bar = selectionBar(page);
  await expect(bar).toContainText(`All ${COUNT} items of Source selected`);

  await bar.getByRole('button', { name: 'Move all to…' }).click();
  const dialog = page.getByRole('dialog', { name: `Move all ${COUNT} items of Source to…` });
  const destinations = dialog.getByRole('tree', { name: 'Destination folder', exact: true });
  await treeRow(treeNode(destinations, workspace.displayName)).click();
  await page.keyboard.press('ArrowRight');
  await treeRow(treeNode(destinations, 'Destination')).click();
  await dialog.getByRole('button', { name: 'Move to Destination' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('bulk-progress')).toBeVisible();
  await expect(toast(page, `Moved ${COUNT} items`)).toBeVisible({ timeout: 60_000 });

  // The folder's listing refreshed without a reload; everything is in Destination, the sub-folder with its id.
  await expect(page.getByText('This folder is empty')).toBeVisible();
  expect(await itemCount(api, source.id)).toEqual({ folders: 0, files: 0, estimated: false });
  expect(await itemCount(api, destination.id)).toEqual({ folders: 1, files: COUNT - 1, estimated: false });
  expect((await getFolder(api, sub.id))?.parentFolderId).toBe(destination.id);
});
