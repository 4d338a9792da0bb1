// The smaller defects a site owner trips over (browser audit): each test here failed on the code before its fix.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { E2E_IMPORT_PORT } from './env';
import {
  type ApiFile,
  createFolder,
  getFile,
  expect,
  itemCell,
  itemGrid,
  itemNames,
  selectOnly,
  test,
  toast,
  uploadFile,
  urlParams,
} from './fixtures';

// A busy, shared 2-core machine: the steps are many, not slow; give them room.
test.describe.configure({ timeout: 90_000 });

const API = '/site-media/v1';

/** Opens a page of the app and waits for the listing's toolbar (a first load is slow on a busy machine). */
async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('toolbar', { name: 'View and actions' })).toBeVisible({ timeout: 20_000 });
}

function notifications(page: Page) {
  return page.getByRole('region', { name: /^Notifications/ }).getByRole('listitem');
}

test('toasts: at most 3 at once, the newest replace the oldest, identical ones coalesce', async ({
  signedInPage: page,
  workspace,
}) => {
  await open(page, `/files/${workspace.id}`);
  await expect(page.getByText('This folder is empty')).toBeVisible();
  // Count the toasts on screen at every change.
  await page.evaluate(() => {
    const w = window as unknown as { toastMax: number };
    w.toastMax = 0;
    new MutationObserver(() => {
      const shown = document.querySelectorAll('[role="region"][aria-label^="Notifications"] li');
      w.toastMax = Math.max(w.toastMax, shown.length);
    }).observe(document.body, { childList: true, subtree: true });
  });
  // Five different messages in a row: pastes of 1, 2, ... 5 files ("Uploading 3 files to ..."), each once the
  // previous one's toast shows (pasted all at once, React may drop a toast that was replaced before it painted).
  for (let count = 1; count <= 5; count++) {
    await page.evaluate((count) => {
      const transfer = new DataTransfer();
      for (let i = 0; i < count; i++) {
        transfer.items.add(new File([`${count}-${i}`], `batch${count}-${i}.txt`, { type: 'text/plain' }));
      }
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer }));
    }, count);
    await expect(
      notifications(page).filter({ hasText: new RegExp(`^Uploading ${count} files? to`) }),
    ).toHaveCount(1);
  }
  // Never more than 3; the newest replaced the oldest.
  expect(await page.evaluate(() => (window as unknown as { toastMax: number }).toastMax)).toBe(3);
  await expect(notifications(page).filter({ hasText: /^Uploading [12] files? to/ })).toHaveCount(0);
  await expect(notifications(page).filter({ hasText: /^Uploading [345] files to/ })).toHaveCount(3);
  await expect.poll(() => itemNames(page), { timeout: 20_000 }).toHaveLength(15);

  // The same message again does not add a toast. The two files differ in content: the same bytes twice would
  // ask "Already in your library" once the first had landed (a modal, and one file fewer).
  const paste = (content: string) =>
    page.evaluate((content) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([content], 'same.txt', { type: 'text/plain' }));
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer }));
    }, content);
  await paste('first');
  await paste('second');
  await expect(notifications(page).filter({ hasText: /^Uploading 1 file/ })).toHaveCount(1);
  // Both uploads land before the test ends, so none outlives the workspace folder.
  await expect.poll(() => itemNames(page), { timeout: 20_000 }).toHaveLength(17);
});

test('a second folder or file of the same name is kept as “Name (2)”, and the toast says so', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  await createFolder(api, 'Photos', workspace.id);
  await uploadFile(api, {
    fileName: 'flyer.txt',
    mimeType: 'text/plain',
    data: 'first',
    parentFolderId: workspace.id,
  });
  await open(page, `/files/${workspace.id}?sort=name&order=asc`);
  await expect.poll(() => itemNames(page)).toEqual(['Photos', 'flyer.txt']);

  await page.getByRole('button', { name: 'New folder' }).click();
  const dialog = page.getByRole('dialog', { name: 'New folder' });
  await dialog.getByLabel('Folder name').fill('Photos');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(
    toast(page, 'A folder named Photos already exists here — this one is Photos (2)'),
  ).toBeVisible();

  await page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['second'], 'flyer.txt', { type: 'text/plain' }));
    window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer }));
  });
  await expect(
    toast(page, 'A file named flyer.txt already exists here — this one is flyer (2).txt'),
  ).toBeVisible();
  await expect.poll(() => itemNames(page)).toEqual(['Photos', 'Photos (2)', 'flyer (2).txt', 'flyer.txt']);
});

test('during a search, Upload and New folder say why they are disabled', async ({
  signedInPage: page,
  workspace,
}) => {
  await open(page, `/files/${workspace.id}?q=anything`);
  for (const name of ['Upload', 'New folder', 'Import']) {
    const button = page.getByRole('button', { name, exact: true });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAccessibleDescription('Clear the search to upload into a folder');
  }
});

test('a click on empty space in the grid clears the selection', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  for (const name of ['a.txt', 'b.txt']) {
    await uploadFile(api, {
      fileName: name,
      mimeType: 'text/plain',
      data: name,
      parentFolderId: workspace.id,
    });
  }
  await open(page, `/files/${workspace.id}?sort=name&order=asc`);
  await selectOnly(page, 'a.txt');
  await itemCell(page, 'b.txt').click({ modifiers: ['ControlOrMeta'] });
  await expect(page.getByRole('region', { name: 'Selection' })).toContainText('2 selected');
  const box = await itemGrid(page).boundingBox();
  if (!box) throw new Error('no grid');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height - 10);
  await expect(page.getByRole('region', { name: 'Selection' })).toHaveCount(0);
  await expect(itemGrid(page).locator('[aria-selected="true"]')).toHaveCount(0);
});

