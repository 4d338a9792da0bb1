// Over 400 lines as one file on purpose: one job (the picker as a host page on another origin sees it), and the host page, its server and the frame helpers serve every test.
// The media picker other sites embed (docs/picker.md): a host page on another origin (a small HTTP server of this
// spec's own, allowed by PICKER_ALLOWED_ORIGINS in playwright.config.ts) opens it with /picker.js in an iframe
// or a popup and receives the chosen files by postMessage.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import type { Frame, FrameLocator, Page } from '@playwright/test';
import type { PickedMediaItem } from '../public/picker';
import { E2E_PICKER_HOST_PORT } from './env';
import { E2E_API_KEY, E2E_BASE_URL, expect, signIn, test, uploadFile } from './fixtures';

const HOST_ORIGIN = `http://127.0.0.1:${E2E_PICKER_HOST_PORT}`;

/** The host page: buttons that open the picker through picker.js, and a log of every message it receives. */
const HOST_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host editor</title>
<style>body { font-family: system-ui, sans-serif; margin: 24px; }</style></head>
<body>
<h1>Host editor</h1>
<button id="iframe" type="button">Choose (iframe)</button>
<button id="popup" type="button">Choose (popup)</button>
<script type="module">
  import { openMediaPicker } from '${E2E_BASE_URL}/picker.js';
  window.messages = [];
  window.addEventListener('message', (event) => window.messages.push({ origin: event.origin, data: event.data }));
  const query = new URLSearchParams(location.search);
  const run = (mode) => {
    window.result = undefined;
    openMediaPicker({
      mode,
      multiple: query.has('multiple'),
      types: query.get('types') ?? undefined,
      folder: query.get('folder') ?? undefined,
    }).then(
      (items) => (window.result = { items }),
      (error) => (window.result = { error: error.name }),
    );
  };
  document.getElementById('iframe').addEventListener('click', () => run('iframe'));
  document.getElementById('popup').addEventListener('click', () => run('popup'));
  window.pickerLoaded = true;
</script>
</body></html>`;

/** A page that frames the picker directly: `?src=` is the picker URL to frame. */
const FRAMING_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Other host</title></head><body>
<script>
  window.messages = [];
  window.addEventListener('message', (event) => window.messages.push({ origin: event.origin, data: event.data }));
  const frame = document.createElement('iframe');
  frame.title = 'picker';
  frame.style.cssText = 'width:900px;height:600px';
  frame.src = new URLSearchParams(location.search).get('src');
  document.body.append(frame);
</script></body></html>`;

function hostServer(port: number): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const body = request.url?.startsWith('/frame') ? FRAMING_PAGE : HOST_PAGE;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(body);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

let host: http.Server;
let otherHost: http.Server;
let otherOrigin: string;

