import sharp from 'sharp';
import {
  createFolder,
  deleteFiles,
  deleteFolders,
  expect,
  getFile,
  itemCell,
  MEDIA_ROOT,
  test,
  uniqueName,
} from './fixtures';

const MODERATION = '/site-media-ext/v1/visitor-uploads/moderation';

interface Moderation {
  newCount: number;
  fileIds: string[];
  approveFolder: { id: string; displayName: string } | null;
}

function png(colour: string): Promise<Buffer> {
  return sharp({ create: { width: 480, height: 320, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

test('visitor uploads are new until reviewed: the sidebar counts them, A approves into the remembered folder, R rejects', async ({
  browser,
  signedInPage: page,
  api,
}) => {
  // A long walk (a visitor's upload, a review, a reload, another review) on a shared, busy machine.
  test.setTimeout(120_000);
  const moderation = async (): Promise<Moderation> =>
    (await (await api.get(MODERATION, { params: { limit: 1000 } })).json()) as Moderation;
  const before = await moderation();
  expect(before.approveFolder, 'a fresh server has no remembered folder').toBeNull();
  const folderName = uniqueName('Approved');
  const folder = await createFolder(api, folderName, MEDIA_ROOT);
  const tag = uniqueName('v').replace(' ', '-');
  const uploaded = [`${tag}-first.png`, `${tag}-second.png`, `${tag}-third.png`];

  // A visitor, without a session, uploads three images on /upload.
  const visitorContext = await browser.newContext();
  try {
    const visitor = await visitorContext.newPage();
    await visitor.goto('/upload');
    await visitor.getByLabel('Files to upload').setInputFiles([
      { name: uploaded[0]!, mimeType: 'image/png', buffer: await png('#2f80ed') },
      { name: uploaded[1]!, mimeType: 'image/png', buffer: await png('#eb5757') },
      { name: uploaded[2]!, mimeType: 'image/png', buffer: await png('#27ae60') },
    ]);
    await expect(visitor.getByRole('heading', { name: 'Thank you!' })).toBeVisible({ timeout: 20_000 });
  } finally {
    await visitorContext.close();
  }
  const queued = (await moderation()).fileIds.slice(before.fileIds.length);
  expect(queued).toHaveLength(3);
  const ids = queued;
  // The page uploads the three side by side: the queue's order is the order they arrived in.
  const names = (await Promise.all(ids.map((id) => getFile(api, id)))).map((f) => f?.displayName ?? '');
  expect([...names].sort()).toEqual(uploaded);

  // The sidebar counts them; their tiles say "New".
  await page.goto('/visitor-uploads');
  const sidebar = page.getByRole('navigation', { name: 'Areas and folders' });
  // The first screen can take a while on a busy machine: wait for it before anything else.
  await expect(sidebar.getByText(`${before.newCount + 3} new`, { exact: true })).toBeAttached({
    timeout: 30_000,
  });
  for (const name of names)
    await expect(itemCell(page, name).getByText('New', { exact: true })).toBeVisible();

  // Review: the queue in upload order, the new files of earlier visits first (stepped over with →).
  await page.getByRole('button', { name: 'Review new uploads' }).click();
  const review = page.getByRole('dialog', { name: /^Review/ });
  await expect(review).toBeVisible({ timeout: 15_000 });
  for (let i = 0; i < before.fileIds.length; i++) await page.keyboard.press('ArrowRight');
  await expect(review.getByRole('heading', { name: `Review: ${names[0]}` })).toBeVisible();
  await expect(review.getByRole('img', { name: names[0] })).toBeVisible();

  // → and ← step without deciding.
  await page.keyboard.press('ArrowRight');
  await expect(review.getByRole('heading', { name: `Review: ${names[1]}` })).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(review.getByRole('heading', { name: `Review: ${names[0]}` })).toBeVisible();

  // A, the first time: which folder? Then the file moves there and the next one shows.
  await page.keyboard.press('a');
  const chooser = page.getByRole('dialog', { name: 'Approve into which folder?' });
  await chooser.getByRole('treeitem', { name: folderName, exact: true }).click();
  await chooser.getByRole('button', { name: `Use ${folderName}` }).click();
  await expect(review.getByRole('status')).toHaveText(`Approved “${names[0]}” into ${folderName}`);
  await expect(review.getByRole('heading', { name: `Review: ${names[1]}` })).toBeVisible();

  // R rejects: to the trash, and on to the next.
  await page.keyboard.press('r');
  await expect(review.getByRole('status')).toHaveText(`Rejected “${names[1]}”: moved to the trash`);
  await expect(review.getByRole('heading', { name: `Review: ${names[2]}` })).toBeVisible();

  // A again: straight into the remembered folder, no question.
  await expect(review.getByRole('button', { name: `Approve to ${folderName}` })).toBeVisible();
  await page.keyboard.press('A');
  await expect(review.getByRole('status')).toHaveText(`Approved “${names[2]}” into ${folderName}`);
  await expect(chooser).toBeHidden();
  if (before.fileIds.length === 0) await expect(review.getByText('All caught up')).toBeVisible();

  await page.keyboard.press('Escape');
  await expect(review).toBeHidden();
  if (before.newCount === 0) {
    await expect(sidebar.getByText(/\d+ new$/)).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Review new uploads' })).toBeHidden();
  } else {
    await expect(sidebar.getByText(`${before.newCount} new`, { exact: true })).toBeAttached();
  }
  await expect(itemCell(page, names[0]!)).toBeHidden();

  expect((await getFile(api, ids[0]!))?.parentFolderId).toBe(folder.id);
  expect((await getFile(api, ids[1]!))?.state).toBe('DELETED');
  expect((await getFile(api, ids[2]!))?.parentFolderId).toBe(folder.id);

  // The folder is remembered by the server: after a reload, a new upload is approved there with the button.
  const grant = await api.post('/visitor/v1/upload-url', {
    data: { mimeType: 'image/png', fileName: `${tag}-late.png` },
  });
  const { uploadUrl } = (await grant.json()) as { uploadUrl: string };
  const put = await api.put(uploadUrl, {
    data: await png('#f2c94c'),
    headers: { 'content-type': 'image/png' },
  });
  const late = ((await put.json()) as { file: { id: string } }).file;
  await page.reload();
  await expect(page.getByRole('button', { name: 'Review new uploads' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Review new uploads' }).click();
  for (let i = 0; i < before.fileIds.length; i++) await page.keyboard.press('ArrowRight');
  await expect(review.getByRole('heading', { name: `Review: ${tag}-late.png` })).toBeVisible();
  await review.getByRole('button', { name: `Approve to ${folderName}` }).click();
  await expect(review.getByRole('status')).toHaveText(`Approved “${tag}-late.png” into ${folderName}`);
  expect((await getFile(api, late.id))?.parentFolderId).toBe(folder.id);
  await review.getByRole('button', { name: 'Leave review' }).click();
  await expect(review).toBeHidden();

  await deleteFiles(api, [...ids, late.id], true);
  await deleteFolders(api, [folder.id], true);
});
