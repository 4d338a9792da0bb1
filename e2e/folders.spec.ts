import {
  createFolder,
  expect,
  folderUrl,
  getFile,
  getFolder,
  itemCell,
  selectOnly,
  test,
  treeNode,
  treeRow,
  uploadFile,
  toast,
} from './fixtures';

test('creates a folder with New folder, checking the name first', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  await page.goto(`/files/${workspace.id}`);
  await expect(page.getByText('This folder is empty')).toBeVisible();

  await page.getByRole('button', { name: 'New folder' }).click();
  const dialog = page.getByRole('dialog', { name: 'New folder' });
  await expect(dialog).toBeVisible();
  const name = dialog.getByLabel('Folder name');
  await expect(name).toBeFocused();
  await expect(name).toHaveValue('');

  // An empty (or blank) name is refused before anything is sent.
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Enter a name.');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await name.fill('   ');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Enter a name.');

  // So is a name with a slash.
  await name.fill('2024/summer');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('A name cannot contain / or \\.');
  await expect(dialog).toBeVisible();

  await name.fill('Summer 2024');
  await name.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(toast(page, 'Created folder “Summer 2024”')).toBeVisible();

  // The listing and the sidebar tree show it without a reload.
  await expect(itemCell(page, 'Summer 2024')).toBeVisible();
  await expect(page.getByText('This folder is empty')).toBeHidden();
  const sidebarTree = page.getByRole('tree', { name: 'Site Files folders' });
  await expect(treeNode(sidebarTree, 'Summer 2024')).toBeVisible();
  await expect(treeNode(sidebarTree, workspace.displayName)).toHaveAttribute('aria-expanded', 'true');

  // It exists on the server, in this folder.
  await treeRow(treeNode(sidebarTree, 'Summer 2024')).click();
  await expect(
    page.getByRole('navigation', { name: 'Breadcrumb' }).locator('[aria-current="page"]'),
  ).toHaveText('Summer 2024');
  const id = new URL(page.url()).pathname.split('/').pop()!;
  expect((await getFolder(api, id))?.parentFolderId).toBe(workspace.id);
});

test('renames with F2 and with the info panel; the server’s refusal shows in the dialog', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const folder = await createFolder(api, 'Drafts', workspace.id);
  const file = await uploadFile(api, {
    fileName: 'report.txt',
    mimeType: 'text/plain',
    data: 'report',
    parentFolderId: workspace.id,
  });
  const sidebarTree = page.getByRole('tree', { name: 'Site Files folders' });

  await page.goto(`/files/${workspace.id}`);
  await expect(treeNode(sidebarTree, 'Drafts')).toBeVisible();

  // F2 on the focused folder tile.
  await itemCell(page, 'Drafts').click();
  await expect(itemCell(page, 'Drafts')).toBeFocused();
  await page.keyboard.press('F2');
  const renameFolder = page.getByRole('dialog', { name: 'Rename folder' });
  await expect(renameFolder.getByLabel('Name')).toHaveValue('Drafts');
  await renameFolder.getByLabel('Name').fill('Final');
  await renameFolder.getByRole('button', { name: 'Rename' }).click();
  await expect(renameFolder).toBeHidden();
  await expect(itemCell(page, 'Final')).toBeVisible();
  await expect(itemCell(page, 'Drafts')).toHaveCount(0);
  await expect(treeNode(sidebarTree, 'Final')).toBeVisible();
  await expect(treeNode(sidebarTree, 'Drafts')).toHaveCount(0);
  await expect.poll(async () => (await getFolder(api, folder.id))?.displayName).toBe('Final');

  // The info panel's Rename button, on a file.
  await itemCell(page, 'report.txt').click();
  const panel = page.getByRole('complementary', { name: 'Details of report.txt' });
  await panel.getByRole('button', { name: 'Rename' }).click();
  const renameFile = page.getByRole('dialog', { name: 'Rename file' });
  const nameField = renameFile.getByLabel('Name');
  await expect(nameField).toHaveValue('report.txt');

  // A name the app lets through but the server refuses (U+0085 is a C1 control character): the server's
  // reason is shown in the dialog, which stays open, and nothing changes.
  await nameField.fill('report\u0085v2.txt');
  await renameFile.getByRole('button', { name: 'Rename' }).click();
  await expect(renameFile.getByRole('alert')).toContainText('control characters');
  await expect(renameFile).toBeVisible();
  // Behind the (modal) dialog, the tile has its old name again.
  await expect(page.locator(`[data-key="file:${file.id}"]`)).toHaveAttribute('aria-label', 'report.txt');
  expect((await getFile(api, file.id))?.displayName).toBe('report.txt');

  // Focusing the field selects the name without its extension, so typing keeps the extension.
  await nameField.blur();
  await nameField.focus();
  await page.keyboard.type('report v2');
  await expect(nameField).toHaveValue('report v2.txt');
  await renameFile.getByRole('button', { name: 'Rename' }).click();
  await expect(renameFile).toBeHidden();
  await expect(itemCell(page, 'report v2.txt')).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Details of report v2.txt' })).toBeVisible();
  await expect.poll(async () => (await getFile(api, file.id))?.displayName).toBe('report v2.txt');

  // A folder that went to the trash meanwhile cannot be renamed: the server says so in the dialog.
  await itemCell(page, 'Final').click();
  await page
    .getByRole('complementary', { name: 'Details of Final' })
    .getByRole('button', { name: 'Rename' })
    .click();
  await expect(renameFolder.getByLabel('Name')).toHaveValue('Final');
  await api.post('/site-media/v1/bulk/folders/delete', { data: { folderIds: [folder.id] } });
  await renameFolder.getByLabel('Name').fill('Too late');
  await renameFolder.getByRole('button', { name: 'Rename' }).click();
  await expect(renameFolder.getByRole('alert')).not.toBeEmpty();
  await expect(renameFolder).toBeVisible();
  await renameFolder.getByRole('button', { name: 'Cancel' }).click();
  await expect(renameFolder).toBeHidden();
  expect((await getFolder(api, folder.id))?.displayName).toBe('Final');
});

