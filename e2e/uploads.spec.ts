import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import type { APIRequestContext, Page } from '@playwright/test';
import { type ApiFile, createFolder, E2E_BASE_URL, expect, itemCell, test, uniqueName } from './fixtures';
import { E2E_IMPORT_PORT } from './env';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

interface PageFile {
  name: string;
  type: string;
  /** base64 */
  data: string;
}

/** `GET /files?parentFolderId=`: the files of a folder. */
async function listFiles(api: APIRequestContext, parentFolderId: string): Promise<ApiFile[]> {
  const response = await api.get('/site-media/v1/files', { params: { parentFolderId } });
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { files: ApiFile[] }).files;
}

/** The bytes the server serves for a (public) file. */
async function downloaded(api: APIRequestContext, fileId: string): Promise<Buffer> {
  const response = await api.get(`/media/${fileId}`);
  expect(response.status()).toBe(200);
  return response.body();
}

/** Files by name in a folder once all of them exist, and each one's bytes equal the given ones. */
async function expectStored(api: APIRequestContext, folderId: string, files: Record<string, Buffer>) {
  const names = Object.keys(files).sort();
  await expect
    .poll(async () => (await listFiles(api, folderId)).map((f) => f.displayName).sort(), { timeout: 15_000 })
    .toEqual(names);
  for (const file of await listFiles(api, folderId)) {
    const bytes = files[file.displayName];
    if (!bytes) throw new Error(`unexpected file ${file.displayName}`);
    const saved = await downloaded(api, file.id);
    expect(saved.length).toBe(bytes.length);
    expect(sha256(saved)).toBe(sha256(bytes));
  }
}

/** Simulates dropping files from the desktop on an element: a DataTransfer built in the page. */
async function dropFiles(page: Page, selector: string, files: PageFile[]) {
  const dataTransfer = await page.evaluateHandle((list: PageFile[]) => {
    const transfer = new DataTransfer();
    for (const file of list) {
      const binary = atob(file.data);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      transfer.items.add(new File([bytes], file.name, { type: file.type }));
    }
    return transfer;
  }, files);
  const target = page.locator(selector).first();
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

const asPageFile = (name: string, type: string, data: Buffer): PageFile => ({
  name,
  type,
  data: data.toString('base64'),
});

function tray(page: Page) {
  return page.getByRole('region', { name: 'Uploads' });
}

test('dropping several files on the page uploads them into the current folder', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const files = {
    'notes.txt': Buffer.from('hello from a drop\n'),
    'data.bin': randomBytes(200 * 1024 + 3),
    'more.txt': Buffer.from('second text file'),
  };
  await page.goto(`/files/${workspace.id}`);
  await expect(page.getByRole('toolbar', { name: 'View and actions' })).toBeVisible();
  await dropFiles(page, '.browser__main', [
    asPageFile('notes.txt', 'text/plain', files['notes.txt']),
    asPageFile('data.bin', 'application/octet-stream', files['data.bin']),
    asPageFile('more.txt', 'text/plain', files['more.txt']),
  ]);
  for (const name of Object.keys(files)) await expect(itemCell(page, name)).toBeVisible({ timeout: 15_000 });
  await expect(tray(page).getByRole('heading')).toHaveText('3 uploaded');
  await expectStored(api, workspace.id, files);
});

test('dropping files on a folder tile uploads them into that folder', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const inner = await createFolder(api, uniqueName('drop target'), workspace.id);
  const files = { 'a.txt': Buffer.from('a'.repeat(1000)), 'b.txt': Buffer.from('bee') };
  await page.goto(`/files/${workspace.id}`);
  await expect(itemCell(page, inner.displayName)).toBeVisible();
  await dropFiles(page, `[role="gridcell"][aria-label="${inner.displayName}"]`, [
    asPageFile('a.txt', 'text/plain', files['a.txt']),
    asPageFile('b.txt', 'text/plain', files['b.txt']),
  ]);
  await expect(tray(page).getByRole('heading')).toHaveText('2 uploaded', { timeout: 15_000 });
  await expectStored(api, inner.id, files);
  // Nothing landed in the folder being viewed.
  expect(await listFiles(api, workspace.id)).toEqual([]);
});

