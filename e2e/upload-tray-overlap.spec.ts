// The finished upload tray once sat over the details panel's buttons (URL, Copy, … Move to Trash) until
// "Clear" was pressed. Whatever the window, the tray must leave every control of the panel reachable.
import type { Page } from '@playwright/test';
import { expect, itemCell, selectOnly, test } from './fixtures';
import { tinyPng } from './seed';

/** Every enabled button and link of the panel is the topmost element at its centre (nothing lies over it). */
async function coveredControls(page: Page, panelName: string): Promise<string[]> {
  const panel = page.getByRole('complementary', { name: panelName });
  return panel.locator('button:not([disabled]), a[href], input').evaluateAll((controls) =>
    controls.flatMap((control) => {
      // Controls inside a closed disclosure (the image URL builder) are not on screen at all.
      if (!control.checkVisibility()) return [];
      control.scrollIntoView({ block: 'nearest' });
      const box = control.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) return [];
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return hit && (hit === control || control.contains(hit))
        ? []
        : [control.getAttribute('aria-label') ?? control.textContent ?? control.tagName];
    }),
  );
}

for (const viewport of [
  { width: 1366, height: 768 },
  { width: 1440, height: 900 },
]) {
  test(`after uploads finish at ${viewport.width}x${viewport.height} the tray hides no control of the details panel`, async ({
    signedInPage: page,
    workspace,
  }) => {
    await page.setViewportSize(viewport);
    await page.goto(`/files/${workspace.id}`);
    await expect(page.getByText('This folder is empty')).toBeVisible();
    const names = ['tray-a.png', 'tray-b.png', 'tray-c.png', 'tray-d.png'];
    await page
      .getByLabel('Files to upload')
      .setInputFiles(names.map((name, i) => ({ name, mimeType: 'image/png', buffer: tinyPng(i + 1) })));
    const tray = page.getByRole('region', { name: 'Uploads' });
    await expect(tray.getByRole('heading')).toHaveText('4 uploaded', { timeout: 20_000 });
    for (const name of names) await expect(itemCell(page, name)).toBeVisible({ timeout: 15_000 });

    await selectOnly(page, 'tray-d.png');
    const panel = page.getByRole('complementary', { name: 'Details of tray-d.png' });
    await expect(panel.getByRole('button', { name: 'Move to Trash' })).toBeVisible();
    expect(await coveredControls(page, 'Details of tray-d.png')).toEqual([]);
    // And a real click (no force) reaches the last of them.
    await panel.getByRole('button', { name: 'Move to Trash' }).click({ timeout: 5_000 });
    await expect(page.getByRole('alertdialog')).toBeVisible();
  });
}
