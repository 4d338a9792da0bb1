// Undo: move, move to trash, rename and restore show a toast with "Undo" (and Ctrl/⌘+Z while it is shown) that
// reverses exactly that action on the server; items changed since are left alone and the toast says how many.
// "Select all N" operations are undone on the server (`POST /site-media-ext/v1/bulk-operations/{id}/undo`).
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import {
  createFolder,
  deleteFiles,
  expect,
  getFile,
  getFolder,
  itemCell,
  selectOnly,
  test,
  toast,
  treeNode,
  treeRow,
  uploadFile,
} from './fixtures';
import { seededName, seedPngs } from './seed';

/** Where the toast screenshots go, when set (e.g. `docs/screenshots`). */
const shotsDir = process.env.UNDO_SCREENSHOTS;

// A slow machine: each test does several round trips and waits for listings to refetch.
test.describe.configure({ timeout: 120_000 });

function selectionBar(page: Page) {
  return page.getByRole('region', { name: 'Selection' });
}

/** Undoes through the toast's button, or with Ctrl+Z while the toast is shown. */
async function undo(page: Page, toastText: string, how: 'button' | 'keys'): Promise<void> {
  const shown = toast(page, toastText);
  await expect(shown.getByRole('button', { name: 'Undo' })).toBeVisible();
  if (how === 'button') await shown.getByRole('button', { name: 'Undo' }).click();
  else await page.keyboard.press('Control+z');
  await expect(shown).toHaveCount(0);
}

async function moveSelectionTo(page: Page, workspaceName: string, folderName: string): Promise<void> {
  await selectionBar(page).getByRole('button', { name: 'Move to…' }).click();
  const dialog = page.getByRole('dialog', { name: /^Move .* to…$/ });
  const destinations = dialog.getByRole('tree', { name: 'Destination folder', exact: true });
  await treeRow(treeNode(destinations, workspaceName)).click();
  await page.keyboard.press('ArrowRight');
  await treeRow(treeNode(destinations, folderName)).click();
  await dialog.getByRole('button', { name: `Move to ${folderName}` }).click();
  await expect(dialog).toBeHidden();
}

