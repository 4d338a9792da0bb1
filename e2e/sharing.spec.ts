import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { type ApiFile, E2E_BASE_URL, expect, getFile, signIn, test } from './fixtures';

type SharedFile = ApiFile & { private: boolean };

/** `generate-upload-url` with `private`, then the PUT. */
async function uploadPrivate(api: APIRequestContext, parentFolderId: string, fileName: string, text: string) {
  const data = Buffer.from(text);
  const { uploadUrl } = (await (
    await api.post('/site-media/v1/files/generate-upload-url', {
      data: {
        mimeType: 'text/plain',
        fileName,
        sizeInBytes: String(data.length),
        parentFolderId,
        private: true,
      },
    })
  ).json()) as { uploadUrl: string };
  const put = await api.put(uploadUrl, { data, headers: { 'content-type': 'text/plain' } });
  expect(put.ok()).toBe(true);
  return ((await put.json()) as { file: ApiFile }).file;
}

async function filesOf(api: APIRequestContext, parentFolderId: string): Promise<SharedFile[]> {
  const response = await api.get('/site-media/v1/files', { params: { parentFolderId } });
  return ((await response.json()) as { files: SharedFile[] }).files;
}

/** `{name: private}` of a folder's files. */
async function privacyOf(api: APIRequestContext, folderId: string): Promise<Record<string, boolean>> {
  return Object.fromEntries((await filesOf(api, folderId)).map((f) => [f.displayName, f.private]));
}

/** Opens a URL in a new browser context that never signed in; resolves with what a person gets. */
async function openWithoutSession(browser: Browser, url: string) {
  const context = await browser.newContext({ acceptDownloads: true });
  try {
    const page = await context.newPage();
    const download = page.waitForEvent('download', { timeout: 10_000 }).catch(() => null);
    const response = await page.goto(url).catch(() => null);
    const got = response ? null : await download;
    if (got) return { download: readFileSync(await got.path(), 'utf8'), name: got.suggestedFilename() };
    return { status: response?.status(), text: await page.locator('body').innerText() };
  } finally {
    await context.close();
  }
}

/** A tile by file name: its accessible name adds ", private" while the file is private. */
function tile(page: Page, name: string) {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByRole('grid').getByRole('gridcell', { name: new RegExp(`^${escaped}(, |$)`) });
}

/** Selects just this file, its details open (focus first: see `selectOnly` in fixtures.ts). */
async function selectFile(page: Page, name: string) {
  const cell = tile(page, name);
  if ((await cell.getAttribute('tabindex')) !== '0') {
    await cell.focus();
    await expect(panelOf(page, name)).toBeVisible();
  }
  await cell.click();
  await expect(cell).toHaveAttribute('aria-selected', 'true');
  await expect(panelOf(page, name)).toBeVisible();
}

function panelOf(page: Page, name: string) {
  return page.getByRole('complementary', { name: `Details of ${name}` });
}

test('files go up private with “Upload as private”; the info panel and a selection change privacy', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  // Three uploads and a dozen round trips: more than the default budget on a busy 2-core machine.
  test.setTimeout(90_000);
  await page.goto(`/files/${workspace.id}`);
  await page.getByRole('button', { name: 'New files: public' }).click();
  await page.getByRole('menuitemcheckbox', { name: 'Upload as private' }).click();
  await expect(page.getByRole('button', { name: 'New files: private' })).toBeVisible();
  await page.getByLabel('Files to upload').setInputFiles([
    { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('a') },
    { name: 'b.txt', mimeType: 'text/plain', buffer: Buffer.from('b') },
  ]);
  await expect
    .poll(() => privacyOf(api, workspace.id), { timeout: 15_000 })
    .toEqual({ 'a.txt': true, 'b.txt': true });

  // The option is the uploader's until turned off: the next batch goes up public.
  await page.getByRole('button', { name: 'New files: private' }).click();
  await page.getByRole('menuitemcheckbox', { name: 'Upload as private' }).click();
  await page
    .getByLabel('Files to upload')
    .setInputFiles([{ name: 'c.txt', mimeType: 'text/plain', buffer: Buffer.from('c') }]);
  await expect
    .poll(() => privacyOf(api, workspace.id), { timeout: 15_000 })
    .toEqual({ 'a.txt': true, 'b.txt': true, 'c.txt': false });

  // The info panel's switch.
  await selectFile(page, 'a.txt');
  const privateSwitch = panelOf(page, 'a.txt').getByRole('switch', { name: /Private/ });
  await expect(privateSwitch).toBeChecked();
  await privateSwitch.click();
  await expect(privateSwitch).not.toBeChecked();
  await expect.poll(async () => (await privacyOf(api, workspace.id))['a.txt']).toBe(false);
  const a = (await filesOf(api, workspace.id)).find((f) => f.displayName === 'a.txt')!;
  expect((await api.get(`/media/${a.id}`)).status()).toBe(200);

  // A selection: Privacy → Make private, then Make public.
  await tile(page, 'b.txt').click({ modifiers: ['ControlOrMeta'] });
  await tile(page, 'c.txt').click({ modifiers: ['ControlOrMeta'] });
  const selection = page.getByRole('region', { name: 'Selection' });
  await expect(selection).toContainText('3 selected');
  await selection.getByRole('button', { name: 'Privacy' }).click();
  await page.getByRole('menuitem', { name: 'Make private' }).click();
  await expect
    .poll(() => privacyOf(api, workspace.id))
    .toEqual({ 'a.txt': true, 'b.txt': true, 'c.txt': true });
  expect((await api.get(`/media/${a.id}`)).status()).toBe(403);
  await selection.getByRole('button', { name: 'Privacy' }).click();
  await page.getByRole('menuitem', { name: 'Make public' }).click();
  await expect
    .poll(() => privacyOf(api, workspace.id))
    .toEqual({ 'a.txt': false, 'b.txt': false, 'c.txt': false });
});

