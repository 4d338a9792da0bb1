import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import sharp from 'sharp';
import type { FileDescriptor } from '../src/contract';
import { buildTransformUrl, type TransformOptions } from '../src/web/images/transform-url';
import { E2E_BASE_URL, expect, getFile, signIn, test, toast, type ApiFile } from './fixtures';

const API = '/site-media/v1';

/** A picture with something to see in every corner (so crops and focal points are visible in screenshots). */
async function landscape(width: number, height: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#1d3b8f"/><stop offset="0.6" stop-color="#f08a4b"/><stop offset="1" stop-color="#f7c873"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#sky)"/>
    <circle cx="${width * 0.68}" cy="${height * 0.52}" r="${height * 0.12}" fill="#ffe08a"/>
    <path d="M0 ${height * 0.72} Q ${width * 0.3} ${height * 0.6} ${width * 0.55} ${height * 0.74} T ${width} ${height * 0.7} V ${height} H 0 Z" fill="#23314f"/>
    <rect x="${width * 0.05}" y="${height * 0.05}" width="${width * 0.1}" height="${height * 0.1}" fill="#2fbf71"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/** Uploads with `private` as asked (the fixtures' helper has no such option) and waits until it is READY. */
async function uploadImage(
  api: APIRequestContext,
  parentFolderId: string,
  fileName: string,
  data: Buffer,
  isPrivate = false,
): Promise<FileDescriptor> {
  const urlResponse = await api.post(`${API}/files/generate-upload-url`, {
    data: {
      mimeType: 'image/jpeg',
      fileName,
      sizeInBytes: String(data.length),
      parentFolderId,
      private: isPrivate,
    },
  });
  expect(urlResponse.ok()).toBe(true);
  const { uploadUrl } = (await urlResponse.json()) as { uploadUrl: string };
  const put = await api.put(uploadUrl, { data, headers: { 'content-type': 'image/jpeg' } });
  expect(put.ok()).toBe(true);
  const { file } = (await put.json()) as { file: ApiFile };
  await expect
    .poll(async () => (await getFile(api, file.id))?.operationStatus, { timeout: 60_000, intervals: [250] })
    .toBe('READY');
  const full = await api.get(`${API}/files/get-file-by-id`, { params: { fileId: file.id } });
  return ((await full.json()) as { file: FileDescriptor }).file;
}

/** A tiny server of the test's own, on another origin than the app (`localhost` vs `127.0.0.1`, own port). */
async function servePage(html: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}/`, server };
}

test('another site embeds fill, fit, crop and enc_auto URLs of a public image; a private one is refused', async ({
  page,
  api,
  workspace,
}) => {
  const photo = await uploadImage(api, workspace.id, 'harbour.jpg', await landscape(800, 600));
  const secret = await uploadImage(api, workspace.id, 'secret.jpg', await landscape(400, 300), true);
  const cases: Record<string, { options: TransformOptions; size: [number, number] }> = {
    fill: {
      options: { mode: 'fill', width: 320, height: 240, format: 'jpg', quality: 90 },
      size: [320, 240],
    },
    // fit keeps the proportions inside the box, never enlarging.
    fit: { options: { mode: 'fit', width: 400, height: 400, format: 'png' }, size: [400, 300] },
    crop: {
      options: {
        mode: 'crop',
        width: 200,
        height: 150,
        format: 'webp',
        crop: { x: 100, y: 50, w: 400, h: 300 },
      },
      size: [200, 150],
    },
    auto: {
      options: { mode: 'fill', width: 160, height: 160, format: 'auto', focalPoint: { x: 10, y: 10 } },
      size: [160, 160],
    },
  };
  const urls = Object.fromEntries(
    Object.entries(cases).map(([k, c]) => [k, buildTransformUrl(photo, c.options)]),
  );
  urls.private = buildTransformUrl(secret, { mode: 'fill', width: 100, height: 100, format: 'jpg' });
  for (const url of Object.values(urls)) expect(url.startsWith(`${E2E_BASE_URL}/media/`)).toBe(true);

  const { url, server } = await servePage(
    `<!doctype html><title>Someone's site</title>` +
      Object.entries(urls)
        .map(([id, src]) => `<img id="${id}" src="${src}" alt="">`)
        .join(''),
  );
  try {
    const responses: Record<string, string> = {};
    page.on('response', (response) => {
      const entry = Object.entries(urls).find(([, u]) => u === response.url());
      if (entry) responses[entry[0]] = `${response.status()} ${response.headers()['content-type'] ?? ''}`;
    });
    await page.goto(url);
    expect(new URL(page.url()).origin).not.toBe(E2E_BASE_URL);
    await page.waitForFunction(() => [...document.images].every((img) => img.complete));
    const natural = await page.evaluate(() =>
      Object.fromEntries([...document.images].map((img) => [img.id, [img.naturalWidth, img.naturalHeight]])),
    );
    for (const [id, c] of Object.entries(cases)) expect(natural[id], id).toEqual(c.size);
    // Chromium takes AVIF: enc_auto answers it.
    expect(responses.auto).toBe('200 image/avif');
    expect(responses.fill).toBe('200 image/jpeg');
    expect(responses.crop).toBe('200 image/webp');
    expect(natural.private).toEqual([0, 0]);
    expect((await page.request.get(urls.private)).status()).toBe(403);
  } finally {
    server.close();
  }
});

