// Owners must not lose their place in big folders (issue 15, item 6): Back and Forward bring back the scroll
// position and the selection, and a link to a file past the first page opens that file.
import type { Page } from '@playwright/test';
import { createFolder, expect, itemCell, itemGrid, test, uploadFile } from './fixtures';
import { seededName, seedPngs, tinyPng } from './seed';

// Four and a bit pages of 100: the file the tests come back to is on page 4.
const COUNT = 420;
const TARGET = 350;
const SCREENSHOTS = 'test-results/back-navigation';

/** Scrolls the grid down with the wheel (which loads the next pages) until the item is in view. */
async function scrollUntilVisible(page: Page, name: string): Promise<void> {
  await itemGrid(page).hover();
  await expect(async () => {
    if (!(await itemCell(page, name).isVisible())) {
      await page.mouse.wheel(0, 2_000);
    }
    await expect(itemCell(page, name)).toBeInViewport({ timeout: 500 });
  }).toPass({ timeout: 60_000 });
}

async function seedBigFolder(api: Parameters<typeof seedPngs>[0], parentId: string) {
  const big = await createFolder(api, 'Big folder', parentId);
  const files = await seedPngs(api, big.id, COUNT);
  const other = await createFolder(api, 'Other folder', parentId);
  await uploadFile(api, {
    fileName: 'elsewhere.png',
    mimeType: 'image/png',
    data: tinyPng(9_999),
    parentFolderId: other.id,
  });
  return { big, other, files };
}

for (const viewport of [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
]) {
  test(`Back and Forward restore the scroll position and selection of a big folder (${viewport.name})`, async ({
    signedInPage: page,
    api,
    workspace,
  }) => {
    test.setTimeout(180_000);
    const { big, other } = await seedBigFolder(api, workspace.id);
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await page.goto(`/files/${big.id}?sort=name&order=asc`);
    await expect(itemCell(page, seededName(0))).toBeVisible({ timeout: 30_000 });

    await scrollUntilVisible(page, seededName(TARGET));
    const target = itemCell(page, seededName(TARGET));
    await target.click();
    await expect(target).toHaveAttribute('aria-selected', 'true');
    // A second item joins the selection: Back brings back the whole selection, not just the open item.
    const second = itemCell(page, seededName(TARGET + 1));
    await second.click({ modifiers: ['Control'] });
    const bar = page.getByRole('region', { name: 'Selection' });
    await expect(bar).toContainText('2 selected');
    await expect(target).toBeInViewport();

    // Leave for another folder (the parent) through the app: a history entry of its own.
    await page
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: workspace.displayName })
      .click();
    await expect(itemCell(page, 'Other folder')).toBeVisible();

    await page.goBack();
    await expect(itemCell(page, seededName(TARGET))).toBeInViewport({ timeout: 15_000 });
    await expect(itemCell(page, seededName(TARGET))).toHaveAttribute('aria-selected', 'true');
    await expect(itemCell(page, seededName(TARGET + 1))).toHaveAttribute('aria-selected', 'true');
    await expect(bar).toContainText('2 selected');
    await expect(itemCell(page, seededName(0))).not.toBeInViewport();
    await page.screenshot({ path: `${SCREENSHOTS}/back-restored-${viewport.name}.png` });

    // Forward goes to the other folder again, and Back once more comes back to the same place.
    await page.goForward();
    await expect(page).toHaveURL(new RegExp(`/files/${workspace.id}`));
    await expect(itemCell(page, 'Other folder')).toBeVisible();
    await page.goBack();
    await expect(itemCell(page, seededName(TARGET))).toBeInViewport({ timeout: 15_000 });
    await expect(bar).toContainText('2 selected');
    // And Forward into a folder opened from the list works as well.
    await itemCell(page, seededName(TARGET)).click();
    await page.goForward();
    await expect(itemCell(page, 'Other folder')).toBeVisible();
    await itemCell(page, 'Other folder').dblclick();
    await expect(page).toHaveURL(new RegExp(`/files/${other.id}`));
    await page.goBack();
    await page.goBack();
    await expect(itemCell(page, seededName(TARGET))).toBeInViewport({ timeout: 15_000 });
    await expect(itemCell(page, seededName(TARGET))).toHaveAttribute('aria-selected', 'true');
  });
}

test('Back restores the place after a reload too (the listing is fetched again up to it)', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  test.setTimeout(180_000);
  const { big } = await seedBigFolder(api, workspace.id);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/files/${big.id}?sort=name&order=asc`);
  await expect(itemCell(page, seededName(0))).toBeVisible({ timeout: 30_000 });
  await scrollUntilVisible(page, seededName(TARGET));
  await itemCell(page, seededName(TARGET)).click();
  await expect(itemCell(page, seededName(TARGET))).toHaveAttribute('aria-selected', 'true');
  // A reload forgets every loaded page: the view comes back from the URL and the entry's saved place.
  await page.reload();
  await expect(itemCell(page, seededName(TARGET))).toBeInViewport({ timeout: 30_000 });
  await expect(itemCell(page, seededName(TARGET))).toHaveAttribute('aria-selected', 'true');
});

for (const viewport of [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
]) {
  test(`a link to a file on page 4 of a big folder opens it, in view and selected (${viewport.name})`, async ({
    signedInPage: page,
    api,
    workspace,
  }) => {
    test.setTimeout(180_000);
    const { big, files } = await seedBigFolder(api, workspace.id);
    const file = files[TARGET];
    if (!file) throw new Error('not seeded');
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    const listings: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/site-media/v1/files' && request.method() === 'GET') listings.push(url.search);
    });
    await page.goto(`/files/${big.id}?sort=name&order=asc&item=file:${file.id}`);
    const cell = itemCell(page, seededName(TARGET));
    await expect(cell).toBeInViewport({ timeout: 30_000 });
    await expect(cell).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('complementary', { name: `Details of ${seededName(TARGET)}` })).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/deep-link-${viewport.name}.png` });
    // It loaded up to the file's page, not the whole folder.
    expect(listings.length).toBeLessThanOrEqual(5);
  });
}

test('a link to a file that is not in the folder pages through nothing', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  test.setTimeout(180_000);
  const { big } = await seedBigFolder(api, workspace.id);
  const stranger = await uploadFile(api, {
    fileName: 'stranger.png',
    mimeType: 'image/png',
    data: tinyPng(7_777),
    parentFolderId: workspace.id,
  });
  const listings: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/site-media/v1/files' && request.method() === 'GET') listings.push(url.search);
  });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/files/${big.id}?sort=name&order=asc&item=file:${stranger.id}`);
  await expect(itemCell(page, seededName(0))).toBeVisible({ timeout: 30_000 });
  // The file was fetched by id: it lives elsewhere, so the folder is not paged through looking for it.
  await expect(page.getByRole('complementary', { name: 'Details of stranger.png' })).toBeVisible();
  await expect(itemCell(page, seededName(0))).toBeInViewport();
  expect(listings.length).toBe(1);
});
