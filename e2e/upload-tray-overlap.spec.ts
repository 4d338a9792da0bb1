// The finished upload tray once sat over the details panel's buttons (URL, Copy, … Move to Trash) until
// "Clear" was pressed. Whatever the window, the tray must leave every control of the panel reachable.
import { deflateSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { expect, itemCell, selectOnly, test } from './fixtures';

/** A valid 1x1 PNG whose pixel differs per `seed`, so every file has its own bytes. */
function tinyPng(seed: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8;
  header[9] = 2;
  const pixel = Buffer.from([0, seed & 0xff, (seed >> 8) & 0xff, 7]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixel)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Every enabled button and link of the panel is the topmost element at its centre (nothing lies over it). */
async function coveredControls(page: Page, panelName: string): Promise<string[]> {
  const panel = page.getByRole('complementary', { name: panelName });
  return panel.locator('button:not([disabled]), a[href], input').evaluateAll((controls) =>
    controls.flatMap((control) => {
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