test('the builder makes a URL and a snippet that load; focal point by click and keys, rollback on refusal', async ({
  signedInPage: page,
  api,
  workspace,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: E2E_BASE_URL });
  const photo = await uploadImage(api, workspace.id, 'Harbour at dusk.jpg', await landscape(1600, 1200));
  const thumbRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes(`/media/${photo.id}/`)) thumbRequests.push(request.url());
  });

  await page.goto(`/files/${workspace.id}?item=file:${photo.id}`);
  const panel = page.getByRole('complementary', { name: 'Details of Harbour at dusk.jpg' });
  await expect(panel).toBeVisible({ timeout: 20_000 });
  // The grid's tile and the panel's preview come through fit transformations sized for the screen.
  await expect(page.getByRole('gridcell', { name: 'Harbour at dusk.jpg' }).locator('img')).toHaveAttribute(
    'src',
    new RegExp(`/media/${photo.id}/v1/fit/w_\\d+,h_\\d+,enc_auto/Harbour-at-dusk\\.jpg$`),
  );
  const picker = panel.getByRole('group', { name: /^Focal point/ });
  await expect(picker.locator('img')).toHaveAttribute('src', /\/v1\/fit\/w_384,h_384,enc_auto\//);
  await expect
    .poll(() => picker.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBe(384);

  await panel.getByText('Image URL for websites').click();
  await panel.getByLabel('Size').selectOption('320');
  await panel.getByRole('radio', { name: 'Fill' }).check();
  await panel.getByLabel('Format').selectOption('webp');
  const expected = `${E2E_BASE_URL}/media/${photo.id}/v1/fill/w_320,h_240,al_c,q_80/Harbour-at-dusk.webp`;
  await expect(panel.getByLabel('Image URL', { exact: true })).toHaveValue(expected);
  const result = panel.locator('.variant-preview');
  await expect(result.locator('figcaption')).toHaveText(/^320 × 240 · WebP · \d+(\.\d)? KB$/);
  await expect(result.locator('img')).toHaveAttribute('data-url', expected);

  await panel.getByRole('button', { name: 'Copy image url' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);

  await panel.getByLabel('Snippet offers').selectOption('widths');
  const snippet = await panel.getByLabel('HTML snippet', { exact: true }).inputValue();
  expect(snippet).toContain(`src="${expected}"`);
  expect(snippet).toContain('/fill/w_640,h_480,al_c,q_80/Harbour-at-dusk.webp 640w"');
  expect(snippet).toContain('sizes="(max-width: 320px) 100vw, 320px"');
  await panel.getByRole('button', { name: 'Copy html snippet' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);

  // Every URL of the snippet loads as asked.
  for (const [, src, w] of snippet.matchAll(/(https?:\/\/\S+) (\d+)w/g)) {
    const response = await page.request.get(src!);
    expect(response.status(), src).toBe(200);
    expect((await sharp(await response.body()).metadata()).width).toBe(Number(w));
  }

  // Crop and fit write their own grammar.
  await panel.getByRole('radio', { name: 'Crop' }).check();
  await expect(panel.getByLabel('Image URL', { exact: true })).toHaveValue(
    `${E2E_BASE_URL}/media/${photo.id}/v1/crop/x_400,y_300,w_800,h_600/fill/w_320,h_240,al_c,q_80/Harbour-at-dusk.webp`,
  );
  await panel.getByRole('radio', { name: 'Fit' }).check();
  await panel.getByLabel('Format').selectOption('auto');
  await panel.getByLabel('Size').selectOption('custom');
  await panel.getByLabel('Width', { exact: true }).fill('500');
  await panel.getByLabel('Height', { exact: true }).fill('500');
  await expect(panel.getByLabel('Image URL', { exact: true })).toHaveValue(
    `${E2E_BASE_URL}/media/${photo.id}/v1/fit/w_500,h_500,q_80,enc_auto/Harbour-at-dusk.jpg`,
  );
  await expect(result.locator('figcaption')).toHaveText(/^500 × 375 · AVIF · /);

  // Focal point: a click on the preview sets it (the marker moves, the server has it, fill URLs use it).
  await panel.getByRole('radio', { name: 'Fill' }).check();
  const box = (await picker.locator('img').boundingBox())!;
  await picker.click({ position: { x: box.width * 0.25, y: box.height * 0.75 } });
  const marker = picker.getByTestId('focal-marker');
  await expect(marker).toHaveAttribute('style', /left: 2[45](\.\d)?%; top: 7[45](\.\d)?%/);
  const focalOf = async () =>
    (
      (await (await api.get(`/site-media-ext/v1/files/${photo.id}/focal-point`)).json()) as {
        focalPoint: { x: number; y: number } | null;
      }
    ).focalPoint;
  await expect.poll(async () => Math.round((await focalOf())?.x ?? -1)).toBe(25);
  await expect(panel.getByLabel('Image URL', { exact: true })).toHaveValue(
    /\/fill\/w_500,h_500,fp_0\.2[45]\d*_0\.7[45]\d*,q_80,enc_auto\//,
  );

  // Keyboard: arrows move it (Shift: 10%), saved once the keys rest.
  const before = (await focalOf())!;
  await picker.focus();
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('ArrowUp');
  await expect
    .poll(async () => {
      const now = await focalOf();
      return now && [Math.round(now.x - before.x), Math.round(now.y - before.y)];
    })
    .toEqual([10, -1]);

  // A refused save puts the marker back and says so.
  const saved = await marker.getAttribute('style');
  await page.route(`**/site-media-ext/v1/files/${photo.id}/focal-point`, (route) =>
    route.request().method() === 'PUT'
      ? route.fulfill({ status: 500, contentType: 'application/json', body: '{"message":"boom"}' })
      : route.fallback(),
  );
  await picker.click({ position: { x: 5, y: 5 } });
  await expect(toast(page, 'Could not save the focal point')).toBeVisible();
  await expect(marker).toHaveAttribute('style', saved!);
  await page.unroute(`**/site-media-ext/v1/files/${photo.id}/focal-point`);

  // The viewer shows a fit variant sized for the window, not the original.
  await panel.getByRole('button', { name: 'View' }).click();
  const viewer = page.getByRole('dialog', { name: 'Harbour at dusk.jpg' });
  await expect(viewer.locator('img.preview__image')).toHaveAttribute(
    'src',
    /\/v1\/fit\/w_\d+,h_\d+,enc_auto\//,
  );
  expect(thumbRequests.some((u) => u.endsWith('/thumbnail'))).toBe(false);
});

test('private images keep their signed thumbnails and have no builder', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const secret = await uploadImage(api, workspace.id, 'secret.jpg', await landscape(400, 300), true);
  await page.goto(`/files/${workspace.id}?item=file:${secret.id}`);
  const panel = page.getByRole('complementary', { name: 'Details of secret.jpg' });
  await expect(panel).toBeVisible({ timeout: 20_000 });
  await expect(panel.getByRole('img', { name: 'Preview of secret.jpg' })).toHaveAttribute(
    'src',
    /\/download\//,
  );
  await expect(panel.getByText('Image URL for websites')).toHaveCount(0);
  await expect(page.getByRole('gridcell', { name: 'secret.jpg' }).locator('img')).not.toHaveAttribute(
    'src',
    /\/v1\//,
  );
});

// Screenshots of the builder for the README (IMAGE_BUILDER_SCREENSHOTS=<dir> to write them, e.g. docs/screenshots).
const shotsDir = process.env.IMAGE_BUILDER_SCREENSHOTS;
test('screenshots of the image URL builder, light and dark, desktop and phone', async ({
  browser,
  api,
  workspace,
}) => {
  test.skip(!shotsDir, 'IMAGE_BUILDER_SCREENSHOTS is not set');
  test.setTimeout(120_000);
  mkdirSync(shotsDir!, { recursive: true });
  const photo = await uploadImage(api, workspace.id, 'Harbour at dusk.jpg', await landscape(1600, 1067));
  await api.put(`/site-media-ext/v1/files/${photo.id}/focal-point`, {
    data: { focalPoint: { x: 68, y: 52 } },
  });
  for (const scheme of ['light', 'dark'] as const) {
    for (const [device, viewport] of [
      ['desktop', { width: 1440, height: 900 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const context = await browser.newContext({ colorScheme: scheme, viewport });
      await signIn(context);
      const page = await context.newPage();
      await page.goto(`${E2E_BASE_URL}/files/${workspace.id}?item=file:${photo.id}`);
      const panel = page.getByRole('complementary', { name: 'Details of Harbour at dusk.jpg' });
      await panel.getByText('Image URL for websites').click();
      await panel.getByLabel('Size').selectOption('640');
      await expect(panel.locator('.variant-preview figcaption')).toHaveText(/ KB$/, { timeout: 20_000 });
      // The builder from its heading down, as far as the panel shows it.
      await panel.getByText('Image URL for websites').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: path.join(shotsDir!, `image-builder-${scheme}-${device}.png`) });
      await context.close();
    }
  }
});
