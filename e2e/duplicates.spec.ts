import { randomBytes } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import {
  type ApiFile,
  createFolder,
  expect,
  getFile,
  itemCell,
  test,
  uniqueName,
  uploadFile,
} from './fixtures';

/** `GET /files?parentFolderId=`: the live files of a folder, by name. */
async function namesIn(api: APIRequestContext, parentFolderId: string): Promise<string[]> {
  const response = await api.get('/site-media/v1/files', { params: { parentFolderId } });
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { files: ApiFile[] }).files.map((f) => f.displayName).sort();
}

/** Picks files with the page's upload input (the toolbar's Upload button opens it). */
async function pick(page: Page, files: { name: string; buffer: Buffer }[]) {
  await page
    .locator('main input[type="file"]')
    .first()
    .setInputFiles(files.map((f) => ({ ...f, mimeType: 'text/plain' })));
}

const dialog = (page: Page) => page.getByRole('dialog', { name: 'Already in your library' });
const tray = (page: Page) => page.getByRole('region', { name: 'Uploads' });

test('uploading bytes already in the library asks: Keep both, Use existing, Replace', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  test.setTimeout(120_000);
  const bytes = randomBytes(2000);
  const original = await uploadFile(api, {
    fileName: 'original.txt',
    mimeType: 'text/plain',
    data: bytes,
    parentFolderId: workspace.id,
  });
  const target = await createFolder(api, uniqueName('target'), workspace.id);
  await page.goto(`/files/${workspace.id}`);
  await expect(itemCell(page, 'original.txt')).toBeVisible({ timeout: 15_000 });

  // Keep both: a new file beside the old one. The dialog names the file already there; Enter on the focused
  // first choice answers (keyboard).
  await pick(page, [{ name: 'kept.txt', buffer: bytes }]);
  await expect(dialog(page)).toBeVisible({ timeout: 15_000 });
  await expect(dialog(page).getByTestId('duplicate-existing')).toContainText('original.txt');
  await expect(dialog(page).getByRole('button', { name: 'Keep both' })).toBeFocused();
  await expect(dialog(page).getByText('Apply to the rest of this batch')).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(dialog(page)).toHaveCount(0);
  await expect(itemCell(page, 'kept.txt')).toBeVisible({ timeout: 15_000 });

  // Use existing: nothing new.
  await pick(page, [{ name: 'skipped.txt', buffer: bytes }]);
  await dialog(page).getByRole('button', { name: 'Use existing' }).click();
  await expect(tray(page).getByRole('heading')).toHaveText(/^\d+ uploaded$/, { timeout: 15_000 });
  expect(await namesIn(api, workspace.id)).toEqual(['kept.txt', 'original.txt']);

  // Replace: the oldest copy (same id) moves here, into the target folder, under the new name.
  // In-app navigation (a reload right after an upload may find it in Golden Retriever's store).
  await itemCell(page, target.displayName).dblclick();
  await expect(page).toHaveURL(new RegExp(`/files/${target.id}$`));
  await pick(page, [{ name: 'replaced.txt', buffer: bytes }]);
  await dialog(page).getByRole('button', { name: 'Replace' }).click();
  await expect(itemCell(page, 'replaced.txt')).toBeVisible({ timeout: 15_000 });
  const moved = await getFile(api, original.id);
  expect(moved?.displayName).toBe('replaced.txt');
  expect(moved?.parentFolderId).toBe(target.id);
  expect(await namesIn(api, workspace.id)).toEqual(['kept.txt']);

  // A batch: the choice with "apply to the rest" answers every later file; one question only.
  await pick(page, [
    { name: 'one.txt', buffer: bytes },
    { name: 'two.txt', buffer: bytes },
    { name: 'three.txt', buffer: bytes },
  ]);
  await expect(dialog(page)).toContainText('one.txt');
  await dialog(page)
    .getByLabel(/Apply to the rest of this batch \(2 more files\)/)
    .check();
  await dialog(page).getByRole('button', { name: 'Use existing' }).click();
  await expect(tray(page).getByRole('heading')).toHaveText(/^\d+ uploaded$/, { timeout: 15_000 });
  await expect(dialog(page)).toHaveCount(0);
  expect(await namesIn(api, target.id)).toEqual(['replaced.txt']);
});