test('the Upload button uploads the chosen files', async ({ signedInPage: page, api, workspace }) => {
  const bytes = randomBytes(64 * 1024);
  await page.goto(`/files/${workspace.id}`);
  const choosing = page.waitForEvent('filechooser');
  await page
    .getByRole('toolbar', { name: 'View and actions' })
    .getByRole('button', { name: 'Upload' })
    .click();
  const chooser = await choosing;
  expect(chooser.isMultiple()).toBe(true);
  await chooser.setFiles([
    { name: 'picked.bin', mimeType: 'application/octet-stream', buffer: bytes },
    { name: 'picked.txt', mimeType: 'text/plain', buffer: Buffer.from('picked') },
  ]);
  await expect(itemCell(page, 'picked.bin')).toBeVisible({ timeout: 15_000 });
  await expect(itemCell(page, 'picked.txt')).toBeVisible();
  await expectStored(api, workspace.id, { 'picked.bin': bytes, 'picked.txt': Buffer.from('picked') });
});

test('a refused file shows the reason in the tray and the others go on', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  await page.goto(`/files/${workspace.id}`);
  await expect(page.getByRole('toolbar', { name: 'View and actions' })).toBeVisible();
  // A PDF declared as a PNG: the server checks the bytes and refuses (MISMATCH_MIME_TYPE).
  await page
    .locator('main input[type="file"]')
    .first()
    .setInputFiles([
      { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('%PDF-1.4\n% not a png\n') },
      { name: 'fine.txt', mimeType: 'text/plain', buffer: Buffer.from('fine') },
    ]);
  const failed = tray(page).getByRole('listitem').filter({ hasText: 'fake.png' });
  await expect(failed).toHaveClass(/upload-row--failed/, { timeout: 15_000 });
  await expect(failed.locator('.upload-row__detail')).toHaveText(
    /^The content is a .*\(application\/pdf\), not image\/png/,
  );
  await expect(failed.getByRole('button', { name: 'Retry' })).toBeVisible();
  await expect(tray(page).getByRole('heading')).toHaveText('1 uploaded, 1 failed');
  await expect(itemCell(page, 'fine.txt')).toBeVisible();
  await expect(itemCell(page, 'fake.png')).toHaveCount(0);
  expect((await listFiles(api, workspace.id)).map((f) => f.displayName)).toEqual(['fine.txt']);
});

test('a file above the plain-upload limit goes by tus and arrives intact', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  test.setTimeout(60_000);
  const bytes = randomBytes(14 * 1024 * 1024 + 123);
  const tusRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/upload/v1/tus')) tusRequests.push(request.method());
  });
  await page.goto(`/files/${workspace.id}`);
  await expect(page.getByRole('toolbar', { name: 'View and actions' })).toBeVisible();
  await page
    .locator('main input[type="file"]')
    .first()
    .setInputFiles([{ name: 'big.bin', mimeType: 'application/octet-stream', buffer: bytes }]);
  await expect(itemCell(page, 'big.bin')).toBeVisible({ timeout: 40_000 });
  await expect(tray(page).getByRole('heading')).toHaveText('1 uploaded');
  expect(tusRequests).toContain('POST');
  expect(tusRequests).toContain('PATCH');
  await expectStored(api, workspace.id, { 'big.bin': bytes });
});

/**
 * A TCP proxy to the e2e server that cuts its first connection once `cutAfter` bytes of the request went
 * through (a connection lost mid-upload); later connections pass untouched.
 */
async function startCuttingProxy(cutAfter: number) {
  const target = new URL(E2E_BASE_URL);
  const sockets = new Set<Socket>();
  const state = { connections: 0, cuts: 0 };
  const proxy = createTcpServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    const cutThis = state.connections++ === 0;
    let forwarded = 0;
    client.on('data', (chunk: Buffer) => {
      forwarded += chunk.length;
      upstream.write(chunk);
      if (cutThis && forwarded > cutAfter) {
        state.cuts++;
        client.destroy();
        upstream.destroy();
      }
    });
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as AddressInfo).port,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}

/** Records the Upload-Offset of every tus PATCH the page sends. */
function recordPatchOffsets(page: Page): number[] {
  const offsets: number[] = [];
  page.on('request', (request) => {
    if (request.method() === 'PATCH' && request.url().includes('/upload/v1/tus/')) {
      offsets.push(Number(request.headers()['upload-offset']));
    }
  });
  return offsets;
}

