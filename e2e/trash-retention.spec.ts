import type { APIRequestContext } from '@playwright/test';
import sharp from 'sharp';
import {
  createFolder,
  deleteFiles,
  expect,
  expectListingNotAriaDisabled,
  getFile,
  itemCell,
  test,
  toast,
  uploadFile,
  uniqueName,
  type ApiFile,
} from './fixtures';

test('Trash says the retention rule and, for each item, when it was deleted, where from and when it goes for good', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const campaign = await createFolder(api, uniqueName('Campaign'), workspace.id);
  const name = `${uniqueName('banner')}.txt`;
  const file = await uploadFile(api, {
    fileName: name,
    mimeType: 'text/plain',
    data: 'banner',
    parentFolderId: campaign.id,
  });
  await deleteFiles(api, [file.id]);

  await page.goto('/trash');
  await expectListingNotAriaDisabled(page);
  await expect(page.getByTestId('trash-rule')).toHaveText(
    'Items in the trash are deleted forever 30 days after they were deleted.',
  );
  const tile = itemCell(page, name);
  await expect(tile).toContainText(`From ${campaign.displayName}`);
  await expect(tile).toContainText('Deleted forever in 30 days');

  // The details: the date, the whole path it came from, and the countdown.
  await tile.click();
  const panel = page.getByRole('complementary', { name: `Details of ${name}` });
  await expect(
    panel.getByText(`Site Files › ${workspace.displayName} › ${campaign.displayName}`),
  ).toBeVisible();
  await expect(panel.getByTestId('purge-fact')).toHaveText('in 30 days');
  await expect(panel.getByRole('definition').first()).not.toBeEmpty();

  // The list view: the deletion date with the days left.
  await page.getByRole('button', { name: 'List', exact: true }).click();
  await expect(itemCell(page, name)).toContainText('in 30 days');
});

async function altTextOf(api: APIRequestContext, fileId: string): Promise<string | null | undefined> {
  const file = (await getFile(api, fileId)) as
    (ApiFile & { media: { image?: { image: { altText?: string | null } } } }) | null;
  return file?.media.image?.image.altText;
}

async function png(): Promise<Buffer> {
  return sharp({ create: { width: 120, height: 80, channels: 3, background: '#2060c0' } })
    .png()
    .toBuffer();
}

test('alt text is shown and edited in the info panel with the keyboard; a server refusal puts it back', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const name = `${uniqueName('hero')}.png`;
  const image = await uploadFile(api, {
    fileName: name,
    mimeType: 'image/png',
    data: await png(),
    parentFolderId: workspace.id,
  });
  await page.goto(`/files/${workspace.id}?item=file:${image.id}`);
  const panel = page.getByRole('complementary', { name: `Details of ${name}` });
  // The panel is a lazy chunk: on a busy machine it takes a while the first time.
  await expect(panel.getByText('Alt text', { exact: true })).toBeVisible({ timeout: 30_000 });

  // Keyboard only: focus the button, Enter opens the field, type, Enter saves.
  await panel.getByRole('button', { name: 'Add alt text' }).focus();
  await page.keyboard.press('Enter');
  const field = panel.getByRole('textbox', { name: 'Alt text' });
  await expect(field).toBeFocused();
  await page.keyboard.type('A blue banner');
  await page.keyboard.press('Enter');
  await expect(panel.getByTestId('alt-text-value')).toHaveText('A blue banner');
  await expect.poll(async () => await altTextOf(api, image.id), { intervals: [200] }).toBe('A blue banner');

  // Esc cancels an edit and leaves the panel open.
  await panel.getByRole('button', { name: 'Edit alt text' }).click();
  await page.keyboard.type(' (draft)');
  await page.keyboard.press('Escape');
  await expect(panel.getByTestId('alt-text-value')).toHaveText('A blue banner');

  // The server refuses: the new text shows at once, then the old one comes back with a message.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/site-media-ext/v1/files/*/alt-text', async (route) => {
    await held;
    await route.fulfill({
      status: 500,
      contentType: 'application/json',
      body: JSON.stringify({ message: 'Storage unavailable', details: {} }),
    });
  });
  await panel.getByRole('button', { name: 'Edit alt text' }).click();
  await field.fill('Something else');
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(panel.getByTestId('alt-text-value')).toHaveText('Something else');
  release();
  await expect(toast(page, 'Could not save the alt text')).toBeVisible();
  await expect(panel.getByTestId('alt-text-value')).toHaveText('A blue banner');
  expect(await altTextOf(api, image.id)).toBe('A blue banner');
});

test('moving a file that pages use to the trash names those pages first', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const name = `${uniqueName('logo')}.txt`;
  const urlResponse = await api.post('/site-media/v1/files/generate-upload-url', {
    data: {
      mimeType: 'text/plain',
      fileName: name,
      parentFolderId: workspace.id,
      externalInfo: { origin: 'https://shop.example.com', externalIds: ['/products/tea', '/about'] },
    },
  });
  const { uploadUrl } = (await urlResponse.json()) as { uploadUrl: string };
  const put = await api.put(uploadUrl, { data: 'logo', headers: { 'content-type': 'text/plain' } });
  const file = ((await put.json()) as { file: ApiFile }).file;

  await page.goto(`/files/${workspace.id}?item=file:${file.id}`);
  const panel = page.getByRole('complementary', { name: `Details of ${name}` });
  await expect(panel.getByTestId('used-on-site')).toContainText('https://shop.example.com /products/tea', {
    timeout: 30_000,
  });
  await expect(panel.getByTestId('used-on-site')).toContainText('/about');

  await panel.getByRole('button', { name: 'Move to Trash' }).click();
  const dialog = page.getByRole('alertdialog');
  const warning = dialog.getByTestId('used-on-site-warning');
  await expect(warning).toContainText('This file is used on your site');
  await expect(warning).toContainText('https://shop.example.com: /products/tea, /about');
  await dialog.getByRole('button', { name: 'Move to Trash' }).click();
  await expect.poll(async () => (await getFile(api, file.id))?.state).toBe('DELETED');
});
