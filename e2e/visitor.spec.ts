import { createHash, randomBytes } from 'node:crypto';
import { expect, itemCell, test, uniqueName } from './fixtures';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

test('a visitor without a session uploads on /upload and the admin finds the file in Visitor Uploads', async ({
  browser,
  signedInPage: page,
  api,
}) => {
  const name = `${uniqueName('visitor').replace(' ', '-')}.txt`;
  const bytes = Buffer.from(`from a visitor\n${randomBytes(2048).toString('hex')}`);

  const visitorContext = await browser.newContext();
  try {
    const visitor = await visitorContext.newPage();
    await visitor.goto('/upload');
    await expect(visitor.getByRole('heading', { level: 1, name: 'Upload files' })).toBeVisible();
    await expect(visitor).toHaveTitle(/Upload files/);
    // The limits come from GET /visitor/v1/config (100 MiB by default).
    await expect(visitor.getByText(/Up to 100 MB per file/)).toBeVisible();
    expect(await visitorContext.cookies()).toEqual([]);

    // A type visitors may not upload is refused with the server's reason; the page stays usable.
    await visitor
      .getByLabel('Files to upload')
      .setInputFiles([
        { name: 'tool.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\u0003\u0004 not really') },
      ]);
    const refused = visitor.getByRole('listitem').filter({ hasText: 'tool.zip' });
    await expect(refused.locator('.upload-row__detail--error')).toHaveText(
      'Files of type application/zip are not accepted',
    );
    // A refusal of the file itself: trying again would not help.
    await expect(refused.getByRole('button', { name: 'Retry' })).toHaveCount(0);
    await refused.getByRole('button', { name: 'Remove tool.zip' }).click();

    const choosing = visitor.waitForEvent('filechooser');
    await visitor.getByRole('button', { name: 'Choose files' }).click();
    await (await choosing).setFiles([{ name, mimeType: 'text/plain', buffer: bytes }]);
    await expect(visitor.getByRole('heading', { name: 'Thank you!' })).toBeVisible({ timeout: 15_000 });
    await expect(visitor.getByText('Your file was uploaded.')).toBeVisible();
    await expect(visitor.getByRole('button', { name: 'Upload more files' })).toBeVisible();
  } finally {
    await visitorContext.close();
  }

  await page.goto('/visitor-uploads');
  await expect(itemCell(page, name)).toBeVisible();

  const response = await api.get('/site-media/v1/files', { params: { parentFolderId: 'visitor-uploads' } });
  const files = ((await response.json()) as { files: { id: string; displayName: string }[] }).files;
  const file = files.find((f) => f.displayName === name);
  expect(file).toBeDefined();
  const saved = await (await api.get(`/media/${file?.id ?? ''}`)).body();
  expect(sha256(saved)).toBe(sha256(bytes));
  // Leave Visitor Uploads as it was.
  await api.post('/site-media/v1/bulk/files/delete', { data: { fileIds: [file?.id], permanent: true } });
});
