// The app on a phone (390 x 844, touch): what a site owner trips over there. Each test failed before its fix.
import type { Locator, Page } from '@playwright/test';
import { expect, itemCell, itemGrid, test, uploadFile } from './fixtures';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

// A busy, shared 2-core machine: the steps are many, not slow; give them room.
test.describe.configure({ timeout: 90_000 });

const NAMES = ['a.txt', 'b.txt', 'c.txt', 'd.txt'];

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('toolbar', { name: 'View and actions' })).toBeVisible({ timeout: 20_000 });
}

async function tap(page: Page, target: Locator): Promise<void> {
  // A menu's stand-in button is swapped for the real trigger once its code loads (when the browser is idle):
  // measure whichever is on screen now.
  let box: Awaited<ReturnType<Locator['boundingBox']>> = null;
  await expect.poll(async () => (box = await target.boundingBox()), { message: 'on screen' }).not.toBeNull();
  const { x, y, width, height } = box!;
  await page.touchscreen.tap(x + width / 2, y + height / 2);
}

/** Holds a finger on the element (a long-press): touch down, ~600 ms still, touch up. */
async function longPress(page: Page, target: Locator): Promise<void> {
  const box = await target.boundingBox();
  if (!box) throw new Error('not on screen');
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  // Holding the finger still is the gesture itself, not a wait for the app.
  await page.waitForTimeout(700);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

const details = (page: Page) => page.getByRole('complementary', { name: /^Details of / });

test.beforeEach(async ({ api, workspace }) => {
  for (const name of NAMES) {
    await uploadFile(api, {
      fileName: name,
      mimeType: 'text/plain',
      data: name,
      parentFolderId: workspace.id,
    });
  }
});

test('Details closed once reopens on the next selection', async ({ signedInPage: page, workspace }) => {
  await open(page, `/files/${workspace.id}?sort=name&order=asc`);
  await tap(page, itemCell(page, 'a.txt'));
  await expect(page.getByRole('complementary', { name: 'Details of a.txt' })).toBeVisible();
  await page.getByRole('button', { name: 'Close details' }).click();
  await expect(details(page)).toHaveCount(0);
  await tap(page, itemCell(page, 'b.txt'));
  await expect(page.getByRole('complementary', { name: 'Details of b.txt' })).toBeVisible();
});

test('the toolbar is one compact row; the secondary actions are in a menu', async ({
  signedInPage: page,
  workspace,
}) => {
  await open(page, `/files/${workspace.id}`);
  const toolbar = page.getByRole('toolbar', { name: 'View and actions' });
  const box = await toolbar.boundingBox();
  expect(box?.height).toBeLessThanOrEqual(60);
  await expect(toolbar.getByRole('button', { name: 'Upload' })).toBeVisible();
  await tap(page, toolbar.getByRole('button', { name: 'More actions' }));
  const menu = page.getByRole('menu');
  await expect(menu.getByRole('menuitem', { name: 'New folder' })).toBeVisible();
  await expect(menu.getByRole('menuitemradio', { name: 'List' })).toBeVisible();
  await menu.getByRole('menuitemradio', { name: 'List' }).click();
  await expect(page).toHaveURL(/view=list/);
});

test('the details sheet leaves the grid usable: a tile above it takes taps', async ({
  signedInPage: page,
  workspace,
}) => {
  await open(page, `/files/${workspace.id}?sort=name&order=asc`);
  await tap(page, itemCell(page, 'a.txt'));
  const sheet = page.getByRole('complementary', { name: 'Details of a.txt' });
  await expect(sheet).toBeVisible();
  const sheetBox = await sheet.boundingBox();
  expect(sheetBox?.height).toBeLessThanOrEqual(844 * 0.45);
  // The tile's centre is not under the sheet, and a tap on it selects it.
  const tile = await itemCell(page, 'b.txt').boundingBox();
  expect((tile?.y ?? 0) + (tile?.height ?? 0) / 2).toBeLessThan(sheetBox?.y ?? 0);
  await tap(page, itemCell(page, 'b.txt'));
  await expect(page.getByRole('complementary', { name: 'Details of b.txt' })).toBeVisible();
  // Dismissible: it closes.
  await page.getByRole('button', { name: 'Close details' }).click();
  await expect(details(page)).toHaveCount(0);
});

test('long-press a tile to select it; taps then add and remove tiles', async ({
  signedInPage: page,
  workspace,
}) => {
  await open(page, `/files/${workspace.id}?sort=name&order=asc`);
  await expect(itemCell(page, 'a.txt')).toBeVisible();
  await longPress(page, itemCell(page, 'a.txt'));
  await expect(itemCell(page, 'a.txt')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('region', { name: 'Selection' })).toContainText('1 selected');
  await tap(page, itemCell(page, 'b.txt'));
  await expect(page.getByRole('region', { name: 'Selection' })).toContainText('2 selected');
  await tap(page, itemCell(page, 'a.txt'));
  await expect(page.getByRole('region', { name: 'Selection' })).toContainText('1 selected');
  await expect(itemGrid(page).locator('[aria-selected="true"]')).toHaveCount(1);
  await expect(itemCell(page, 'b.txt')).toHaveAttribute('aria-selected', 'true');
});
