import { type Page } from '@playwright/test';
import {
  createFolder,
  deleteFiles,
  expect,
  expectListingNotAriaDisabled,
  folderUrl,
  getFile,
  getFolder,
  itemCell,
  selectOnly,
  test,
  uploadFile,
  toast,
} from './fixtures';

function selectionBar(page: Page) {
  return page.getByRole('region', { name: 'Selection' });
}

async function openTrash(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Areas and folders' })
    .getByRole('link', { name: 'Trash' })
    .click();
  await expect(page).toHaveURL(/\/trash$/);
  await expect(page.getByRole('searchbox', { name: 'Search Trash' })).toBeVisible();
  await expectListingNotAriaDisabled(page);
}

test('moves a selection to the trash, restores it where it was, and deletes forever', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const album = await createFolder(api, 'Album', workspace.id);
  const inAlbum = await uploadFile(api, {
    fileName: 'in-album.txt',
    mimeType: 'text/plain',
    data: 'in album',
    parentFolderId: album.id,
  });
  const poster = await uploadFile(api, {
    fileName: 'poster.txt',
    mimeType: 'text/plain',
    data: 'poster',
    parentFolderId: workspace.id,
  });
  const keep = await uploadFile(api, {
    fileName: 'keep.txt',
    mimeType: 'text/plain',
    data: 'keep',
    parentFolderId: workspace.id,
  });

  // Select the folder and one file (the details panel open first, so the grid does not reflow under a click).
  await page.goto(`/files/${workspace.id}?item=file:${keep.id}`);
  await selectOnly(page, 'Album');
  await itemCell(page, 'poster.txt').click({ modifiers: ['ControlOrMeta'] });
  await expect(selectionBar(page)).toContainText('2 selected');
  await selectionBar(page).getByRole('button', { name: 'Move to Trash' }).click();

  // The confirmation says what goes where.
  const confirm = page.getByRole('alertdialog', { name: 'Move 1 folder and 1 file to the trash?' });
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText('1 folder and 1 file will go to the trash with everything inside.');
  await expect(confirm).toContainText('you can restore them from Trash');
  // Cancel changes nothing.
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(itemCell(page, 'Album')).toBeVisible();
  await expect(selectionBar(page)).toContainText('2 selected');

  await selectionBar(page).getByRole('button', { name: 'Move to Trash' }).click();
  await confirm.getByRole('button', { name: 'Move to Trash' }).click();
  await expect(confirm).toBeHidden();
  await expect(toast(page, 'Moved 2 items to the trash')).toBeVisible();
  await expect(itemCell(page, 'Album')).toHaveCount(0);
  await expect(itemCell(page, 'poster.txt')).toHaveCount(0);
  await expect(itemCell(page, 'keep.txt')).toBeVisible();
  await expect(selectionBar(page)).toHaveCount(0);
  await expect(
    page.getByRole('tree', { name: 'Site Files folders' }).getByRole('treeitem', { name: 'Album' }),
  ).toHaveCount(0);
  expect((await getFolder(api, album.id))?.state).toBe('DELETED');
  expect((await getFile(api, poster.id))?.state).toBe('DELETED');

  // Both are in the trash (the trash is shared with other specs: look for these two only).
  await openTrash(page);
  await expect(itemCell(page, 'Album')).toBeVisible();
  await expect(itemCell(page, 'poster.txt')).toBeVisible();
  await expect(itemCell(page, 'keep.txt')).toHaveCount(0);
  // What was inside the folder went with it.
  await selectOnly(page, 'Album');
  await itemCell(page, 'Album').dblclick();
  await expect(page).toHaveURL(new RegExp(`/trash/${album.id}`));
  await expect(itemCell(page, 'in-album.txt')).toBeVisible();
  await page.goBack();
  await expect(itemCell(page, 'poster.txt')).toBeVisible();

  // Restore both.
  await selectOnly(page, 'Album');
  await itemCell(page, 'poster.txt').click({ modifiers: ['ControlOrMeta'] });
  await expect(selectionBar(page)).toContainText('2 selected');
  await selectionBar(page).getByRole('button', { name: 'Restore' }).click();
  await expect(toast(page, 'Restored 2 items')).toBeVisible();
  await expect(itemCell(page, 'Album')).toHaveCount(0);
  await expect(itemCell(page, 'poster.txt')).toHaveCount(0);

  // They are back where they were, the folder with its contents.
  await page.goto(`/files/${workspace.id}`);
  await expect(itemCell(page, 'Album')).toBeVisible();
  await expect(itemCell(page, 'poster.txt')).toBeVisible();
  expect(await getFile(api, inAlbum.id)).toMatchObject({ state: 'OK', parentFolderId: album.id });
  expect(await getFile(api, poster.id)).toMatchObject({ state: 'OK', parentFolderId: workspace.id });
  await selectOnly(page, 'Album');
  await itemCell(page, 'Album').dblclick();
  await expect(page).toHaveURL(folderUrl(album.id));
  await expect(itemCell(page, 'in-album.txt')).toBeVisible();

  // Delete key: one file to the trash, then delete it forever from there.
  await page.goto(`/files/${workspace.id}?item=file:${poster.id}`);
  await selectOnly(page, 'poster.txt');
  await page.keyboard.press('Delete');
  const trashOne = page.getByRole('alertdialog', { name: 'Move “poster.txt” to the trash?' });
  await expect(trashOne).toContainText('“poster.txt” will go to the trash.');
  await trashOne.getByRole('button', { name: 'Move to Trash' }).click();
  await expect(itemCell(page, 'poster.txt')).toHaveCount(0);

  await openTrash(page);
  await selectOnly(page, 'poster.txt');
  await selectionBar(page).getByRole('button', { name: 'Delete forever' }).click();
  const forever = page.getByRole('alertdialog', { name: 'Delete “poster.txt” forever?' });
  await expect(forever).toContainText('will be deleted with their bytes');
  await expect(forever).toContainText('This cannot be undone.');
  await forever.getByRole('button', { name: 'Delete forever' }).click();
  await expect(forever).toBeHidden();
  await expect(toast(page, 'Deleted “poster.txt” forever')).toBeVisible();
  await expect(itemCell(page, 'poster.txt')).toHaveCount(0);
  await expect.poll(() => getFile(api, poster.id)).toBeNull();
  // Gone for good: not in the trash after a reload either.
  await page.reload();
  await expect(page.getByRole('searchbox', { name: 'Search Trash' })).toBeVisible();
  await expect(itemCell(page, 'poster.txt')).toHaveCount(0);
});

