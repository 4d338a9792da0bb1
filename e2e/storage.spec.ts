import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  E2E_BASE_URL,
  createFolder,
  deleteFiles,
  expect,
  signIn,
  test,
  toast,
  uniqueName,
  uploadFile,
} from './fixtures';

test('the Storage page shows where the bytes are, the largest files and duplicates, and empties the trash', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const album = await createFolder(api, uniqueName('Album'), workspace.id);
  const big = `${uniqueName('big')}.txt`;
  await uploadFile(api, {
    fileName: big,
    mimeType: 'text/plain',
    data: 'b'.repeat(200_000),
    parentFolderId: album.id,
  });
  const same = 'the same bytes twice';
  await uploadFile(api, {
    fileName: `${uniqueName('one')}.txt`,
    mimeType: 'text/plain',
    data: same,
    parentFolderId: workspace.id,
  });
  await uploadFile(api, {
    fileName: `${uniqueName('two')}.txt`,
    mimeType: 'text/plain',
    data: same,
    parentFolderId: album.id,
  });
  const gone = await uploadFile(api, {
    fileName: `${uniqueName('gone')}.txt`,
    mimeType: 'text/plain',
    data: 'g'.repeat(5000),
    parentFolderId: workspace.id,
  });
  await deleteFiles(api, [gone.id]);

  await page.goto('/');
  await page.getByRole('link', { name: 'Storage' }).click();
  await expect(page).toHaveURL(/\/storage$/);
  await expect(page.getByRole('heading', { name: 'Storage', level: 1 })).toBeVisible();
  // A page of its own: no folder of the sidebar is the current one, the Storage link is.
  await expect(page.getByRole('link', { name: 'Storage' })).toHaveAttribute('aria-current', 'page');
  await expect(
    page.getByRole('tree', { name: 'Site Files folders' }).getByRole('treeitem', { selected: true }),
  ).toHaveCount(0);

  // The workspace is a top-level folder of Site Files: it leads the top folders with its subtree's bytes.
  const folders = page.getByRole('region', { name: 'Top folders' });
  await expect(folders.getByRole('link', { name: workspace.displayName })).toBeVisible();
  await expect(folders).toContainText('195 KB');
  const largest = page.getByRole('region', { name: 'Largest files' });
  await expect(largest.getByRole('listitem').first()).toContainText(big);
  await expect(page.getByRole('region', { name: 'Duplicates' })).toContainText('extra cop');
  await expect(
    page.getByRole('region', { name: 'Duplicates' }).getByRole('link', { name: 'Merge duplicates' }),
  ).toHaveAttribute('href', '/duplicates');
  const areas = page.getByRole('region', { name: 'By area' });
  await expect(areas.getByRole('listitem').filter({ hasText: 'Trash' })).toContainText('4.9 KB');

  // A largest file opens where it lives, with its details.
  await largest.getByRole('link', { name: big }).click();
  await expect(page).toHaveURL(new RegExp(`/files/${album.id}\\?item=file`));
  await expect(page.getByRole('complementary', { name: `Details of ${big}` })).toBeVisible();

  // "Review largest" lists Site Files by size; back to Storage, the trash is emptied through the confirmation.
  await page.goto('/storage');
  await page.getByRole('link', { name: 'Review largest' }).first().click();
  await expect(page).toHaveURL(/sort=size/);
  await page.goBack();
  await page.getByRole('button', { name: /^Empty trash/ }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Empty the trash?' });
  await dialog.getByRole('button', { name: 'Empty trash' }).click();
  await expect(toast(page, /Deleted|Emptied|trash/i)).toBeVisible();
  await expect(areas.getByRole('listitem').filter({ hasText: 'Trash' })).toContainText('0 B');
  await expect(page.getByRole('button', { name: /^Empty trash/ })).toBeDisabled();
});

// Screenshots for the docs (STORAGE_SCREENSHOTS=<dir>, e.g. docs/screenshots).
const shotsDir = process.env.STORAGE_SCREENSHOTS;
test('screenshots of the Storage page, light and dark, two desktops and a phone', async ({
  browser,
  api,
  workspace,
}) => {
  test.skip(!shotsDir, 'STORAGE_SCREENSHOTS is not set');
  test.setTimeout(180_000);
  mkdirSync(shotsDir!, { recursive: true });
  const photos = await createFolder(api, 'Product photos', workspace.id);
  const press = await createFolder(api, 'Press kit', workspace.id);
  for (const [name, size, parent] of [
    ['hero-banner.txt', 400_000, photos.id],
    ['catalogue-2026.txt', 250_000, press.id],
    ['team-photo.txt', 120_000, photos.id],
    ['price-list.txt', 60_000, workspace.id],
  ] as const) {
    await uploadFile(api, {
      fileName: name,
      mimeType: 'text/plain',
      data: 'x'.repeat(size),
      parentFolderId: parent,
    });
  }
  await uploadFile(api, {
    fileName: 'logo copy.txt',
    mimeType: 'text/plain',
    data: 'x'.repeat(400_000),
    parentFolderId: press.id,
  });
  const old = await uploadFile(api, {
    fileName: 'old-draft.txt',
    mimeType: 'text/plain',
    data: 'o'.repeat(90_000),
    parentFolderId: workspace.id,
  });
  await deleteFiles(api, [old.id]);
  for (const scheme of ['light', 'dark'] as const) {
    for (const [device, viewport] of [
      ['1440x900', { width: 1440, height: 900 }],
      ['1366x768', { width: 1366, height: 768 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const context = await browser.newContext({ colorScheme: scheme, viewport });
      await signIn(context);
      const page = await context.newPage();
      await page.goto(`${E2E_BASE_URL}/storage`);
      await expect(page.getByRole('region', { name: 'Largest files' })).toContainText('hero-banner.txt');
      await page.screenshot({
        path: path.join(shotsDir!, `storage-${scheme}-${device}.png`),
        fullPage: device === 'phone',
      });
      await context.close();
    }
  }
});
