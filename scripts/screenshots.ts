// Takes the README's screenshots: every page, light and dark, desktop (1440x900) and phone (390x844).
// Usage: npm run build && npx tsx scripts/screenshots.ts [outDir=docs/screenshots]
// Starts the real server over a temp data dir, fills it through the API with demo content, drives Chromium.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { onePagePdf } from '../src/server/testing/fixtures.ts';
import { demoApi, demoMedia, freePort } from './screenshot-demo.ts';

const outDir = path.resolve(process.argv[2] ?? 'docs/screenshots');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-shots-'));
const key = 'screenshot-key-0123456789';
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const config = loadConfig(
  {},
  { dataDir, apiKey: key, port, publicUrl: base, staticDir: path.resolve('dist') },
);
const { app } = await buildApp(config);
await app.listen({ port, host: '127.0.0.1' });

const { api, folder, upload } = demoApi(base, key);
const { ffmpegMade, testImage } = demoMedia(dataDir);

const photos = await folder('Photos');
const summer = await folder('Summer 2026', photos);
const winter = await folder('Winter', photos);
await folder('Brand assets');
const videos = await folder('Videos');
const summerPhotos: string[] = [];
for (let i = 1; i <= 9; i++) {
  summerPhotos.push(
    await upload(`IMG_2026_06${String(i).padStart(2, '0')}.jpg`, 'image/jpeg', testImage(i * 40), summer, {
      labels: ['summer'],
    }),
  );
}
// Alt text and the pages of a site using one photo (the info panel's "Alt text" and "Used on site").
const described = summerPhotos[4]!;
async function ext(method: string, url: string, body: unknown) {
  const response = await fetch(`${base}/site-media-ext/v1${url}`, {
    method,
    headers: { Authorization: key, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
}
await ext('PUT', `/files/${described}/alt-text`, { altText: 'Sunset over the bay, warm orange sky' });
await ext('PUT', `/files/${described}/external-info`, {
  externalInfo: { origin: 'https://example.com', externalIds: ['/summer-sale', '/blog/bay-trip'] },
});
const teaser = await upload(
  'launch-teaser.mp4',
  'video/mp4',
  ffmpegMade('teaser.mp4', [
    ...['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25:duration=6'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=330:duration=6'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'],
  ]),
  videos,
);
const priceList = await upload('price-list.pdf', 'application/pdf', onePagePdf());
await upload(
  'jingle.mp3',
  'audio/mpeg',
  ffmpegMade('jingle.mp3', [...['-f', 'lavfi', '-i', 'sine=frequency=523:duration=3', '-c:a', 'libmp3lame']]),
);
await upload(
  'logo.svg',
  'image/svg+xml',
  Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="120"><rect width="240" height="120" rx="16" fill="#2457c5"/><circle cx="60" cy="60" r="36" fill="#ffd23f"/><text x="110" y="72" font-family="sans-serif" font-size="32" fill="#fff">Acme</text></svg>',
  ),
);
await upload('press-kit.zip', 'application/zip', Buffer.alloc(500_000, 4));
await upload('contract-draft.pdf', 'application/pdf', onePagePdf(), 'media-root', {
  private: true,
});
const visitors = await folder('Contest entries', 'visitor-uploads');
await upload('entry-anna.jpg', 'image/jpeg', testImage(200), visitors);
const ben = await upload('entry-ben.jpg', 'image/jpeg', testImage(300), 'visitor-uploads');
// Uploads of site visitors (through /visitor/v1): new until reviewed.
for (const [name, hue] of [
  ['entry-carla.jpg', 120],
  ['entry-dev.jpg', 240],
  ['entry-emma.jpg', 330],
] as const) {
  const grant = await fetch(`${base}/visitor/v1/upload-url`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ mimeType: 'image/jpeg', fileName: name }),
  });
  const { uploadUrl } = (await grant.json()) as { uploadUrl: string };
  const put = await fetch(uploadUrl, {
    method: 'PUT',
    headers: { 'Content-Type': 'image/jpeg' },
    body: new Uint8Array(testImage(hue)),
  });
  if (!put.ok) throw new Error(`visitor PUT ${name}: ${put.status}`);
}
const old = await folder('Old campaign');
await upload('banner-v1.png', 'image/png', Buffer.alloc(12_000, 6), old);
await api('POST', '/bulk/folders/delete', { folderIds: [old] });
const stray = await upload('IMG_blurry.jpg', 'image/jpeg', testImage(90), summer);
await api('POST', '/bulk/files/delete', { fileIds: [stray] });