test('Empty trash deletes everything in the trash for good', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const old = await createFolder(api, 'Old stuff', workspace.id);
  const draft = await uploadFile(api, {
    fileName: 'draft.txt',
    mimeType: 'text/plain',
    data: 'draft',
    parentFolderId: workspace.id,
  });
  const inOld = await uploadFile(api, {
    fileName: 'in-old.txt',
    mimeType: 'text/plain',
    data: 'old',
    parentFolderId: old.id,
  });
  await deleteFiles(api, [draft.id]);
  await api.post('/site-media/v1/bulk/folders/delete', { data: { folderIds: [old.id] } });

  await page.goto('/trash');
  await expectListingNotAriaDisabled(page);
  await expect(itemCell(page, 'draft.txt')).toBeVisible();
  await expect(itemCell(page, 'Old stuff')).toBeVisible();

  await page.getByRole('button', { name: 'Empty trash' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Empty the trash?' });
  await expect(confirm).toContainText('Everything in the trash is deleted forever');
  await expect(confirm).toContainText('This cannot be undone.');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(itemCell(page, 'draft.txt')).toBeVisible();

  await page.getByRole('button', { name: 'Empty trash' }).click();
  await confirm.getByRole('button', { name: 'Empty trash' }).click();
  await expect(confirm).toBeHidden();
  await expect(toast(page, /^Emptied the trash \(\d+ items\)/)).toBeVisible();
  await expect(page.getByText('The trash is empty')).toBeVisible();
  await expect(page.getByRole('grid')).toHaveCount(0);

  await expect.poll(() => getFile(api, draft.id)).toBeNull();
  await expect.poll(() => getFile(api, inOld.id)).toBeNull();
  await expect.poll(() => getFolder(api, old.id)).toBeNull();
  await page.reload();
  await expect(page.getByText('The trash is empty')).toBeVisible();

  // The rest of the workspace is untouched.
  expect((await getFolder(api, workspace.id))?.state).toBe('OK');
});