test.beforeAll(async () => {
  host = await hostServer(E2E_PICKER_HOST_PORT);
  otherHost = await hostServer(0);
  otherOrigin = `http://127.0.0.1:${(otherHost.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => host.close(resolve));
  await new Promise((resolve) => otherHost.close(resolve));
});

async function png(colour: string, width = 160, height = 100): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

interface HostResult {
  items?: PickedMediaItem[];
  error?: string;
}

async function openHost(page: Page, query: Record<string, string>): Promise<void> {
  await page.goto(`${HOST_ORIGIN}/?${new URLSearchParams(query).toString()}`);
  await page.waitForFunction(() => (window as unknown as { pickerLoaded?: boolean }).pickerLoaded === true);
}

async function hostResult(page: Page): Promise<HostResult> {
  const handle = await page.waitForFunction(() => (window as unknown as { result?: unknown }).result);
  return (await handle.jsonValue()) as HostResult;
}

function hostMessages(page: Page): Promise<{ origin: string; data: { type: string } }[]> {
  return page.evaluate(
    () => (window as unknown as { messages: { origin: string; data: { type: string } }[] }).messages,
  );
}

function pickerFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe[title="Choose media"]');
}

function pickerFrameHandle(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().startsWith(`${E2E_BASE_URL}/picker`));
  if (!frame) throw new Error('no picker frame');
  return frame;
}

/** Simulates dropping a file from the desktop on an element of a frame: a DataTransfer built in the frame. */
async function dropFile(frame: Frame, selector: string, name: string, type: string, data: Buffer) {
  const dataTransfer = await frame.evaluateHandle(
    ({ name, type, data }) => {
      const binary = atob(data);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type }));
      return transfer;
    },
    { name, type, data: data.toString('base64') },
  );
  const target = frame.locator(selector).first();
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

test('in an iframe: sign in, upload by drop, pick two files; the host gets them from the media origin', async ({
  page,
  api,
  workspace,
}) => {
  test.setTimeout(90_000);
  const first = await uploadFile(api, {
    fileName: 'first.png',
    mimeType: 'image/png',
    data: await png('#d04020'),
    parentFolderId: workspace.id,
  });
  await openHost(page, { multiple: '1', folder: workspace.id });
  await page.getByRole('button', { name: 'Choose (iframe)' }).click();

  // No session yet: the sign-in form shows inside the frame.
  const picker = pickerFrame(page);
  // The first load of the app in a fresh frame is slow on a loaded machine: a longer wait, on a condition.
  await picker.getByLabel('API key').fill(E2E_API_KEY, { timeout: 20_000 });
  await picker.getByRole('button', { name: 'Sign in' }).click();
  await expect(picker.getByRole('gridcell', { name: 'first.png', exact: true })).toBeVisible({
    timeout: 20_000,
  });
  await expect
    .poll(async () => (await hostMessages(page)).map((m) => m.data.type))
    .toContain('site-media:ready');

  await dropFile(pickerFrameHandle(page), '.browser__main', 'second.png', 'image/png', await png('#20a040'));
  const second = picker.getByRole('gridcell', { name: 'second.png', exact: true });
  await expect(second).toBeVisible({ timeout: 30_000 });

  const firstCell = picker.getByRole('gridcell', { name: 'first.png', exact: true });
  await firstCell.focus();
  await firstCell.click();
  await expect(firstCell).toHaveAttribute('aria-selected', 'true');
  await second.click({ modifiers: ['ControlOrMeta'] });
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await picker.getByRole('button', { name: 'Choose 2' }).click();

  const result = await hostResult(page);
  expect(result.items).toHaveLength(2);
  const items = result.items ?? [];
  expect(items.map((i) => i.displayName).sort()).toEqual(['first.png', 'second.png']);
  const picked = items.find((i) => i.id === first.id);
  expect(picked).toMatchObject({
    id: first.id,
    displayName: 'first.png',
    mediaType: 'IMAGE',
    mimeType: 'image/png',
    sizeInBytes: first.sizeInBytes,
    url: expect.stringMatching(new RegExp(`^${E2E_BASE_URL}/media/`)),
    thumbnailUrl: expect.stringMatching(new RegExp(`^${E2E_BASE_URL}/`)),
    mediaUri: expect.stringMatching(new RegExp(`^wix:image://v1/${first.id}/first\\.png`)),
  });
  for (const item of items) {
    expect(Object.keys(item).sort()).toEqual(
      expect.arrayContaining([
        'displayName',
        'height',
        'id',
        'mediaType',
        'mediaUri',
        'mimeType',
        'sizeInBytes',
        'thumbnailUrl',
        'url',
        'width',
      ]),
    );
  }
  // Messages come from the media server's origin only, and the frame is gone.
  const messages = await hostMessages(page);
  const pickedMessages = messages.filter((m) => m.data.type === 'site-media:picked');
  expect(pickedMessages).toHaveLength(1);
  expect(pickedMessages[0]?.origin).toBe(E2E_BASE_URL);
  await expect(page.locator('iframe[title="Choose media"]')).toHaveCount(0);

  // The URLs load on the host page.
  const sizes = await page.evaluate(
    (urls) =>
      Promise.all(
        urls.map(
          (url) =>
            new Promise<number>((resolve, reject) => {
              const image = new Image();
              image.onload = () => resolve(image.naturalWidth);
              image.onerror = () => reject(new Error(`${url} did not load`));
              image.src = url;
            }),
        ),
      ),
    items.map((i) => i.url),
  );
  expect(sizes).toEqual([160, 160]);
});