// A PDF header over bytes no reader can parse: processing fails, the original can still be opened.
const brokenPdf = await upload(
  'scan-damaged.pdf',
  'application/pdf',
  Buffer.from('%PDF-1.4\n this is not really a PDF\n%%EOF\n'),
  photos,
);
// A download link changed after it was signed: what a browser shows for a link that no longer works.
const { downloadUrls } = await api<{ downloadUrls: { url: string }[] }>(
  'POST',
  '/files/generate-file-download-url',
  { fileId: priceList },
);
const badLink = new URL(downloadUrls[0]!.url);
badLink.searchParams.set('exp', String(Number(badLink.searchParams.get('exp')) + 60));

// Processing (thumbnails, renditions, HLS) runs in the background: wait until nothing is PENDING.
for (let waited = 0; ; waited += 250) {
  const { files } = await api<{ files: { operationStatus: string }[] }>('POST', '/files/search', {
    paging: { limit: 100 },
  });
  if (!files.some((f) => f.operationStatus === 'PENDING')) break;
  if (waited > 120_000) throw new Error('processing did not finish');
  await new Promise((resolve) => setTimeout(resolve, 250));
}

fs.mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});

let trayFolder: string | null = null;
const pages: {
  name: string;
  path: string;
  prepare?: (page: Page) => Promise<void>;
  signedIn?: boolean;
  /** Prepare on phones too (most screens are prepared on the desktop only). */
  preparePhone?: boolean;
  /** Undoes what `prepare` made, after the shot, so the next shots show the same content. */
  cleanup?: () => Promise<void>;
}[] = [
  { name: 'sign-in', path: '/sign-in', signedIn: false },
  {
    name: 'site-files',
    path: `/files/${summer}?sort=name&order=asc`,
    prepare: async (page) => {
      await page.getByRole('gridcell', { name: 'IMG_2026_0602.jpg' }).click();
      await page.getByRole('gridcell', { name: 'IMG_2026_0604.jpg' }).click({ modifiers: ['Shift'] });
    },
  },
  { name: 'site-files-list', path: '/?view=list&sort=name&order=asc' },
  {
    name: 'video-details',
    path: `/files/${videos}?item=file:${teaser}`,
    prepare: async (page) => {
      await page.locator('.info-panel video').waitFor();
    },
  },
  {
    name: 'viewer-image',
    path: `/files/${summer}?sort=name&order=asc`,
    prepare: async (page) => {
      await page.getByRole('gridcell', { name: 'IMG_2026_0603.jpg' }).dblclick();
      await page.getByRole('dialog').getByRole('img').waitFor();
    },
  },
  {
    name: 'viewer-pdf',
    path: `/?item=file:${priceList}&viewer=1`,
    prepare: async (page) => {
      await page.getByRole('dialog').locator('iframe').waitFor();
      await page.waitForTimeout(1000);
    },
  },
  {
    name: 'viewer-video',
    path: `/files/${videos}?item=file:${teaser}&viewer=1`,
    prepare: async (page) => {
      await page.getByRole('dialog').locator('video').waitFor();
      await page.waitForTimeout(1000);
    },
  },
  {
    name: 'more-actions',
    path: `/files/${summer}?sort=name&order=asc`,
    preparePhone: true,
    prepare: async (page) => {
      const more = page.getByRole('button', { name: 'More actions' });
      if (await more.isVisible()) await more.click();
      else await page.getByRole('button', { name: /^Sort by/ }).click();
      await page.getByRole('menu').waitFor();
    },
  },
  { name: 'search', path: '/?q=IMG&sort=name&order=asc' },
  { name: 'visitor-uploads', path: '/visitor-uploads' },
  // The review of visitor uploads: the count beside Visitor Uploads, "New" tiles, and Review (A / R).
  {
    name: 'visitor-moderation',
    path: '/visitor-uploads?sort=name&order=asc',
    preparePhone: true,
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Review new uploads' }).waitFor();
      await page.getByText('New', { exact: true }).first().waitFor();
      // On a phone the sidebar (with the count) is behind the menu button.
      const menu = page.getByRole('button', { name: 'Folders and areas' });
      if (await menu.isVisible()) await menu.click();
    },
  },
  {
    name: 'visitor-review',
    path: '/visitor-uploads',
    preparePhone: true,
    prepare: async (page) => {
      await page.getByRole('button', { name: 'Review new uploads' }).click();
      await page.getByRole('dialog', { name: /^Review: entry-carla/ }).waitFor();
      await page.getByRole('img', { name: 'entry-carla.jpg' }).waitFor();
      await page.waitForLoadState('networkidle');
    },
  },
  { name: 'trash', path: '/trash' },
  {
    name: 'trash-details',
    path: `/trash?view=list&item=file:${stray}`,
    preparePhone: true,
    prepare: async (page) => {
      await page.getByTestId('purge-fact').waitFor();
    },
  },
  {
    name: 'image-details',
    path: `/files/${summer}?item=file:${described}`,
    preparePhone: true,
    prepare: async (page) => {
      await page.getByTestId('used-on-site').waitFor();
    },
  },
  { name: 'failed-pdf-details', path: `/files/${photos}?item=file:${brokenPdf}` },
  { name: 'empty-folder', path: `/files/${winter}` },
  {
    name: 'move-visitor-upload',
    path: `/visitor-uploads?item=file:${ben}`,
    preparePhone: true,
    prepare: async (page) => {
      await page
        .getByRole('complementary', { name: 'Details of entry-ben.jpg' })
        .getByRole('button', { name: 'Move to…' })
        .click();
      await page.getByRole('tree', { name: 'Destination folder in Site Files' }).waitFor();
    },
  },
  { name: 'download-link-broken', path: badLink.pathname + badLink.search },
  {
    // The upload tray after 4 uploads, beside (desktop) or above (phone) the details of one of them.
    name: 'upload-tray-details',
    path: '/',
    preparePhone: true,
    prepare: async (page) => {
      trayFolder = await folder('Event photos');
      await page.goto(`${base}/files/${trayFolder}`);
      await page.getByText('This folder is empty').waitFor();
      await page.getByLabel('Files to upload').setInputFiles(
        [1, 2, 3, 4].map((n) => ({
          name: `event-${n}.jpg`,
          mimeType: 'image/jpeg',
          buffer: testImage(n * 70),
        })),
      );
      const tray = page.getByRole('region', { name: 'Uploads' });
      await tray.getByRole('heading', { name: '4 uploaded' }).waitFor({ timeout: 60_000 });
      // Thumbnails, not "Processing" badges (the grid polls the pending files).
      await page
        .locator('.browser__content')
        .getByText('Processing', { exact: true })
        .first()
        .waitFor({ state: 'detached', timeout: 60_000 });
      await page.getByRole('gridcell', { name: 'event-4.jpg' }).click();
      await page.getByRole('complementary', { name: 'Details of event-4.jpg' }).waitFor();
      await page.waitForLoadState('networkidle');
    },
    cleanup: async () => {
      if (trayFolder) await api('POST', '/bulk/folders/delete', { folderIds: [trayFolder], permanent: true });
      trayFolder = null;
    },
  },
];

for (const scheme of ['light', 'dark'] as const) {
  for (const [size, viewport] of [
    ['desktop', { width: 1440, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    // SHOTS=name,name takes only those (while working on one page).
    for (const shot of pages.filter(
      (p) => !process.env.SHOTS || process.env.SHOTS.split(',').includes(p.name),
    )) {
      const context = await browser.newContext({ viewport, colorScheme: scheme, deviceScaleFactor: 1 });
      if (shot.signedIn !== false)
        await context.request.post(`${base}/auth/session`, { data: { apiKey: key } });
      const page = await context.newPage();
      await page.goto(`${base}${shot.path}`);
      await page.waitForLoadState('networkidle');
      if (shot.prepare && (size === 'desktop' || shot.preparePhone || shot.name.startsWith('viewer')))
        await shot.prepare(page);
      await page.waitForTimeout(300);
      const file = path.join(outDir, `${shot.name}-${scheme}-${size}.png`);
      await page.screenshot({ path: file });
      console.log(file);
      await context.close();
      await shot.cleanup?.();
    }
  }
}

await browser.close();
await app.close();
fs.rmSync(dataDir, { recursive: true, force: true });
