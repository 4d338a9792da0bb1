// Regressions from the browser audit "What a site owner trips over": each test failed on the code before its fix.
import { execFileSync } from 'node:child_process';
import type { APIRequestContext, Page } from '@playwright/test';
import sharp from 'sharp';
import {
  createFolder,
  deleteFiles,
  deleteFolders,
  expect,
  getFile,
  itemCell,
  selectOnly,
  test,
  toast,
  uploadFile,
  type ApiFile,
} from './fixtures';

const API = '/site-media/v1';

// Each test walks through several screens of a shared, busy machine: more time than one screen's test.
test.beforeEach(() => test.slow());

function selectionBar(page: Page) {
  return page.getByRole('region', { name: 'Selection' });
}

async function processed(api: APIRequestContext, fileId: string): Promise<ApiFile> {
  let file: ApiFile | null = null;
  await expect
    .poll(
      async () => {
        file = await getFile(api, fileId);
        return file?.operationStatus;
      },
      { timeout: 60_000, intervals: [250] },
    )
    .not.toBe('PENDING');
  return file!;
}

/** Deletes everything at the top of the trash for good (the specs run one at a time, so this is ours alone). */
async function emptyTrashThroughApi(api: APIRequestContext): Promise<void> {
  for (;;) {
    const folders = (await (await api.get(`${API}/trash-bin/folders`)).json()) as {
      folders: { id: string }[];
    };
    const files = (await (await api.get(`${API}/trash-bin/files`)).json()) as { files: { id: string }[] };
    if (folders.folders.length === 0 && files.files.length === 0) return;
    if (folders.folders.length > 0)
      await deleteFolders(
        api,
        folders.folders.map((f) => f.id),
        true,
      );
    if (files.files.length > 0)
      await deleteFiles(
        api,
        files.files.map((f) => f.id),
        true,
      );
  }
}

async function jpeg(): Promise<Buffer> {
  return sharp({ create: { width: 16, height: 12, channels: 3, background: '#c33' } })
    .jpeg()
    .toBuffer();
}

test('deleting a folder forever leaves a file trashed earlier from it in the trash, restorable', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const flyers = await createFolder(api, 'Flyers', workspace.id);
  const flyer = await uploadFile(api, {
    fileName: 'flyer.jpg',
    mimeType: 'image/jpeg',
    data: await jpeg(),
    parentFolderId: flyers.id,
  });
  await deleteFiles(api, [flyer.id]);
  await deleteFolders(api, [flyers.id]);

  await page.goto('/trash');
  // The first page of a run waits for the server's first compile: a longer wait than usual, not a timing.
  await expect(itemCell(page, 'Flyers')).toBeVisible({ timeout: 20_000 });
  await expect(itemCell(page, 'flyer.jpg')).toBeVisible();

  await selectOnly(page, 'Flyers');
  await selectionBar(page).getByRole('button', { name: 'Delete forever' }).click();
  const forever = page.getByRole('alertdialog', { name: 'Delete “Flyers” forever?' });
  await forever.getByRole('button', { name: 'Delete forever' }).click();
  await expect(toast(page, 'Deleted “Flyers” forever')).toBeVisible();

  // The dialog named only the folder: the file trashed on its own is still in the trash.
  await page.reload();
  await expect(itemCell(page, 'flyer.jpg')).toBeVisible();
  expect((await getFile(api, flyer.id))?.state).toBe('DELETED');
  await selectOnly(page, 'flyer.jpg');
  await selectionBar(page).getByRole('button', { name: 'Restore' }).click();
  await expect(toast(page, 'Restored “flyer.jpg”')).toBeVisible();
  // Its folder is gone: it goes back to the top of Site Files.
  expect(await getFile(api, flyer.id)).toMatchObject({ state: 'OK', parentFolderId: 'media-root' });
  await deleteFiles(api, [flyer.id], true);
});