test('in a popup: pick one file with Enter', async ({ page, context, api, workspace }) => {
  await signIn(context);
  const file = await uploadFile(api, {
    fileName: 'popup.png',
    mimeType: 'image/png',
    data: await png('#4060e0'),
    parentFolderId: workspace.id,
  });
  await openHost(page, { folder: workspace.id });
  const [popup] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('button', { name: 'Choose (popup)' }).click(),
  ]);
  const cell = popup.getByRole('gridcell', { name: 'popup.png', exact: true });
  await expect(cell).toBeVisible({ timeout: 20_000 });
  await cell.focus();
  await cell.click();
  await expect(cell).toHaveAttribute('aria-selected', 'true');
  const closed = popup.waitForEvent('close');
  // Choosing closes the popup, possibly before the key press returns.
  await cell.press('Enter').catch((error: unknown) => {
    if (!popup.isClosed()) throw error;
  });
  const result = await hostResult(page);
  expect(result.items?.map((i) => i.id)).toEqual([file.id]);
  await closed;
  const messages = await hostMessages(page);
  expect(messages.find((m) => m.data.type === 'site-media:picked')?.origin).toBe(E2E_BASE_URL);
});

test('keyboard only: types outside the filter cannot be chosen, Space and Enter choose', async ({
  page,
  context,
  api,
  workspace,
}) => {
  await signIn(context);
  await uploadFile(api, {
    fileName: 'a-notes.txt',
    mimeType: 'text/plain',
    data: 'not an image\n',
    parentFolderId: workspace.id,
  });
  const image = await uploadFile(api, {
    fileName: 'b-photo.png',
    mimeType: 'image/png',
    data: await png('#e0a020'),
    parentFolderId: workspace.id,
  });
  await openHost(page, { folder: workspace.id, types: 'image' });
  await page.getByRole('button', { name: 'Choose (iframe)' }).focus();
  await page.keyboard.press('Enter');
  const picker = pickerFrame(page);
  const notes = picker.getByRole('gridcell', { name: 'a-notes.txt', exact: true });
  await expect(notes).toHaveAttribute('aria-disabled', 'true', { timeout: 20_000 });
  await expect(picker.getByRole('gridcell', { name: 'b-photo.png', exact: true })).not.toHaveAttribute(
    'aria-disabled',
    'true',
  );
  await expect(picker.getByRole('heading', { name: 'Choose image' })).toBeVisible();

  // Tab into the grid (its current item is the one in the tab order).
  const frame = pickerFrameHandle(page);
  await expect
    .poll(
      async () => {
        await page.keyboard.press('Tab');
        return frame.evaluate(() => document.activeElement?.getAttribute('role') ?? '');
      },
      { intervals: [0] },
    )
    .toBe('gridcell');
  // Newest first: the photo is first, the text file last. The first key makes the first item current (its
  // details open).
  await page.keyboard.press('Home');
  await expect(picker.getByRole('complementary', { name: 'Details of b-photo.png' })).toBeVisible();
  await page.keyboard.press('End');
  await expect(notes).toBeFocused();
  // The text file is not choosable: Enter does nothing, the Choose button stays off.
  await page.keyboard.press('Space');
  await page.keyboard.press('Enter');
  await expect(picker.getByRole('button', { name: 'Choose', exact: true })).toBeDisabled();
  await page.keyboard.press('Home');
  await page.keyboard.press('Space');
  await expect(picker.getByRole('gridcell', { name: 'b-photo.png', exact: true })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(notes).toHaveAttribute('aria-selected', 'false');
  await page.keyboard.press('Enter');
  const result = await hostResult(page);
  expect(result.items?.map((i) => i.id)).toEqual([image.id]);
});

test('Esc cancels: the host gets site-media:cancelled and the promise rejects', async ({
  page,
  context,
  workspace,
}) => {
  await signIn(context);
  await openHost(page, { folder: workspace.id });
  await page.getByRole('button', { name: 'Choose (iframe)' }).click();
  const picker = pickerFrame(page);
  await expect(picker.getByRole('button', { name: 'Choose', exact: true })).toBeVisible({ timeout: 20_000 });
  await expect
    .poll(async () => (await hostMessages(page)).map((m) => m.data.type))
    .toContain('site-media:ready');
  await picker.locator('body').press('Escape');
  expect(await hostResult(page)).toEqual({ error: 'AbortError' });
  const messages = await hostMessages(page);
  expect(messages.map((m) => m.data.type)).toContain('site-media:cancelled');
  await expect(page.locator('iframe[title="Choose media"]')).toHaveCount(0);
});

test('a host origin not allowed sees the refusal and gets no message', async ({ page, context }) => {
  await signIn(context);
  // Asking for itself: the server refuses, and says which setting to change.
  const own = `${E2E_BASE_URL}/picker?origin=${encodeURIComponent(otherOrigin)}`;
  await page.goto(`${otherOrigin}/frame?src=${encodeURIComponent(own)}`);
  const frame = page.frameLocator('iframe[title="picker"]');
  await expect(frame.getByRole('heading', { name: 'Media picker not allowed here' })).toBeVisible();
  await expect(frame.locator('#reason')).toContainText(otherOrigin);
  await expect(frame.getByText('PICKER_ALLOWED_ORIGINS').first()).toBeVisible();
  expect(await hostMessages(page)).toEqual([]);

  // Posing as the allowed host: the browser refuses the frame (frame-ancestors), so nothing can arrive.
  const posing = `${E2E_BASE_URL}/picker?origin=${encodeURIComponent(HOST_ORIGIN)}`;
  const response = page.waitForResponse((r) => r.url() === posing);
  await page.goto(`${otherOrigin}/frame?src=${encodeURIComponent(posing)}`);
  expect((await response).headers()['content-security-policy']).toContain(`frame-ancestors ${HOST_ORIGIN}`);
  await expect
    .poll(() =>
      page.frames().some((f) => f.url().startsWith(`${E2E_BASE_URL}/picker`) && f !== page.mainFrame()),
    )
    .toBe(false);
  expect(await hostMessages(page)).toEqual([]);
});

for (const scheme of ['light', 'dark'] as const) {
  for (const [device, viewport] of [
    ['desktop', { width: 1440, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    test(`screenshot: picker in an iframe, ${device}, ${scheme}`, async ({
      page,
      context,
      api,
      workspace,
    }) => {
      await signIn(context);
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme: scheme });
      const colours = ['#d04020', '#20a040', '#4060e0', '#e0a020', '#8040c0', '#20a0c0'];
      for (const [index, colour] of colours.entries()) {
        await uploadFile(api, {
          fileName: `photo-${index + 1}.png`,
          mimeType: 'image/png',
          data: await png(colour, 640, 420),
          parentFolderId: workspace.id,
        });
      }
      await uploadFile(api, {
        fileName: 'notes.txt',
        mimeType: 'text/plain',
        data: 'Not an image: shown, but not choosable with types=image.\n',
        parentFolderId: workspace.id,
      });
      await openHost(page, { folder: workspace.id, multiple: '1', types: 'image' });
      await page.getByRole('button', { name: 'Choose (iframe)' }).click();
      const picker = pickerFrame(page);
      const cell = picker.getByRole('gridcell', { name: 'photo-2.png', exact: true });
      await expect(cell).toBeVisible({ timeout: 20_000 });
      await expect(picker.locator('img.thumb__picture')).toHaveCount(6, { timeout: 30_000 });
      await cell.focus();
      await cell.click();
      await expect(picker.getByRole('button', { name: 'Choose', exact: true })).toBeEnabled();
      await page.screenshot({ path: `docs/screenshots/picker-${device}-${scheme}.png` });
    });
  }
}