test('a pasted image is named by the date and time, not image.png', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  await open(page, `/files/${workspace.id}`);
  await expect(page.getByText('This folder is empty')).toBeVisible();
  await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 4;
    canvas.height = 4;
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], 'image.png', { type: 'image/png' }));
    window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer }));
  });
  await expect
    .poll(async () => {
      const response = await api.get(`${API}/files`, { params: { parentFolderId: workspace.id } });
      return ((await response.json()) as { files: ApiFile[] }).files.map((f) => f.displayName);
    })
    .toEqual([expect.stringMatching(/^Pasted image \d{4}-\d\d-\d\d at \d\d\.\d\d\.\d\d\.png$/)]);
});

test.describe('tile names', () => {
  let server: Server;
  test.beforeAll(async () => {
    server = createServer((_request, response) => response.writeHead(404).end('gone'));
    await new Promise<void>((resolve) => server.listen(E2E_IMPORT_PORT, '127.0.0.1', resolve));
    expect((server.address() as AddressInfo).port).toBe(E2E_IMPORT_PORT);
  });
  test.afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('a tile’s accessible name says private and failed', async ({ signedInPage: page, api, workspace }) => {
    const urlResponse = await api.post(`${API}/files/generate-upload-url`, {
      data: { mimeType: 'text/plain', fileName: 'secret.txt', parentFolderId: workspace.id, private: true },
    });
    const { uploadUrl } = (await urlResponse.json()) as { uploadUrl: string };
    expect((await api.put(uploadUrl, { data: 'x', headers: { 'content-type': 'text/plain' } })).ok()).toBe(
      true,
    );
    const imported = await api.post(`${API}/files/import`, {
      data: {
        url: `http://127.0.0.1:${E2E_IMPORT_PORT}/flyer.jpg`,
        parentFolderId: workspace.id,
        private: true,
      },
    });
    expect(imported.ok()).toBe(true);
    await open(page, `/files/${workspace.id}?sort=name&order=asc`);
    await expect(itemCell(page, 'flyer.jpg, private, processing failed')).toBeVisible();
    await expect(itemCell(page, 'secret.txt, private')).toBeVisible();
  });
});

test('list headers sort by name, size and date, with aria-sort and the URL', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  for (const [name, size] of [
    ['b.txt', 30],
    ['a.txt', 10],
    ['c.txt', 20],
  ] as const) {
    await uploadFile(api, {
      fileName: name,
      mimeType: 'text/plain',
      data: 'x'.repeat(size),
      parentFolderId: workspace.id,
    });
  }
  await open(page, `/files/${workspace.id}?view=list`);
  const header = (name: string) => page.getByRole('columnheader', { name });
  await header('Name').getByRole('button').click();
  await expect.poll(() => urlParams(page)).toMatchObject({ sort: 'name', order: 'asc' });
  await expect(header('Name')).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(() => itemNames(page)).toEqual(['a.txt', 'b.txt', 'c.txt']);

  await header('Name').getByRole('button').click();
  await expect(header('Name')).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => itemNames(page)).toEqual(['c.txt', 'b.txt', 'a.txt']);

  await header('Size').getByRole('button').click();
  await expect.poll(() => urlParams(page)).toMatchObject({ sort: 'size' });
  await expect(header('Size')).toHaveAttribute('aria-sort', /ascending|descending/);
  await expect(header('Name')).not.toHaveAttribute('aria-sort', /ascending|descending/);
  const sizeOrder = (await header('Size').getAttribute('aria-sort')) === 'ascending' ? 1 : -1;
  await expect
    .poll(() => itemNames(page))
    .toEqual(sizeOrder === 1 ? ['a.txt', 'c.txt', 'b.txt'] : ['b.txt', 'c.txt', 'a.txt']);

  await header('Updated').getByRole('button').click();
  await expect.poll(() => urlParams(page)).toMatchObject({ sort: 'updated' });
  await expect(header('Updated')).toHaveAttribute('aria-sort', /ascending|descending/);
});

/** A solid-colour RGB PNG of this size (bigger than the 1600 px preview rendition when asked). */
function pngOf(width: number, height: number): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = (table[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.alloc(1 + width * 3, 0x80);
  row[0] = 0;
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('zoomed past the preview’s resolution, the viewer shows the original', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const file = await uploadFile(api, {
    fileName: 'wide.png',
    mimeType: 'image/png',
    data: pngOf(2400, 300),
    parentFolderId: workspace.id,
  });
  await expect
    .poll(async () => (await getFile(api, file.id))?.operationStatus, { timeout: 60_000 })
    .toBe('READY');
  // The viewer opens over the listing (its toolbar is then hidden from the accessibility tree): wait for it.
  await page.goto(`/files/${workspace.id}?item=file:${file.id}&viewer=1`);
  const viewer = page.getByRole('dialog');
  const picture = viewer.getByRole('img', { name: 'Preview of wide.png' });
  await expect(picture).toBeVisible({ timeout: 20_000 });
  // Fitted, a public image is a screen-sized rendition (a `fit` transformation, or the preview rendition).
  const fitted = /\/preview$|\/v1\/fit\//;
  await expect(picture).toHaveAttribute('src', fitted);
  await viewer.getByRole('button', { name: 'Zoom to full size' }).click();
  await expect(picture).toHaveAttribute('src', new RegExp(`/media/${file.id}$`));
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2400);
  await viewer.getByRole('button', { name: 'Fit to screen' }).click();
  await expect(picture).toHaveAttribute('src', fitted);
});