test('Move to… from Visitor Uploads reaches the folders of Site Files', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const approved = await createFolder(api, 'Approved', workspace.id);
  const upload = await uploadFile(api, {
    fileName: 'from-visitor.txt',
    mimeType: 'text/plain',
    data: 'a visitor wrote this',
    parentFolderId: 'visitor-uploads',
  });
  try {
    await page.goto(`/visitor-uploads?item=file:${upload.id}`);
    await selectOnly(page, 'from-visitor.txt');
    await selectionBar(page).getByRole('button', { name: 'Move to…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move “from-visitor.txt” to…' });
    const siteFiles = dialog.getByRole('tree', { name: 'Destination folder in Site Files' });
    await expect(siteFiles).toBeVisible();
    // Keyboard only: into the tree, down to the workspace, open it, down to Approved, pick it.
    const rootNode = siteFiles.getByRole('treeitem').first();
    await rootNode.focus();
    await page.keyboard.press('ArrowRight');
    const workspaceNode = siteFiles.locator(`[data-folder-id="${workspace.id}"]`);
    await expect(workspaceNode).toBeVisible();
    await workspaceNode.focus();
    await page.keyboard.press('ArrowRight');
    const approvedNode = siteFiles.locator(`[data-folder-id="${approved.id}"]`);
    await expect(approvedNode).toBeVisible();
    await approvedNode.focus();
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Move to Approved' }).click();
    await expect(dialog).toBeHidden();
    await expect(itemCell(page, 'from-visitor.txt')).toHaveCount(0);
    expect((await getFile(api, upload.id))?.parentFolderId).toBe(approved.id);
  } finally {
    if ((await getFile(api, upload.id))?.parentFolderId === 'visitor-uploads')
      await deleteFiles(api, [upload.id], true);
  }
});

test('downloading a folder and two files together zips the folder with its tree', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const album = await createFolder(api, 'Album', workspace.id);
  const inner = await createFolder(api, 'Inner', album.id);
  await uploadFile(api, { fileName: 'a.txt', mimeType: 'text/plain', data: 'a', parentFolderId: album.id });
  await uploadFile(api, { fileName: 'b.txt', mimeType: 'text/plain', data: 'b', parentFolderId: inner.id });
  const x = await uploadFile(api, {
    fileName: 'x.txt',
    mimeType: 'text/plain',
    data: 'x',
    parentFolderId: workspace.id,
  });
  await uploadFile(api, {
    fileName: 'y.txt',
    mimeType: 'text/plain',
    data: 'y',
    parentFolderId: workspace.id,
  });

  await page.goto(`/files/${workspace.id}?item=file:${x.id}`);
  // The link selects x.txt once its listing is in; a click before that can lose to it (see the session note).
  await expect(itemCell(page, 'x.txt')).toHaveAttribute('aria-selected', 'true');
  await selectOnly(page, 'Album');
  await itemCell(page, 'x.txt').click({ modifiers: ['ControlOrMeta'] });
  await itemCell(page, 'y.txt').click({ modifiers: ['ControlOrMeta'] });
  await expect(selectionBar(page)).toContainText('3 selected');
  const downloading = page.waitForEvent('download');
  await selectionBar(page).getByRole('button', { name: 'Download' }).click();
  const download = await downloading;
  const zip = await download.path();
  const entries = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line && !line.endsWith('/'))
    .sort();
  expect(entries).toEqual(['Album/Inner/b.txt', 'Album/a.txt', 'x.txt', 'y.txt']);
});

test('a PDF whose preview failed opens in the viewer, with a reason written for the owner', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  // A PDF header (so the upload's content check passes) over bytes no PDF reader can parse.
  const broken = await uploadFile(api, {
    fileName: 'broken.pdf',
    mimeType: 'application/pdf',
    data: '%PDF-1.4\n this is not really a PDF\n%%EOF\n',
    parentFolderId: workspace.id,
  });
  expect((await processed(api, broken.id)).operationStatus).toBe('FAILED');

  await page.goto(`/files/${workspace.id}?item=file:${broken.id}`);
  const panel = page.getByRole('complementary', { name: 'Details of broken.pdf' });
  await expect(
    panel.getByText("We couldn't make a preview of this PDF. You can still open and download it."),
  ).toBeVisible();
  // The technical reason is one click away, not in the owner's face.
  const technical = panel.getByText(/could not be processed/);
  await expect(technical).toBeHidden();
  await panel.getByText('Technical details').click();
  await expect(technical).toBeVisible();

  await panel.getByRole('button', { name: 'View' }).click();
  const viewer = page.getByRole('dialog', { name: 'broken.pdf' });
  await expect(viewer.locator('iframe[title="PDF broken.pdf"]')).toHaveAttribute('src', /\/download\/v1\//);
});

