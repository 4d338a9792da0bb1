import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import sharp from 'sharp';
import { E2E_BASE_URL, expect, getFile, test, uploadFile, type ApiFile } from './fixtures';

// A site owner's pages live on their own domain and embed the public media of this server. The site here is a
// little HTTP server of the spec's own, on another port and under another host name (`localhost` against the
// media server's `127.0.0.1`): another origin, and another site too.

const HLS_JS = readFileSync(path.resolve('node_modules/hls.js/dist/hls.min.js'));
const SITE_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>A site</title>
<script src="/hls.js"></script></head><body><h1>A site on its own domain</h1></body></html>`;

let site: Server;
let siteOrigin: string;

test.beforeAll(async () => {
  site = createServer((request, response) => {
    if (request.url === '/hls.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(HLS_JS);
    } else {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(SITE_PAGE);
    }
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteOrigin = `http://localhost:${(site.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => site.close(resolve));
});

/** Waits until the server has processed a file, which must then be READY. */
async function processed(
  api: APIRequestContext,
  fileId: string,
): Promise<ApiFile & { thumbnailUrl: string }> {
  let file: ApiFile | null = null;
  await expect
    .poll(
      async () => {
        file = await getFile(api, fileId);
        return file?.operationStatus;
      },
      { timeout: 60_000, intervals: [250] },
    )
    .toBe('READY');
  return file! as ApiFile & { thumbnailUrl: string };
}

async function png(colour: string): Promise<Buffer> {
  return sharp({ create: { width: 120, height: 80, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

test('public media loads on a page of another origin (image, poster, HLS); private media does not', async ({
  page,
  api,
  workspace,
}) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'smm-e2e-embed-'));
  const clip = path.join(dir, 'clip.mp4');
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=4'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', clip],
  ]);
  const video = await uploadFile(api, {
    fileName: 'clip.mp4',
    mimeType: 'video/mp4',
    data: readFileSync(clip),
    parentFolderId: workspace.id,
  });
  rmSync(dir, { recursive: true, force: true });
  const image = await uploadFile(api, {
    fileName: 'public.png',
    mimeType: 'image/png',
    data: await png('#2040d0'),
    parentFolderId: workspace.id,
  });
  const secretData = await png('#d02020');
  const secretUpload = await api.post('/site-media/v1/files/generate-upload-url', {
    data: {
      mimeType: 'image/png',
      fileName: 'secret.png',
      sizeInBytes: String(secretData.length),
      parentFolderId: workspace.id,
      private: true,
    },
  });
  expect(secretUpload.ok()).toBe(true);
  const secretPut = await api.put(((await secretUpload.json()) as { uploadUrl: string }).uploadUrl, {
    data: secretData,
    headers: { 'content-type': 'image/png' },
  });
  expect(secretPut.ok(), await secretPut.text()).toBe(true);
  const secretId = ((await secretPut.json()) as { file: ApiFile }).file.id;

  await processed(api, image.id);
  await processed(api, video.id);
  const secret = await processed(api, secretId);
  const signed = await api.post('/site-media/v1/files/generate-file-download-url', {
    data: { fileId: secretId, contentDisposition: 'INLINE' },
  });
  const secretDownload = ((await signed.json()) as { downloadUrls: { url: string }[] }).downloadUrls[0]!.url;
  // The server's URLs are on PUBLIC_URL, which is the e2e server itself.
  expect(secret.thumbnailUrl).toMatch(/\/thumbnail\?sig=/);
  expect(new URL(secretDownload).origin).toBe(E2E_BASE_URL);
  // On the server's own origin the private URLs do work: what follows is about the other origin only.
  expect((await api.get(secret.thumbnailUrl)).status()).toBe(200);
  expect((await api.get(secretDownload)).status()).toBe(200);

  const failed: { url: string; error: string }[] = [];
  page.on('requestfailed', (request) =>
    failed.push({ url: request.url(), error: request.failure()?.errorText ?? '' }),
  );
  await page.goto(siteOrigin);
  await expect(page.getByRole('heading', { name: 'A site on its own domain' })).toBeVisible();
  expect(new URL(page.url()).origin).not.toBe(E2E_BASE_URL);

  /** Loads `src` in an `<img>` of the page: its natural width, or 0 when it did not load. */
  const imageWidth = (src: string) =>
    page.evaluate(
      (url) =>
        new Promise<number>((resolve) => {
          const img = document.createElement('img');
          img.onload = () => resolve(img.naturalWidth);
          img.onerror = () => resolve(0);
          img.src = url;
          document.body.append(img);
        }),
      src,
    );

  const media = `${E2E_BASE_URL}/media`;
  expect(await imageWidth(`${media}/${image.id}`)).toBe(120);
  expect(await imageWidth(`${media}/${image.id}/thumbnail`)).toBeGreaterThan(0);
  expect(await imageWidth(`${media}/${video.id}/poster`)).toBe(320);

  // The video: its poster, and its public HLS stream through hls.js (fetch() of the playlist and segments).
  const poster = `${media}/${video.id}/poster`;
  const playlist = `${media}/${video.id}/hls/index.m3u8`;
  await page.evaluate(
    ({ poster, playlist }) => {
      const element = document.createElement('video');
      element.id = 'embedded';
      element.muted = true;
      element.poster = poster;
      document.body.append(element);
      const Hls = (window as unknown as { Hls: any }).Hls;
      if (!Hls.isSupported()) throw new Error('hls.js is not supported in this browser');
      const hls = new Hls();
      hls.loadSource(playlist);
      hls.attachMedia(element);
      hls.on(Hls.Events.MANIFEST_PARSED, () => void element.play());
    },
    { poster, playlist },
  );
  const video$ = page.locator('#embedded');
  await expect
    .poll(() => video$.evaluate((element: HTMLVideoElement) => element.currentTime), { timeout: 30_000 })
    .toBeGreaterThan(0.5);

  // Private media: the signed thumbnail and a signed inline download are not for other origins.
  expect(await imageWidth(secret.thumbnailUrl)).toBe(0);
  expect(await imageWidth(secretDownload)).toBe(0);
  expect(await imageWidth(`${media}/${secretId}`)).toBe(0);
  const fetched = await page.evaluate(
    (url) =>
      fetch(url).then(
        (response) => `status ${response.status}`,
        () => 'refused',
      ),
    secretDownload,
  );
  expect(fetched).toBe('refused');

  // Nothing public failed; the private URLs were blocked by the browser for being cross-origin.
  const publicFailures = failed.filter((f) => !f.url.includes(secretId));
  expect(publicFailures).toEqual([]);
  expect(failed.find((f) => f.url === secret.thumbnailUrl)?.error).toMatch(/BLOCKED_BY_RESPONSE/);
});
