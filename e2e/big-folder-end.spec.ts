// Big folders, the far end (issue 15, item 8): dragging the scrollbar to the bottom, or pressing Ctrl+End, shows
// the last items at once. The listing is keyset-paged from the top; the end is fetched from the other end (the
// same listing in the reverse order), not by paging through everything in between.
import type { Page } from '@playwright/test';
import { expect, itemCell, itemGrid, test } from './fixtures';
import { seededName, seedPngs } from './seed';

const COUNT = 1_000;
const SCREENSHOTS = 'test-results/big-folder-end';

/**
 * Counts the browser's requests for pages of files (GET of the file list, one per 100 files). Folder lists are
 * left out: the folder tree asks for them too, and the seeded folder has no sub-folders.
 */
function countListRequests(page: Page): string[] {
  const requests: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() === 'GET' && /^\/site-media\/v1\/files$/.test(url.pathname))
      requests.push(`${url.pathname}${url.search}`);
  });
  return requests;
}

test('the end of a big folder: the scrollbar dragged to the bottom, and Ctrl+End, load the end at once', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  test.setTimeout(300_000);
  await seedPngs(api, workspace.id, COUNT);
  await page.setViewportSize({ width: 1440, height: 900 });
  let requests = countListRequests(page);
  await page.goto(`/files/${workspace.id}?sort=name&order=asc`);
  await expect(itemCell(page, seededName(0))).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('folder-count')).toContainText(`${COUNT.toLocaleString('en-US')} items`);

  // The scrollbar's thumb dropped at the bottom: the grid is sized for every item, loaded or not.
  await itemGrid(page).evaluate((grid) => {
    grid.scrollTop = grid.scrollHeight;
  });
  await expect(itemCell(page, seededName(COUNT - 1))).toBeVisible({ timeout: 20_000 });
  await expect(itemCell(page, seededName(COUNT - 2))).toBeVisible();
  // The first page (folders, then files) and one page from the end: not the eight pages between.
  expect(requests.length, requests.join('\n')).toBeLessThanOrEqual(3);
  await page.screenshot({ path: `${SCREENSHOTS}/end-desktop.png` });
  // On a phone too (two columns): the end is where the scrollbar ends.
  await page.setViewportSize({ width: 390, height: 844 });
  await itemGrid(page).evaluate((grid) => {
    grid.scrollTop = grid.scrollHeight;
  });
  await expect(itemCell(page, seededName(COUNT - 1))).toBeInViewport({ timeout: 20_000 });
  await page.screenshot({ path: `${SCREENSHOTS}/end-phone.png` });
  await page.setViewportSize({ width: 1440, height: 900 });
  await itemGrid(page).evaluate((grid) => {
    grid.scrollTop = grid.scrollHeight;
  });

  // Selection works among the items loaded from the end: a click, then a shift-click makes a range.
  await itemCell(page, seededName(COUNT - 1)).click();
  await itemCell(page, seededName(COUNT - 5)).click({ modifiers: ['Shift'] });
  await expect(page.getByRole('region', { name: 'Selection' })).toContainText('5 selected');
  for (const n of [COUNT - 5, COUNT - 3, COUNT - 1])
    await expect(itemCell(page, seededName(n))).toHaveAttribute('aria-selected', 'true');

  // The middle fills in when scrolled to.
  await itemGrid(page).evaluate((grid) => {
    grid.scrollTop = grid.scrollHeight / 2;
  });
  await expect(itemCell(page, seededName(COUNT / 2))).toBeVisible({ timeout: 30_000 });

  // The list view, from the top, in a new tab (this tab would bring back its saved selection by paging to it):
  // Ctrl+End focuses the last item, loaded from the end.
  const tab = await page.context().newPage();
  await tab.setViewportSize({ width: 1440, height: 900 });
  requests = countListRequests(tab);
  await tab.goto(`/files/${workspace.id}?sort=name&order=asc&view=list`);
  await expect(itemCell(tab, seededName(0))).toBeVisible({ timeout: 30_000 });
  await expect(tab.getByTestId('folder-count')).toContainText(`${COUNT.toLocaleString('en-US')} items`);
  await itemCell(tab, seededName(0)).focus();
  await tab.keyboard.press('Control+End');
  await expect(itemCell(tab, seededName(COUNT - 1))).toBeFocused({ timeout: 20_000 });
  await tab.keyboard.press('ArrowUp');
  await expect(itemCell(tab, seededName(COUNT - 2))).toBeFocused();
  await tab.keyboard.press('Home');
  await expect(itemCell(tab, seededName(0))).toBeFocused();
  expect(requests.length, requests.join('\n')).toBeLessThanOrEqual(3);
});