test('a tus upload whose connection is cut resumes from the server offset', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  test.setTimeout(120_000);
  // 50 MB, as the issue asks; from a file on disk (a buffer that size is slow through the browser protocol).
  const bytes = randomBytes(50 * 1024 * 1024 + 5);
  const dir = mkdtempSync(path.join(tmpdir(), 'smm-e2e-cut-'));
  const source = path.join(dir, 'cut.bin');
  writeFileSync(source, bytes);
  const proxy = await startCuttingProxy(20 * 1024 * 1024);
  try {
    // The bytes (tus PATCH requests) go through the proxy, which drops the first connection after 20 MiB.
    await page.route('**/upload/v1/tus/**', async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue();
      const url = new URL(route.request().url());
      url.port = String(proxy.port);
      return route.continue({ url: url.toString() });
    });
    const offsets = recordPatchOffsets(page);
    await page.goto(`/files/${workspace.id}`);
    await expect(page.getByRole('toolbar', { name: 'View and actions' })).toBeVisible();
    await page.locator('main input[type="file"]').first().setInputFiles(source);
    await expect(itemCell(page, 'cut.bin')).toBeVisible({ timeout: 90_000 });
    await expect(tray(page).getByRole('heading')).toHaveText('1 uploaded');
    expect(proxy.state.cuts).toBe(1);
    // The first PATCH started at 0 and was cut; the retry went on from what the server had, not from 0.
    expect(offsets[0]).toBe(0);
    expect(offsets.length).toBeGreaterThanOrEqual(2);
    expect(offsets.slice(1).every((offset) => offset > 0)).toBe(true);
    await expectStored(api, workspace.id, { 'cut.bin': bytes });
  } finally {
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a tus upload interrupted by a reload resumes after "Resume uploads"', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  test.setTimeout(60_000);
  const bytes = randomBytes(12 * 1024 * 1024 + 9);
  // Slow the upload down so the reload lands in the middle of it.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const throttle = (uploadThroughput: number) =>
    cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput,
    });
  await throttle(2 * 1024 * 1024);
  await page.goto(`/files/${workspace.id}`);
  await expect(page.getByRole('toolbar', { name: 'View and actions' })).toBeVisible();
  await page
    .locator('main input[type="file"]')
    .first()
    .setInputFiles([{ name: 'reload.bin', mimeType: 'application/octet-stream', buffer: bytes }]);
  const row = tray(page).getByRole('listitem').filter({ hasText: 'reload.bin' });
  await expect(row).toHaveAttribute('aria-label', /^reload\.bin: [2-6]\d%/, { timeout: 20_000 });
  const offsets = recordPatchOffsets(page);
  // Reload while still throttled: at full speed the PATCH in flight could finish the upload before the reload.
  await page.reload();
  await throttle(-1);

  await expect(tray(page)).toContainText('Uploads were interrupted when the page closed.');
  // Nothing runs until the user says so: the restored upload shows as interrupted, not as uploading.
  await expect(tray(page).getByRole('heading')).toHaveText('1 upload interrupted');
  await expect(tray(page).getByRole('listitem').first()).toHaveAccessibleName(/Interrupted at \d+%/);
  await tray(page).getByRole('button', { name: 'Resume uploads' }).click();
  await expect(itemCell(page, 'reload.bin')).toBeVisible({ timeout: 40_000 });
  await expect(tray(page).getByRole('heading')).toHaveText('1 uploaded');
  // After the reload the upload went on from the server's offset.
  expect(offsets.length).toBeGreaterThanOrEqual(1);
  expect(offsets.every((offset) => offset > 0)).toBe(true);
  await expectStored(api, workspace.id, { 'reload.bin': bytes });
});

test.describe('import from URL', () => {
  let server: Server;
  const source = randomBytes(50 * 1024);

  test.beforeAll(async () => {
    // A slow source, so the file is seen Processing before it arrives.
    server = createServer((_request, response) => {
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        response.end(source);
      }, 2_000);
    });
    await new Promise<void>((resolve) => server.listen(E2E_IMPORT_PORT, '127.0.0.1', resolve));
    expect((server.address() as AddressInfo).port).toBe(E2E_IMPORT_PORT);
  });

  test.afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('a URL imported through the dialog shows Processing, then the file', async ({
    signedInPage: page,
    api,
    workspace,
  }) => {
    await page.goto(`/files/${workspace.id}`);
    await page
      .getByRole('toolbar', { name: 'View and actions' })
      .getByRole('button', { name: 'Import' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Import from URL' });
    await dialog.getByLabel('URLs').fill(`http://127.0.0.1:${E2E_IMPORT_PORT}/imported.bin`);
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(dialog.getByRole('list', { name: 'Import results' })).toContainText('Importing…');
    await dialog.getByRole('button', { name: 'Close' }).click();

    const cell = itemCell(page, 'imported.bin');
    await expect(cell).toBeVisible();
    await expect(cell.getByText('Processing')).toBeVisible();
    await expect(cell.getByText('Processing')).toHaveCount(0, { timeout: 15_000 });
    await expectStored(api, workspace.id, { 'imported.bin': source });
  });
});
