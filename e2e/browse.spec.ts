import {
  createFolder,
  expect,
  folderUrl,
  itemCell,
  itemNames,
  selectOnly,
  test,
  treeNode,
  treeRow,
  uploadFile,
  urlParams,
} from './fixtures';

test('opens folders from tiles, the sidebar tree and the breadcrumb; back and forward go through them', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const alpha = await createFolder(api, 'Alpha', workspace.id);
  const beta = await createFolder(api, 'Beta', alpha.id);
  await uploadFile(api, {
    fileName: 'inside-beta.txt',
    mimeType: 'text/plain',
    data: 'beta',
    parentFolderId: beta.id,
  });

  const breadcrumb = page.getByRole('navigation', { name: 'Breadcrumb' });
  const current = breadcrumb.locator('[aria-current="page"]');
  const sidebarTree = page.getByRole('tree', { name: 'Site Files folders' });

  await page.goto(`/files/${workspace.id}`);
  await expect(current).toHaveText(workspace.displayName);
  await expect(breadcrumb.getByRole('link', { name: 'Site Files' })).toBeVisible();

  // Double-click a folder tile (selected first; the test below double-clicks out of the blue).
  await selectOnly(page, 'Alpha');
  await itemCell(page, 'Alpha').dblclick();
  await expect(page).toHaveURL(folderUrl(alpha.id));
  await expect(current).toHaveText('Alpha');
  await expect(itemCell(page, 'Beta')).toBeVisible();
  await expect(itemCell(page, 'Alpha')).toHaveCount(0);

  // Enter on the focused folder tile.
  await selectOnly(page, 'Beta');
  await expect(itemCell(page, 'Beta')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(folderUrl(beta.id));
  await expect(current).toHaveText('Beta');
  await expect(itemCell(page, 'inside-beta.txt')).toBeVisible();
  await expect(breadcrumb.getByRole('listitem')).toHaveText([
    'Site Files',
    workspace.displayName,
    'Alpha',
    'Beta',
  ]);

  // The sidebar tree shows the path to the current folder, with the current one selected.
  await expect(treeNode(sidebarTree, 'Beta')).toHaveAttribute('aria-selected', 'true');
  await expect(treeNode(sidebarTree, 'Alpha')).toHaveAttribute('aria-selected', 'false');

  // Back and forward restore the folders in between.
  await page.goBack();
  await expect(page).toHaveURL(folderUrl(alpha.id));
  await expect(current).toHaveText('Alpha');
  await expect(itemCell(page, 'Beta')).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(folderUrl(workspace.id));
  await expect(current).toHaveText(workspace.displayName);
  await expect(itemCell(page, 'Alpha')).toBeVisible();
  await page.goForward();
  await expect(page).toHaveURL(folderUrl(alpha.id));
  await expect(itemCell(page, 'Beta')).toBeVisible();
  await page.goForward();
  await expect(page).toHaveURL(folderUrl(beta.id));
  await expect(itemCell(page, 'inside-beta.txt')).toBeVisible();

  // A breadcrumb crumb opens that folder.
  await breadcrumb.getByRole('link', { name: workspace.displayName }).click();
  await expect(page).toHaveURL(folderUrl(workspace.id));
  await expect(current).toHaveText(workspace.displayName);
  await expect(itemCell(page, 'Alpha')).toBeVisible();

  // A node of the sidebar tree opens that folder.
  await treeRow(treeNode(sidebarTree, 'Beta')).click();
  await expect(page).toHaveURL(folderUrl(beta.id));
  await expect(current).toHaveText('Beta');
  await expect(itemCell(page, 'inside-beta.txt')).toBeVisible();
  await expect(treeNode(sidebarTree, 'Beta')).toHaveAttribute('aria-selected', 'true');

  // The tree's root goes back to the root of Site Files.
  await treeRow(treeNode(sidebarTree, 'Site Files')).click();
  await expect(page).toHaveURL(/^[^?#]*:\/\/[^/]+\/$/);
  await expect(current).toHaveText('Site Files');
  await expect(itemCell(page, workspace.displayName)).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(folderUrl(beta.id));
  await expect(itemCell(page, 'inside-beta.txt')).toBeVisible();
});

test('a deep link restores the folder, list view, sort and info panel, also after a reload', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const folder = await createFolder(api, 'Deep', workspace.id);
  // Uploaded in an order that differs from the name order, so the default sort (last updated) would differ.
  const ids: Record<string, string> = {};
  for (const name of ['banana.txt', 'cherry.txt', 'apple.txt']) {
    const file = await uploadFile(api, {
      fileName: name,
      mimeType: 'text/plain',
      data: name,
      parentFolderId: folder.id,
    });
    ids[name] = file.id;
  }
  const cherry = ids['cherry.txt'];

  await page.goto(`/files/${folder.id}?view=list&sort=name&order=asc&item=file:${cherry}`);

  const check = async () => {
    const breadcrumb = page.getByRole('navigation', { name: 'Breadcrumb' });
    await expect(breadcrumb.locator('[aria-current="page"]')).toHaveText('Deep');
    // List view: the toggle says so and the list has its column headers.
    await expect(page.getByRole('button', { name: 'List', exact: true })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expect(page.getByRole('button', { name: 'Grid', exact: true })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
    await expect(page.getByRole('grid').getByRole('columnheader', { name: 'Size' })).toBeVisible();
    // Sort: by name, ascending.
    await expect(page.getByRole('button', { name: 'Sort by Name, ascending' })).toBeVisible();
    await expect.poll(() => itemNames(page)).toEqual(['apple.txt', 'banana.txt', 'cherry.txt']);
    // The info panel shows the linked file.
    const panel = page.getByRole('complementary', { name: 'Details of cherry.txt' });
    await expect(panel).toBeVisible();
    await expect(panel.getByText('Document (text/plain)')).toBeVisible();
  };

  await check();
  await page.reload();
  await check();
  await expect(page).toHaveURL(folderUrl(folder.id));
  expect(urlParams(page)).toEqual({ view: 'list', sort: 'name', order: 'asc', item: `file:${cherry}` });

  // Closing the panel takes `item` out of the URL; the rest of the view stays.
  await page.getByRole('button', { name: 'Close details' }).click();
  await expect(page.getByRole('complementary')).toHaveCount(0);
  await expect.poll(() => urlParams(page)).toEqual({ view: 'list', sort: 'name', order: 'asc' });
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sort by Name, ascending' })).toBeVisible();
  await expect.poll(() => itemNames(page)).toEqual(['apple.txt', 'banana.txt', 'cherry.txt']);
  await expect(page.getByRole('complementary')).toHaveCount(0);
});

test('double-clicking a folder row in the list opens that folder', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  // Regression: the first click of a double-click once opened the details panel and put the selection bar
  // above the list, so the rows moved and the second click opened another folder. The details column and the
  // floating selection bar now keep every row where it is.
  const ids: Record<string, string> = {};
  for (const name of ['F1', 'F2', 'F3', 'F4', 'F5', 'F6'])
    ids[name] = (await createFolder(api, name, workspace.id)).id;

  await page.goto(`/files/${workspace.id}?view=list&sort=name`);
  await expect.poll(() => itemNames(page)).toEqual(['F1', 'F2', 'F3', 'F4', 'F5', 'F6']);
  await itemCell(page, 'F5').dblclick();
  await expect(page).toHaveURL(folderUrl(ids.F5!));
  await expect(
    page.getByRole('navigation', { name: 'Breadcrumb' }).locator('[aria-current="page"]'),
  ).toHaveText('F5');
});