test('moves a folder with Move to…, where it cannot be its own destination', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const photos = await createFolder(api, 'Photos', workspace.id);
  await createFolder(api, 'Inside photos', photos.id);
  const archive = await createFolder(api, 'Archive', workspace.id);
  const sidebarTree = page.getByRole('tree', { name: 'Site Files folders' });

  // The details of Photos are open (clicking a tile while they are closed is unreliable: see selection.spec.ts).
  await page.goto(`/files/${workspace.id}?item=folder:${photos.id}`);
  await selectOnly(page, 'Photos');
  await page
    .getByRole('complementary', { name: 'Details of Photos' })
    .getByRole('button', { name: 'Move to…' })
    .click();

  const dialog = page.getByRole('dialog', { name: 'Move “Photos” to…' });
  await expect(dialog).toBeVisible();
  const destinations = dialog.getByRole('tree', { name: 'Destination folder', exact: true });
  const moveButton = dialog.getByRole('button', { name: /^Move/ });
  await expect(moveButton).toBeDisabled();

  // Open the workspace in the dialog's tree (Right arrow expands the focused node).
  await treeRow(treeNode(destinations, workspace.displayName)).click();
  await expect(moveButton).toHaveText(`Move to ${workspace.displayName}`);
  await page.keyboard.press('ArrowRight');
  const photosNode = treeNode(destinations, 'Photos');
  await expect(photosNode).toBeVisible();

  // The folder being moved is shown but cannot be chosen, nor can anything inside it.
  await expect(photosNode).toHaveAttribute('aria-disabled', 'true');
  await treeRow(photosNode).click();
  await expect(photosNode).toHaveAttribute('aria-selected', 'false');
  await expect(moveButton).toHaveText(`Move to ${workspace.displayName}`);
  await page.keyboard.press('ArrowRight');
  await expect(treeNode(destinations, 'Inside photos')).toHaveAttribute('aria-disabled', 'true');

  await treeRow(treeNode(destinations, 'Archive')).click();
  await expect(treeNode(destinations, 'Archive')).toHaveAttribute('aria-selected', 'true');
  await expect(moveButton).toHaveText('Move to Archive');
  await moveButton.click();
  await expect(dialog).toBeHidden();
  await expect(toast(page, 'Moved “Photos” to Archive')).toBeVisible();

  // The listing and the tree follow without a reload.
  await expect(itemCell(page, 'Photos')).toHaveCount(0);
  await expect(itemCell(page, 'Archive')).toBeVisible();
  await expect(treeNode(sidebarTree, 'Photos')).toHaveCount(0);
  await expect.poll(async () => (await getFolder(api, photos.id))?.parentFolderId).toBe(archive.id);

  // Select it first (the first click opens the details panel, which reflows the grid), then double-click.
  await selectOnly(page, 'Archive');
  await itemCell(page, 'Archive').dblclick();
  await expect(page).toHaveURL(folderUrl(archive.id));
  await expect(itemCell(page, 'Photos')).toBeVisible();
  await expect(treeNode(sidebarTree, 'Photos')).toBeVisible();
});

