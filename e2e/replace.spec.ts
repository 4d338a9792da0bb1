import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import sharp from 'sharp';
import { E2E_BASE_URL, expect, getFile, itemCell, signIn, test, uploadFile, type ApiFile } from './fixtures';

/** A flat-colour PNG of this size. */
function png(width: number, height: number, background: string): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();
}

/** The file once processed (its renditions and dimensions are in). */
async function readyFile(api: APIRequestContext, id: string): Promise<ApiFile & Record<string, any>> {
  await expect.poll(async () => (await getFile(api, id))?.operationStatus, { timeout: 30_000 }).toBe('READY');
  return (await getFile(api, id)) as ApiFile & Record<string, any>;
}

/** Names of the files in the trash. */
async function trashNames(api: APIRequestContext): Promise<string[]> {
  const response = await api.get('/site-media/v1/trash-bin/files', { params: { 'paging.limit': '100' } });
  return ((await response.json()) as { files: ApiFile[] }).files.map((f) => f.displayName);
}

function panel(page: Page, name: string) {
  return page.getByRole('complementary', { name: `Details of ${name}` });
}

test('Replace in the details panel uploads new content under the same id and URL; the tile and panel show it', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  test.setTimeout(120_000);
  const name = `hero-${Date.now()}.png`;
  const file = await uploadFile(api, {
    fileName: name,
    mimeType: 'image/png',
    data: await png(60, 40, '#d22'),
    parentFolderId: workspace.id,
  });
  await readyFile(api, file.id);
  await page.goto(`${E2E_BASE_URL}/files/${workspace.id}?item=file:${file.id}`);
  const details = panel(page, name);
  await expect(details.getByText('60 × 40')).toBeVisible({ timeout: 30_000 });
  await expect(details.getByRole('button', { name: 'Replace…' })).toBeVisible();

  const next = await png(120, 40, '#24c');
  await details.getByLabel(`New content for ${name}`).setInputFiles({
    name: 'new-hero.png',
    mimeType: 'image/png',
    buffer: next,
  });
  // Progress shows in the upload tray like any upload (which folds to its summary once done).
  await expect(page.getByRole('region', { name: 'Uploads' })).toContainText(/new-hero\.png|1 uploaded/, {
    timeout: 30_000,
  });

  const replaced = await readyFile(api, file.id);
  expect(replaced).toMatchObject({ id: file.id, displayName: name, sizeInBytes: String(next.length) });
  expect(replaced.url).toMatch(new RegExp(`/media/${file.id.replace('.', '\\.')}\\?v=1$`));
  // The panel and the tile refresh by themselves: new dimensions, images under the new version.
  await expect(details.getByText('120 × 40')).toBeVisible({ timeout: 20_000 });
  await expect(details.locator('input[aria-labelledby="file-url-label"]')).toHaveValue(replaced.url);
  await expect(itemCell(page, name).locator('img')).toHaveAttribute('src', /\?v=1$/);
  // The earlier content is in the trash as a version of its own.
  const base = name.replace(/\.png$/, '');
  expect((await trashNames(api)).some((n) => n.startsWith(`${base} (version of `))).toBe(true);
});

test('dropping a file on a tile with Alt held replaces its content; without Alt it uploads a new file', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  test.setTimeout(120_000);
  const name = `tile-${Date.now()}.png`;
  const file = await uploadFile(api, {
    fileName: name,
    mimeType: 'image/png',
    data: await png(30, 30, '#3a3'),
    parentFolderId: workspace.id,
  });
  await readyFile(api, file.id);
  await page.goto(`${E2E_BASE_URL}/files/${workspace.id}`);
  const tile = itemCell(page, name);
  await expect(tile).toHaveAttribute('title', /Alt-drop a file here to replace/, { timeout: 30_000 });
  const next = await png(90, 30, '#fa0');
  const dataTransfer = await page.evaluateHandle((data: string) => {
    const binary = atob(data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
    return transfer;
  }, next.toString('base64'));
  await tile.dispatchEvent('dragenter', { dataTransfer, altKey: true });
  await tile.dispatchEvent('dragover', { dataTransfer, altKey: true });
  await tile.dispatchEvent('drop', { dataTransfer, altKey: true });
  await expect
    .poll(async () => (await getFile(api, file.id))?.sizeInBytes, { timeout: 30_000 })
    .toBe(String(next.length));
  const replaced = await readyFile(api, file.id);
  expect(replaced.url).toMatch(/\?v=1$/);
  await expect(tile.locator('img')).toHaveAttribute('src', /\?v=1$/, { timeout: 20_000 });
  // No new file in the folder: the drop replaced, it did not upload.
  const listed = await api.get('/site-media/v1/files', { params: { parentFolderId: workspace.id } });
  expect(((await listed.json()) as { files: ApiFile[] }).files.map((f) => f.displayName)).toEqual([name]);
});

// Screenshots of the panel with Replace for the README (REPLACE_SCREENSHOTS=<dir>, e.g. docs/screenshots).
const shotsDir = process.env.REPLACE_SCREENSHOTS;
test('screenshots of the details panel with Replace, light and dark, desktop and phone', async ({
  browser,
  api,
  workspace,
}) => {
  test.skip(!shotsDir, 'REPLACE_SCREENSHOTS is not set');
  test.setTimeout(120_000);
  mkdirSync(shotsDir!, { recursive: true });
  const photo = await uploadFile(api, {
    fileName: 'Team photo.png',
    mimeType: 'image/png',
    data: await png(800, 533, '#5b7fa8'),
    parentFolderId: workspace.id,
  });
  await readyFile(api, photo.id);
  for (const scheme of ['light', 'dark'] as const) {
    for (const [device, viewport] of [
      ['desktop', { width: 1440, height: 900 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const context = await browser.newContext({ colorScheme: scheme, viewport });
      await signIn(context);
      const page = await context.newPage();
      await page.goto(`${E2E_BASE_URL}/files/${workspace.id}?item=file:${photo.id}`);
      const button = panel(page, 'Team photo.png').getByRole('button', { name: 'Replace…' });
      await expect(button).toBeAttached({ timeout: 30_000 });
      await button.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await expect(button).toBeVisible();
      await page.screenshot({ path: path.join(shotsDir!, `replace-${scheme}-${device}.png`) });
      await context.close();
    }
  }
});