test('“Share link” makes a link that opens without a session until it is revoked', async ({
  signedInPage: page,
  api,
  workspace,
  browser,
}) => {
  test.setTimeout(90_000);
  const file = await uploadPrivate(api, workspace.id, 'report.txt', 'the quarterly report');
  await page.goto(`/files/${workspace.id}?item=file:${file.id}`);
  await panelOf(page, 'report.txt').getByRole('button', { name: 'Share link…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share “report.txt”' });
  await expect(dialog.getByText('No active links.')).toBeVisible();
  await dialog.getByLabel('Link expires after').selectOption({ label: '1 day' });
  await dialog.getByRole('button', { name: 'Create link' }).click();
  const url = await dialog.getByLabel(/^New link, expires/).inputValue();
  expect(url).toContain(`${E2E_BASE_URL}/download/v1/share/`);
  await expect(dialog.getByRole('list', { name: 'Active links' }).getByRole('listitem')).toHaveCount(1);

  expect(await openWithoutSession(browser, url)).toEqual({
    download: 'the quarterly report',
    name: 'report.txt',
  });

  await dialog.getByRole('button', { name: /^Revoke link/ }).click();
  await expect(dialog.getByText('No active links.')).toBeVisible();
  const after = await openWithoutSession(browser, url);
  expect(after.status).toBe(403);
  expect(after.text).toContain('This link is no longer valid');
  expect((await getFile(api, file.id))?.state).toBe('OK');
});

const shotsDir = process.env.SHARE_SCREENSHOTS;

test('screenshots of the share dialog', async ({ browser, api, workspace }) => {
  test.skip(!shotsDir, 'SHARE_SCREENSHOTS is not set');
  test.setTimeout(120_000);
  mkdirSync(shotsDir!, { recursive: true });
  const file = await uploadPrivate(api, workspace.id, 'Board minutes 2026.txt', 'minutes');
  for (const expiresIn of ['WEEK', 'YEAR']) {
    await api.post(`/site-media-ext/v1/files/${file.id}/share-links`, { data: { expiresIn } });
  }
  for (const scheme of ['light', 'dark'] as const) {
    for (const [device, viewport] of [
      ['desktop', { width: 1440, height: 900 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const context = await browser.newContext({ colorScheme: scheme, viewport });
      await signIn(context);
      const page = await context.newPage();
      await page.goto(`${E2E_BASE_URL}/files/${workspace.id}?item=file:${file.id}`);
      await panelOf(page, 'Board minutes 2026.txt').getByRole('button', { name: 'Share link…' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Create link' }).click();
      const created = dialog.getByLabel(/^New link, expires/);
      await expect(dialog.getByRole('list', { name: 'Active links' }).getByRole('listitem')).toHaveCount(3);
      await page.screenshot({ path: path.join(shotsDir!, `share-dialog-${scheme}-${device}.png`) });
      // Back to the two links made above for the next screenshot.
      const id = new URL(await created.inputValue()).pathname.split('/').at(-1)!;
      await api.delete(`/site-media-ext/v1/files/${file.id}/share-links/${id}`);
      await context.close();
    }
  }
});