for (const how of ['button', 'keys'] as const) {
  test(`move, then Undo (${how}) moves it back; an item moved again since stays`, async ({
    signedInPage: page,
    api,
    workspace,
  }) => {
    const archive = await createFolder(api, 'Archive', workspace.id);
    const elsewhere = await createFolder(api, 'Elsewhere', workspace.id);
    const a = await uploadFile(api, {
      fileName: 'a.txt',
      mimeType: 'text/plain',
      data: 'a',
      parentFolderId: workspace.id,
    });
    const b = await uploadFile(api, {
      fileName: 'b.txt',
      mimeType: 'text/plain',
      data: 'b',
      parentFolderId: workspace.id,
    });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`/files/${workspace.id}?item=file:${a.id}`);
    await selectOnly(page, 'a.txt');
    // Ctrl+click again only while b.txt is not selected (a click landing during a reflow is lost).
    await expect(async () => {
      if (!(await selectionBar(page).textContent())?.includes('2 selected')) {
        await itemCell(page, 'b.txt').click({ modifiers: ['ControlOrMeta'] });
      }
      await expect(selectionBar(page)).toContainText('2 selected', { timeout: 2000 });
    }).toPass({ timeout: 20_000 });
    await moveSelectionTo(page, workspace.displayName, 'Archive');
    await expect(toast(page, 'Moved 2 items to Archive')).toBeVisible();
    await expect(itemCell(page, 'a.txt')).toHaveCount(0);
    if (shotsDir && how === 'button') {
      mkdirSync(shotsDir, { recursive: true });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: path.join(shotsDir, `undo-toast-${scheme}-desktop.png`) });
      }
      // Still dark: the phone picture shows the dark toast.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: path.join(shotsDir, 'undo-toast-dark-phone.png') });
      await page.emulateMedia({ colorScheme: 'light' });
      await page.setViewportSize({ width: 1440, height: 900 });
    }

    if (how === 'button') {
      // Changed since by someone else: moved on into another folder. Undo leaves it there.
      const response = await api.patch('/site-media/v1/files/update-file-descriptor', {
        data: { file: { id: b.id, parentFolderId: elsewhere.id } },
      });
      expect(response.ok()).toBe(true);
    }
    await undo(page, 'Moved 2 items to Archive', how);
    await expect(toast(page, 'Moved 2 items back')).toBeVisible();
    await expect(itemCell(page, 'a.txt')).toBeVisible();
    expect((await getFile(api, a.id))?.parentFolderId).toBe(workspace.id);
    if (how === 'button') {
      await expect(toast(page, 'Moved 2 items back')).toContainText(
        '1 of 2 items could not be undone: they changed since.',
      );
      expect((await getFile(api, b.id))?.parentFolderId).toBe(elsewhere.id);
    } else {
      await expect(itemCell(page, 'b.txt')).toBeVisible();
      expect((await getFile(api, b.id))?.parentFolderId).toBe(workspace.id);
    }
    expect((await getFolder(api, archive.id))?.state).toBe('OK');
  });

  test(`move to trash, then Undo (${how}) restores it`, async ({ signedInPage: page, api, workspace }) => {
    const album = await createFolder(api, 'Album', workspace.id);
    const poster = await uploadFile(api, {
      fileName: 'poster.txt',
      mimeType: 'text/plain',
      data: 'p',
      parentFolderId: workspace.id,
    });
    await page.goto(`/files/${workspace.id}?item=file:${poster.id}`);
    await selectOnly(page, 'Album');
    await itemCell(page, 'poster.txt').click({ modifiers: ['ControlOrMeta'] });
    await selectionBar(page).getByRole('button', { name: 'Move to Trash' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Move 1 folder and 1 file to the trash?' });
    await confirm.getByRole('button', { name: 'Move to Trash' }).click();
    await expect(confirm).toBeHidden();
    await expect(itemCell(page, 'Album')).toHaveCount(0);
    await undo(page, 'Moved 2 items to the trash', how);
    await expect(toast(page, 'Restored 2 items')).toBeVisible();
    await expect(itemCell(page, 'Album')).toBeVisible({ timeout: 15_000 });
    await expect(itemCell(page, 'poster.txt')).toBeVisible({ timeout: 15_000 });
    expect(await getFolder(api, album.id)).toMatchObject({ state: 'OK', parentFolderId: workspace.id });
    expect(await getFile(api, poster.id)).toMatchObject({ state: 'OK', parentFolderId: workspace.id });
  });

  test(`rename, then Undo (${how}) gives the old name back`, async ({
    signedInPage: page,
    api,
    workspace,
  }) => {
    const folder = await createFolder(api, 'Drafts', workspace.id);
    await page.goto(`/files/${workspace.id}?item=folder:${folder.id}`);
    await selectOnly(page, 'Drafts');
    await page.keyboard.press('F2');
    const dialog = page.getByRole('dialog', { name: 'Rename folder' });
    await dialog.getByLabel('Name').fill('Final');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await expect(dialog).toBeHidden();
    await expect(itemCell(page, 'Final')).toBeVisible();
    await undo(page, 'Renamed “Drafts” to “Final”', how);
    await expect(toast(page, 'Renamed “Final” back to “Drafts”')).toBeVisible();
    await expect(itemCell(page, 'Drafts')).toBeVisible();
    await expect(itemCell(page, 'Final')).toHaveCount(0);
    expect((await getFolder(api, folder.id))?.displayName).toBe('Drafts');
  });

  test(`restore, then Undo (${how}) puts it back in the trash`, async ({
    signedInPage: page,
    api,
    workspace,
  }) => {
    const name = `restore-${how}-${Date.now()}.txt`;
    const file = await uploadFile(api, {
      fileName: name,
      mimeType: 'text/plain',
      data: 'r',
      parentFolderId: workspace.id,
    });
    await deleteFiles(api, [file.id]);
    await page.goto(`/trash?item=file:${file.id}`);
    await selectOnly(page, name);
    await selectionBar(page).getByRole('button', { name: 'Restore' }).click();
    await expect(itemCell(page, name)).toHaveCount(0);
    await undo(page, `Restored “${name}”`, how);
    await expect(toast(page, `Moved “${name}” back to the trash`)).toBeVisible();
    await expect(itemCell(page, name)).toBeVisible();
    expect((await getFile(api, file.id))?.state).toBe('DELETED');
  });
}

test('"Select all N", Move to Trash, then Undo restores every item on the server', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  test.setTimeout(240_000);
  // More than one page (100 items): "Select all N" is offered only when not everything is loaded.
  const count = 130;
  const source = await createFolder(api, 'Source', workspace.id);
  await seedPngs(api, source.id, count);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/files/${source.id}?sort=name&order=asc`);
  await expect(itemCell(page, seededName(0))).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('folder-count')).toContainText(`${count} items`, { timeout: 15_000 });
  await itemCell(page, seededName(0)).focus();
  await page.keyboard.press('Control+a');
  await selectionBar(page)
    .getByRole('button', { name: `Select all ${count}` })
    .click();
  await selectionBar(page).getByRole('button', { name: 'Move to Trash' }).click();
  await page
    .getByRole('alertdialog', { name: `Move all ${count} items of Source to the trash?` })
    .getByRole('button', { name: 'Move to Trash' })
    .click();
  const trashed = toast(page, `Moved ${count} items to the trash`);
  await expect(trashed).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText('This folder is empty')).toBeVisible();

  await trashed.getByRole('button', { name: 'Undo' }).click();
  await expect(toast(page, `Undid the change of ${count} items`)).toBeVisible({ timeout: 90_000 });
  await expect(itemCell(page, seededName(0))).toBeVisible();
  await expect(page.getByTestId('folder-count')).toContainText(`${count} items`);
  const response = await api.get(`/site-media-ext/v1/folders/${source.id}/item-count`);
  expect(await response.json()).toEqual({ folders: 0, files: count, estimated: false });
});
