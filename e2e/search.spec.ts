import { randomBytes } from 'node:crypto';
import { type Page } from '@playwright/test';
import {
  createFolder,
  expect,
  expectListingNotAriaDisabled,
  itemNames,
  test,
  uploadFile,
  urlParams,
} from './fixtures';

/** A valid 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function chooseFromMenu(page: Page, trigger: RegExp, option: string): Promise<void> {
  await page.getByRole('button', { name: trigger }).click();
  const menu = page.getByRole('menu');
  await expect(menu).toBeVisible();
  await menu.getByRole('menuitemradio', { name: option, exact: true }).click();
  await expect(menu).toBeHidden();
}

test('search finds files in sub-folders, the type filter narrows, sort reorders; the URL keeps it all', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  // A word no other spec's files contain: the search covers all of Site Files.
  const word = `w${randomBytes(4).toString('hex')}`;
  const deep = await createFolder(api, 'Deep', workspace.id);
  const deeper = await createFolder(api, 'Deeper', deep.id);
  const kiwi = `kiwi ${word}.txt`;
  const mango = `mango ${word}.png`;
  const zebra = `zebra ${word}.txt`;
  // Upload order (so "last updated" order): kiwi, apple, mango. Sizes: kiwi 1200, apple 100, mango 70 bytes.
  await uploadFile(api, {
    fileName: kiwi,
    mimeType: 'text/plain',
    data: 'k'.repeat(1200),
    parentFolderId: workspace.id,
  });
  await uploadFile(api, {
    fileName: 'apple.txt',
    mimeType: 'text/plain',
    data: 'a'.repeat(100),
    parentFolderId: workspace.id,
  });
  await uploadFile(api, { fileName: mango, mimeType: 'image/png', data: PNG, parentFolderId: workspace.id });
  await uploadFile(api, {
    fileName: zebra,
    mimeType: 'text/plain',
    data: 'zebra',
    parentFolderId: deeper.id,
  });

  await page.goto(`/files/${workspace.id}`);
  await expect.poll(() => itemNames(page)).toEqual(['Deep', mango, 'apple.txt', kiwi]);

  // Sort by name: folders first, then files A to Z.
  await chooseFromMenu(page, /^Sort by Last updated/, 'Name');
  await expect(page.getByRole('button', { name: 'Sort by Name, ascending' })).toBeVisible();
  await expect.poll(() => itemNames(page)).toEqual(['Deep', 'apple.txt', kiwi, mango]);
  expect(urlParams(page)).toEqual({ sort: 'name', order: 'asc' });

  // Descending.
  await chooseFromMenu(page, /^Sort by Name/, 'Descending');
  await expect(page.getByRole('button', { name: 'Sort by Name, descending' })).toBeVisible();
  await expect.poll(() => itemNames(page)).toEqual(['Deep', mango, kiwi, 'apple.txt']);
  expect(urlParams(page)).toEqual({ sort: 'name', order: 'desc' });

  // By size: largest first (folders have no size and stay first, by name).
  await chooseFromMenu(page, /^Sort by Name/, 'Size');
  await expect(page.getByRole('button', { name: 'Sort by Size, descending' })).toBeVisible();
  await expect.poll(() => itemNames(page)).toEqual(['Deep', kiwi, 'apple.txt', mango]);
  expect(urlParams(page)).toEqual({ sort: 'size', order: 'desc' });
  await chooseFromMenu(page, /^Sort by Size/, 'Ascending');
  await expect.poll(() => itemNames(page)).toEqual(['Deep', mango, 'apple.txt', kiwi]);

  // A reload keeps the sort.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sort by Size, ascending' })).toBeVisible();
  await expect.poll(() => itemNames(page)).toEqual(['Deep', mango, 'apple.txt', kiwi]);

  // Back to last updated for the search.
  await chooseFromMenu(page, /^Sort by Size/, 'Last updated');
  await expect(page.getByRole('button', { name: 'Sort by Last updated, descending' })).toBeVisible();

  // The search box is debounced: typing a word quickly searches for the whole word only, not for each prefix.
  const searched: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/site-media/v1/files/search')) {
      searched.push((request.postDataJSON() as { search?: string }).search ?? '');
    }
  });
  // `/` jumps to the search box.
  const box = page.getByRole('searchbox', { name: 'Search Site Files' });
  await page.keyboard.press('/');
  await expect(box).toBeFocused();
  await page.keyboard.type(word);
  await expect(page.getByText(`Results in all of Site Files for “${word}”`)).toBeVisible();
  await expect(page).toHaveTitle(`Search: ${word} · Site Media Manager`);
  await expectListingNotAriaDisabled(page);
  // It finds the matching files at every depth of Site Files, not the others.
  await expect.poll(() => itemNames(page)).toEqual([zebra, mango, kiwi]);
  expect(new Set(searched)).toEqual(new Set([word]));
  expect(urlParams(page)).toEqual({ sort: 'updated', order: 'desc', q: word });
  // Searching is not a place to create folders in.
  await expect(page.getByRole('button', { name: 'New folder' })).toBeDisabled();

  // The type filter shows only that type.
  await chooseFromMenu(page, /^Type filter/, 'Image');
  await expect(page.getByRole('button', { name: 'Type filter: Image' })).toBeVisible();
  await expect.poll(() => itemNames(page)).toEqual([mango]);
  expect(urlParams(page)).toMatchObject({ q: word, type: 'image' });
  await chooseFromMenu(page, /^Type filter/, 'Document');
  await expect.poll(() => itemNames(page)).toEqual([zebra, kiwi]);
  expect(urlParams(page)).toMatchObject({ q: word, type: 'document' });

  // Search and filter together come back from the URL.
  await page.reload();
  await expect(box).toHaveValue(word);
  await expect(page.getByRole('button', { name: 'Type filter: Document' })).toBeVisible();
  await expect.poll(() => itemNames(page)).toEqual([zebra, kiwi]);

  // With a filter that matches nothing, the app says so.
  await chooseFromMenu(page, /^Type filter/, 'Video');
  await expect(page.getByText('Nothing matches')).toBeVisible();

  // Clearing the search and the filter shows the folder again.
  await chooseFromMenu(page, /^Type filter/, 'All types');
  await box.fill('');
  await expect(page.getByText(/^Results in all of/)).toBeHidden();
  await expect.poll(() => itemNames(page)).toEqual(['Deep', mango, 'apple.txt', kiwi]);
  expect(urlParams(page)).toEqual({ sort: 'updated', order: 'desc' });

  // The type filter also works on a folder's own listing (files only).
  await chooseFromMenu(page, /^Type filter/, 'Document');
  await expect.poll(() => itemNames(page)).toEqual(['apple.txt', kiwi]);
});
