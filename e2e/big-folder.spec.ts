// Big folders: the audit seeded thousands of files. Owners need the folder's size, a selection that says when it
// covers only the loaded items and can take the whole folder, bulk actions that run on the server in one request.
import { expect, itemCell, test } from './fixtures';
import { seededName, seedPngs } from './seed';

const COUNT = 260;

test('a big folder shows its item count, and "Select all" trashes the whole folder in one request', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  test.setTimeout(120_000);
  await seedPngs(api, workspace.id, COUNT);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/files/${workspace.id}?sort=name&order=asc`);
  // The server is still making the thumbnails of the seeded files: the first page may take a while.
  await expect(itemCell(page, seededName(0))).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('folder-count')).toContainText(`${COUNT} items`, { timeout: 15_000 });

  await itemCell(page, seededName(0)).focus();
  await page.keyboard.press('Control+a');
  const bar = page.getByRole('region', { name: 'Selection' });
  // Only the loaded items are selected, and the bar says so instead of a bare "100 selected".
  await expect(bar).toContainText(`loaded items selected, of ${COUNT}`);
  const requests: string[] = [];
  page.on('request', (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`));
  await bar.getByRole('button', { name: `Select all ${COUNT}` }).click();
  await expect(bar).toContainText(`All ${COUNT} items of ${workspace.displayName} selected`);

  await bar.getByRole('button', { name: 'Move to Trash' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Move to Trash' }).click();
  // The operation goes in batches of 10 with a pause between them (playwright.config.ts): on PostgreSQL under
  // load that takes a while.
  await expect(page.getByText('This folder is empty')).toBeVisible({ timeout: 60_000 });
  const live = await api.get('/site-media/v1/files', { params: { parentFolderId: workspace.id } });
  expect(((await live.json()) as { files: unknown[] }).files).toHaveLength(0);
  // One request started it on the server (a bulk operation, e2e/bulk-all.spec.ts), whatever the number of items.
  // (Reads aside: the details panel fetches its item by id once that item has left the listing.)
  expect(requests.filter((r) => r.startsWith('POST /site-media') && !r.endsWith('/files/get-files'))).toEqual(
    ['POST /site-media-ext/v1/bulk-operations'],
  );
  expect(requests.filter((r) => r.includes('/bulk/'))).toEqual([]);
});