test('errors read as sentences: import refusals, and a bad download link opened in a browser', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  await page.goto(`/files/${workspace.id}`);
  await page.getByRole('button', { name: 'Import' }).click();
  const dialog = page.getByRole('dialog', { name: /Import/ });
  await dialog.getByRole('textbox').fill('http://10.255.255.1/private.jpg');
  await dialog.getByRole('button', { name: 'Import' }).click();
  const refused = dialog.getByRole('list', { name: 'Import results' }).getByRole('listitem');
  await expect(refused).toContainText('http://10.255.255.1/private.jpg');
  await expect(refused).toContainText(/private network/);
  await expect(refused).not.toContainText('importFileRequests');
  await expect(refused).not.toContainText('Refused:');

  // A download link whose signature does not match, opened in the browser: a page, not JSON.
  const file = await uploadFile(api, {
    fileName: 'notes.txt',
    mimeType: 'text/plain',
    data: 'notes',
    parentFolderId: workspace.id,
  });
  const signed = (await (
    await api.post(`${API}/files/generate-file-download-url`, { data: { fileId: file.id } })
  ).json()) as { downloadUrls: { url: string }[] };
  const tampered = new URL(signed.downloadUrls[0]!.url);
  tampered.searchParams.set('exp', String(Number(tampered.searchParams.get('exp')) + 60));
  const response = await page.goto(tampered.href);
  expect(response?.status()).toBe(403);
  expect(response?.headers()['content-type']).toMatch(/^text\/html/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This download link does not work');
  await expect(page.locator('body')).not.toContainText('applicationError');
  await page.getByRole('link', { name: 'Open the file in Site Media Manager' }).click();
  // The app, at the file: its Download makes a fresh link.
  await expect(page.getByRole('complementary', { name: 'Details of notes.txt' })).toBeVisible();

  // API clients still get the contract's JSON error.
  const apiAnswer = await api.get(tampered.href);
  expect(apiAnswer.status()).toBe(403);
  expect(
    ((await apiAnswer.json()) as { details: { applicationError: { code: string } } }).details,
  ).toMatchObject({ applicationError: { code: 'PERMISSION_DENIED' } });
});

test('Trash says when and where from, keeps its own breadcrumb, and empty states say what to do', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  await emptyTrashThroughApi(api);
  await page.goto('/trash');
  await expect(page.getByText('The trash is empty')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Empty trash' })).toBeDisabled();

  const photos = await createFolder(api, 'Photos', workspace.id);
  const old = await createFolder(api, 'Old', workspace.id);
  const shot = await uploadFile(api, {
    fileName: 'shot.txt',
    mimeType: 'text/plain',
    data: 'shot',
    parentFolderId: photos.id,
  });
  await uploadFile(api, {
    fileName: 'inside-old.txt',
    mimeType: 'text/plain',
    data: 'o',
    parentFolderId: old.id,
  });
  await deleteFiles(api, [shot.id]);
  await deleteFolders(api, [old.id]);

  await page.goto(`/trash?item=file:${shot.id}&view=list`);
  const panel = page.getByRole('complementary', { name: 'Details of shot.txt' });
  const fact = (label: string) =>
    // Exact: "Deleted" is not "Deleted forever".
    panel.locator('.facts__row').filter({ has: page.getByRole('term').getByText(label, { exact: true }) });
  await expect(fact('From').getByRole('definition')).toHaveText(
    `Site Files › ${workspace.displayName} › Photos`,
    {
      // The path is walked one folder at a time: on a busy machine that takes a while.
      timeout: 15_000,
    },
  );
  await expect(fact('Deleted').getByRole('definition')).not.toHaveText('—');
  await expect(fact('Updated')).toHaveCount(0);
  await expect(page.getByRole('columnheader', { name: 'Deleted' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Updated' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Empty trash' })).toBeEnabled();

  // Inside a trashed folder the breadcrumb leads back to Trash, not to live folders that list nothing here.
  await selectOnly(page, 'Old');
  await itemCell(page, 'Old').dblclick();
  await expect(itemCell(page, 'inside-old.txt')).toBeVisible();
  const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
  await expect(crumbs.getByRole('link')).toHaveText(['Trash']);
  await expect(crumbs.locator('[aria-current="page"]')).toHaveText('Old');
  // A live folder's trash listing (an old link) shows the trash, not "The trash is empty".
  await page.goto(`/trash/${workspace.id}`);
  await expect(page.getByText('The trash is empty')).toHaveCount(0);
  await expect(itemCell(page, 'shot.txt')).toBeVisible();

  // An empty folder says how to fill it.
  await page.goto(`/files/${photos.id}`);
  await expect(page.getByText('This folder is empty')).toBeVisible();
  await expect(page.getByText('Drop files here or use Upload')).toBeVisible();
});