test('the Duplicates view lists a group with its waste and merges it, warning about used files', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  test.setTimeout(90_000);
  const bytes = randomBytes(3000);
  const name = uniqueName('dup');
  const copies: ApiFile[] = [];
  for (const suffix of ['a', 'b', 'c']) {
    copies.push(
      await uploadFile(api, {
        fileName: `${name} ${suffix}.txt`,
        mimeType: 'text/plain',
        data: bytes,
        parentFolderId: workspace.id,
      }),
    );
  }
  // A site says it uses the third copy.
  const used = await api.put(`/site-media-ext/v1/files/${copies[2]!.id}/external-info`, {
    data: { externalInfo: { origin: 'https://shop.example', externalIds: ['/products/tea'] } },
  });
  expect(used.ok()).toBe(true);

  await page.goto('/');
  await page
    .getByRole('navigation', { name: 'Areas and folders' })
    .getByRole('link', { name: 'Duplicates' })
    .click();
  await expect(page).toHaveURL(/\/duplicates$/);
  const group = page.getByTestId('duplicate-group').filter({ hasText: `${name} a.txt` });
  await expect(group.getByRole('heading')).toHaveText(`3 copies of ${name} a.txt`, { timeout: 15_000 });
  await expect(group).toContainText('2.9 KB each');
  await expect(group).toContainText('5.9 KB wasted');
  // The oldest is kept unless the owner picks another.
  await expect(group.getByRole('radio', { name: new RegExp(`${name} a.txt`) })).toBeChecked();
  await group.getByRole('radio', { name: new RegExp(`${name} b.txt`) }).check();
  await group.getByRole('button', { name: 'Merge…' }).click();

  const confirm = page.getByRole('alertdialog', { name: 'Merge duplicates?' });
  await expect(confirm).toContainText(`Keep ${name} b.txt`);
  await expect(confirm.getByTestId('used-on-site-warning')).toContainText('/products/tea');
  await confirm.getByRole('button', { name: 'Move 2 to trash' }).click();
  await expect(group).toHaveCount(0);
  expect((await getFile(api, copies[0]!.id))?.state).toBe('DELETED');
  expect((await getFile(api, copies[1]!.id))?.state).toBe('OK');
  expect((await getFile(api, copies[2]!.id))?.state).toBe('DELETED');
});

// The README's screenshots of the dialog and the view (light and dark, desktop and phone):
// `DUPLICATES_SCREENSHOTS=1 npx playwright test e2e/duplicates.spec.ts -g screenshots`.
test('screenshots', async ({ signedInPage: page, api, workspace }) => {
  test.skip(!process.env.DUPLICATES_SCREENSHOTS, 'only when making the screenshots');
  test.setTimeout(180_000);
  const photo = randomBytes(180_000);
  const poster = randomBytes(40_000);
  for (const [name, data] of [
    ['beach.jpg', photo],
    ['beach (1).jpg', photo],
    ['beach copy.jpg', photo],
    ['poster.pdf', poster],
    ['poster-final.pdf', poster],
  ] as const) {
    await uploadFile(api, {
      fileName: name,
      mimeType: 'application/octet-stream',
      data,
      parentFolderId: workspace.id,
    });
  }
  const configurations = ['light', 'dark'].flatMap((scheme) =>
    (
      [
        ['desktop', { width: 1440, height: 900 }],
        ['phone', { width: 390, height: 844 }],
      ] as const
    ).map(([device, viewport]) => ({ scheme: scheme as 'light' | 'dark', device, viewport })),
  );
  await page.goto('/duplicates');
  await expect(page.getByTestId('duplicate-group').first()).toBeVisible({ timeout: 15_000 });
  for (const { scheme, device, viewport } of configurations) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize(viewport);
    await page.screenshot({ path: `docs/screenshots/duplicates-${scheme}-${device}.png` });
  }

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/files/${workspace.id}`);
  await expect(itemCell(page, 'poster.pdf')).toBeVisible({ timeout: 15_000 });
  await pick(page, [
    { name: 'beach-2.jpg', buffer: photo },
    { name: 'notes.txt', buffer: randomBytes(100) },
  ]);
  await expect(dialog(page)).toBeVisible({ timeout: 15_000 });
  await expect(dialog(page).getByTestId('duplicate-existing')).toContainText('beach.jpg');
  for (const { scheme, device, viewport } of configurations) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize(viewport);
    await page.screenshot({ path: `docs/screenshots/duplicate-ask-${scheme}-${device}.png` });
  }
  await dialog(page).getByRole('button', { name: 'Use existing' }).click();
  await expect(tray(page).getByRole('heading')).toHaveText(/^\d+ uploaded$/, { timeout: 15_000 });
});
