// Takes the README's screenshots: every page, light and dark, desktop (1440x900) and phone (390x844).
// Usage: npm run build && npx tsx scripts/screenshots.ts [outDir=docs/screenshots]
// Starts the real server over a temp data dir, fills it through the API with demo content, drives Chromium.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';

const outDir = path.resolve(process.argv[2] ?? 'docs/screenshots');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-shots-'));
const key = 'screenshot-key';
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const config = loadConfig(
  {},
  { dataDir, apiKey: key, port, publicUrl: base, staticDir: path.resolve('dist') },
);
const { app } = await buildApp(config);
await app.listen({ port, host: '127.0.0.1' });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as net.AddressInfo;
      server.close(() => resolve(free));
    });
  });
}

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}/site-media/v1${url}`, {
    method,
    headers: { Authorization: key, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function folder(name: string, parent = 'media-root'): Promise<string> {
  return (
    await api<{ folder: { id: string } }>('POST', '/folders', { displayName: name, parentFolderId: parent })
  ).folder.id;
}

async function upload(
  fileName: string,
  mimeType: string,
  bytes: Buffer,
  parentFolderId = 'media-root',
  extra = {},
) {
  const { uploadUrl } = await api<{ uploadUrl: string }>('POST', '/files/generate-upload-url', {
    mimeType,
    fileName,
    parentFolderId,
    ...extra,
  });
  const response = await fetch(uploadUrl, {
    method: 'PUT',
    headers: { 'Content-Type': mimeType },
    body: new Uint8Array(bytes),
  });
  if (!response.ok) throw new Error(`PUT ${fileName}: ${response.status}`);
  return ((await response.json()) as { file: { id: string } }).file.id;
}

/** A real JPEG from ffmpeg's test pattern, so previews show a picture. */
function testImage(hue: number): Buffer {
  const file = path.join(dataDir, `demo-${hue}.jpg`);
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=800x600`,
    '-frames:v',
    '1',
    '-vf',
    `hue=h=${hue}`,
    file,
  ]);
  return fs.readFileSync(file);
}

const photos = await folder('Photos');
const summer = await folder('Summer 2026', photos);
await folder('Winter', photos);
await folder('Brand assets');
const videos = await folder('Videos');
for (let i = 1; i <= 9; i++) {
  await upload(`IMG_2026_06${String(i).padStart(2, '0')}.jpg`, 'image/jpeg', testImage(i * 40), summer, {
    labels: ['summer'],
  });
}
await upload('launch-teaser.mp4', 'video/mp4', Buffer.alloc(300_000, 1), videos);
await upload('price-list.pdf', 'application/pdf', Buffer.alloc(90_000, 2));
await upload('jingle.mp3', 'audio/mpeg', Buffer.alloc(150_000, 3));
await upload(
  'logo.svg',
  'image/svg+xml',
  Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
);
await upload('press-kit.zip', 'application/zip', Buffer.alloc(500_000, 4));
await upload('contract-draft.pdf', 'application/pdf', Buffer.alloc(40_000, 5), 'media-root', {
  private: true,
});
const visitors = await folder('Contest entries', 'visitor-uploads');
await upload('entry-anna.jpg', 'image/jpeg', testImage(200), visitors);
await upload('entry-ben.jpg', 'image/jpeg', testImage(300), 'visitor-uploads');
const old = await folder('Old campaign');
await upload('banner-v1.png', 'image/png', Buffer.alloc(12_000, 6), old);
await api('POST', '/bulk/folders/delete', { folderIds: [old] });
const stray = await upload('IMG_blurry.jpg', 'image/jpeg', testImage(90));
await api('POST', '/bulk/files/delete', { fileIds: [stray] });

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

const pages: { name: string; path: string; prepare?: (page: Page) => Promise<void>; signedIn?: boolean }[] = [
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
  { name: 'visitor-uploads', path: '/visitor-uploads' },
  { name: 'trash', path: '/trash' },
];

for (const scheme of ['light', 'dark'] as const) {
  for (const [size, viewport] of [
    ['desktop', { width: 1440, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    for (const shot of pages) {
      const context = await browser.newContext({ viewport, colorScheme: scheme, deviceScaleFactor: 1 });
      if (shot.signedIn !== false)
        await context.request.post(`${base}/auth/session`, { data: { apiKey: key } });
      const page = await context.newPage();
      await page.goto(`${base}${shot.path}`);
      await page.waitForLoadState('networkidle');
      if (shot.prepare && size === 'desktop') await shot.prepare(page);
      await page.waitForTimeout(300);
      const file = path.join(outDir, `${shot.name}-${scheme}-${size}.png`);
      await page.screenshot({ path: file });
      console.log(file);
      await context.close();
    }
  }
}

await browser.close();
await app.close();
fs.rmSync(dataDir, { recursive: true, force: true });
