import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createFolder, expect, folderUrl, test, uploadFile } from './fixtures';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

test('Download in the details panel saves exactly the uploaded bytes from a signed URL', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  // Random bytes (incompressible, every byte value), large enough to span many network chunks.
  const bytes = randomBytes(300 * 1024 + 17);
  const file = await uploadFile(api, {
    fileName: 'payload.bin',
    mimeType: 'application/octet-stream',
    data: bytes,
    parentFolderId: workspace.id,
  });
  expect(file.hash).toBe(sha256(bytes));

  await page.goto(`/files/${workspace.id}?item=file:${file.id}`);
  const panel = page.getByRole('complementary', { name: 'Details of payload.bin' });
  await expect(panel).toBeVisible();
  await expect(panel.getByText('300 KB')).toBeVisible();

  const downloading = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download payload.bin' }).click();
  await page.getByRole('menuitem', { name: 'Original' }).click();
  const download = await downloading;

  // A signed, expiring URL of this server, not the file's public URL.
  const url = new URL(download.url());
  expect(url.origin).toBe(new URL(page.url()).origin);
  expect(url.pathname).toBe(`/download/v1/${file.id}`);
  expect(url.searchParams.get('sig')).toBeTruthy();
  expect(Number(url.searchParams.get('exp'))).toBeGreaterThan(Date.now() / 1000);
  expect(download.suggestedFilename()).toBe('payload.bin');

  const saved = await readFile(await download.path());
  expect(saved.length).toBe(bytes.length);
  expect(sha256(saved)).toBe(sha256(bytes));
  expect(saved.equals(bytes)).toBe(true);

  // The download did not navigate away from the folder.
  await expect(page).toHaveURL(folderUrl(workspace.id));
  await expect(panel).toBeVisible();

  // The signature covers the URL: a later expiry written into it is refused.
  const tampered = new URL(url);
  tampered.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 3600));
  expect((await page.request.get(tampered.href)).status()).toBe(403);
  expect((await page.request.get(url.href)).status()).toBe(200);
});

test('Download zip of a folder saves a zip whose entries are the folder tree', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const album = await createFolder(api, 'Album', workspace.id);
  const inner = await createFolder(api, 'Inner', album.id);
  const contents: Record<string, Buffer> = {
    'one.txt': Buffer.from('first file'),
    'Inner/two.bin': randomBytes(70_000),
    'Inner/three.txt': Buffer.from('third'),
  };
  await uploadFile(api, {
    fileName: 'one.txt',
    mimeType: 'text/plain',
    data: contents['one.txt']!,
    parentFolderId: album.id,
  });
  await uploadFile(api, {
    fileName: 'two.bin',
    mimeType: 'application/octet-stream',
    data: contents['Inner/two.bin']!,
    parentFolderId: inner.id,
  });
  await uploadFile(api, {
    fileName: 'three.txt',
    mimeType: 'text/plain',
    data: contents['Inner/three.txt']!,
    parentFolderId: inner.id,
  });

  await page.goto(`/files/${workspace.id}?item=folder:${album.id}`);
  const panel = page.getByRole('complementary', { name: 'Details of Album' });
  const downloading = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download zip' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('Album.zip');

  const zip = await download.path();
  execFileSync('unzip', ['-tq', zip]);
  const entries = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line && !line.endsWith('/'))
    .sort();
  expect(entries).toEqual(Object.keys(contents).sort());
  for (const [entry, bytes] of Object.entries(contents)) {
    const extracted = execFileSync('unzip', ['-p', zip, entry]);
    expect(sha256(extracted)).toBe(sha256(bytes));
  }
});
