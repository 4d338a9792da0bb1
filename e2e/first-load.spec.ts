// The first screen ships without the code of what it does not show (bench/first-load-js.ts): the drop reader
// (file-selector) loads at the first drag, Radix's menus after the first screen. These tests hold such a chunk
// back until the user has already acted, as on a slow network, and check that the action still works.
import type { Page, Route } from '@playwright/test';
import { expect, itemCell, test, urlParams } from './fixtures';

/**
 * Holds back the app's JavaScript chunk that contains `marker` until `release()` is called; `requested()` says
 * whether the browser has asked for it yet.
 */
async function holdChunk(page: Page, marker: string) {
  let requested = false;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/assets/*.js', async (route: Route) => {
    const response = await route.fetch();
    const body = await response.text();
    if (body.includes(marker)) {
      requested = true;
      await released;
    }
    await route.fulfill({ response, body });
  });
  return { requested: () => requested, release };
}

test('the very first drop of files on a fresh page uploads them, though the drop reader loads only then', async ({
  signedInPage: page,
  workspace,
}) => {
  // 'Thumbs.db' is in file-selector's list of files it leaves out of a drop.
  const reader = await holdChunk(page, 'Thumbs.db');
  await page.goto(`/files/${workspace.id}`);
  // Every script passes through holdChunk's route: on a loaded machine the first screen takes a while.
  await expect(page.getByRole('toolbar', { name: 'View and actions' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('region', { name: /^Notifications/ })).toBeAttached({ timeout: 20_000 });
  expect(reader.requested(), 'the drop reader is not part of the first screen').toBe(false);

  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['first drop\n'], 'first-drop.txt', { type: 'text/plain' }));
    return transfer;
  });
  const zone = page.locator('.browser__main');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await expect(page.locator('.drop-overlay')).toBeVisible();
  await expect.poll(() => reader.requested()).toBe(true);
  await zone.dispatchEvent('drop', { dataTransfer });
  await expect(page.locator('.drop-overlay')).toBeHidden();
  // The drop event is over (its DataTransfer emptied) before the reader arrives.
  reader.release();
  await expect(itemCell(page, 'first-drop.txt')).toBeVisible({ timeout: 15_000 });
});

test('a menu pressed before its code has loaded opens once it has, and its choice applies', async ({
  signedInPage: page,
  workspace,
}) => {
  // Radix names its parts; this one is only in the dropdown menu's chunk.
  const menuCode = await holdChunk(page, 'DropdownMenuTrigger');
  await page.goto(`/files/${workspace.id}?view=list`);
  const trigger = page.getByRole('button', { name: /^Sort by/ });
  // Every script passes through holdChunk's route: on a loaded machine the first screen takes a while.
  await expect(trigger).toBeVisible({ timeout: 20_000 });
  await trigger.click();
  await expect(page.getByRole('menu')).toHaveCount(0);
  menuCode.release();
  const menu = page.getByRole('menu');
  await expect(menu).toBeVisible();
  await menu.getByRole('menuitemradio', { name: 'Size', exact: true }).click();
  await expect(menu).toBeHidden();
  await expect.poll(() => urlParams(page).sort).toBe('size');
  // Focus went back to the (now real) trigger, and the keyboard opens it again.
  await expect(page.getByRole('button', { name: /^Sort by Size/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menu')).toBeVisible();
});