test('moves items by dragging a tile onto a folder tile and onto a folder of the tree', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const inbox = await createFolder(api, 'Inbox', workspace.id);
  const done = await createFolder(api, 'Done', workspace.id);
  const letter = await uploadFile(api, {
    fileName: 'letter.txt',
    mimeType: 'text/plain',
    data: 'letter',
    parentFolderId: workspace.id,
  });
  const invoice = await uploadFile(api, {
    fileName: 'invoice.txt',
    mimeType: 'text/plain',
    data: 'invoice',
    parentFolderId: workspace.id,
  });
  const sidebarTree = page.getByRole('tree', { name: 'Site Files folders' });

  // With the details panel open, which keeps the grid from reflowing under the pointer.
  await page.goto(`/files/${workspace.id}?item=file:${letter.id}`);
  await expect(treeNode(sidebarTree, 'Inbox')).toBeVisible();

  // A file tile onto a folder tile, clicked first (the test below drags a tile
  // that is not focused yet).
  await selectOnly(page, 'letter.txt');
  await itemCell(page, 'letter.txt').dragTo(itemCell(page, 'Inbox'));
  await expect(toast(page, 'Moved “letter.txt” to Inbox')).toBeVisible();
  await expect(itemCell(page, 'letter.txt')).toHaveCount(0);
  await expect.poll(async () => (await getFile(api, letter.id))?.parentFolderId).toBe(inbox.id);

  // A file tile onto a node of the sidebar tree.
  await selectOnly(page, 'invoice.txt');
  await itemCell(page, 'invoice.txt').dragTo(treeRow(treeNode(sidebarTree, 'Done')));
  await expect(toast(page, 'Moved “invoice.txt” to Done')).toBeVisible();
  await expect(itemCell(page, 'invoice.txt')).toHaveCount(0);
  await expect.poll(async () => (await getFile(api, invoice.id))?.parentFolderId).toBe(done.id);

  // A folder tile onto a folder tile: the tree follows.
  await selectOnly(page, 'Inbox');
  await itemCell(page, 'Inbox').dragTo(itemCell(page, 'Done'));
  await expect(itemCell(page, 'Inbox')).toHaveCount(0);
  await expect(treeNode(sidebarTree, 'Inbox')).toHaveCount(0);
  await expect.poll(async () => (await getFolder(api, inbox.id))?.parentFolderId).toBe(done.id);

  // Where they went.
  await selectOnly(page, 'Done');
  await itemCell(page, 'Done').dblclick();
  await expect(page).toHaveURL(folderUrl(done.id));
  await expect(itemCell(page, 'invoice.txt')).toBeVisible();
  await expect(itemCell(page, 'Inbox')).toBeVisible();
  await expect(treeNode(sidebarTree, 'Inbox')).toBeVisible();
  await selectOnly(page, 'Inbox');
  await itemCell(page, 'Inbox').dblclick();
  await expect(page).toHaveURL(folderUrl(inbox.id));
  await expect(itemCell(page, 'letter.txt')).toBeVisible();
});

test('drags a tile that was not clicked first onto a folder tile', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  // Regression: pressing the mouse on a tile once opened the details panel, the tiles reflowed under the
  // pointer, and the drag never started. The details column now keeps its place whatever is focused.
  const inbox = await createFolder(api, 'Inbox', workspace.id);
  await createFolder(api, 'Done', workspace.id);
  const letter = await uploadFile(api, {
    fileName: 'letter.txt',
    mimeType: 'text/plain',
    data: 'letter',
    parentFolderId: workspace.id,
  });
  await uploadFile(api, {
    fileName: 'invoice.txt',
    mimeType: 'text/plain',
    data: 'x',
    parentFolderId: workspace.id,
  });

  await page.goto(`/files/${workspace.id}`);
  await expect(itemCell(page, 'letter.txt')).toBeVisible();
  await itemCell(page, 'letter.txt').dragTo(itemCell(page, 'Inbox'));
  await expect(toast(page, 'Moved “letter.txt” to Inbox')).toBeVisible();
  await expect(itemCell(page, 'letter.txt')).toHaveCount(0);
  await expect.poll(async () => (await getFile(api, letter.id))?.parentFolderId).toBe(inbox.id);
});
