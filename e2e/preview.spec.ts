import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import sharp from 'sharp';
import { expect, getFile, test, uploadFile, type ApiFile } from './fixtures';

/** Waits until the server has processed a file (READY or FAILED). */
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

test('a video is processed and plays through its signed HLS stream (currentTime advances)', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'smm-e2e-video-'));
  const clip = path.join(dir, 'clip.mp4');
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25:duration=4'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', clip],
  ]);
  const uploaded = await uploadFile(api, {
    fileName: 'clip.mp4',
    mimeType: 'video/mp4',
    data: readFileSync(clip),
    parentFolderId: workspace.id,
  });
  rmSync(dir, { recursive: true, force: true });

  // The details panel shows the processing state until the video is ready, then the player.
  await page.goto(`/files/${workspace.id}?item=file:${uploaded.id}`);
  const panel = page.getByRole('complementary', { name: 'Details of clip.mp4' });
  expect((await processed(api, uploaded.id)).operationStatus).toBe('READY');
  await expect(panel.locator('video')).toBeVisible({ timeout: 15_000 });

  const streamed: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/stream/v1/')) streamed.push(new URL(request.url()).pathname);
  });
  await panel.getByRole('button', { name: 'View' }).click();
  const viewer = page.getByRole('dialog', { name: 'clip.mp4' });
  const video = viewer.locator('video');
  await expect(video).toHaveAttribute('data-stream', 'hls');
  await expect(video).toHaveAttribute('poster', /poster/);
  await video.evaluate((element: HTMLVideoElement) => {
    element.muted = true;
    return element.play();
  });
  await expect
    .poll(() => video.evaluate((element: HTMLVideoElement) => element.currentTime))
    .toBeGreaterThan(0.5);
  // hls.js fetched the playlist and segments through the signed stream URL, not the original.
  expect(streamed.some((p) => p.endsWith('/index.m3u8'))).toBe(true);
  expect(streamed.some((p) => p.endsWith('.ts'))).toBe(true);
});

test('the viewer steps through the images of a folder with the arrow keys, and Esc closes it', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  const colours = { 'a-red.png': '#d02020', 'b-green.png': '#20a040', 'c-blue.png': '#2040d0' };
  for (const [fileName, colour] of Object.entries(colours)) {
    const data = await sharp({ create: { width: 320, height: 200, channels: 3, background: colour } })
      .png()
      .toBuffer();
    const file = await uploadFile(api, {
      fileName,
      mimeType: 'image/png',
      data,
      parentFolderId: workspace.id,
    });
    await processed(api, file.id);
  }
  await page.goto(`/files/${workspace.id}?sort=name&order=asc`);
  await page.getByRole('gridcell', { name: 'a-red.png' }).dblclick();
  const viewer = page.getByRole('dialog');
  await expect(viewer.getByRole('heading', { name: 'a-red.png' })).toBeVisible();
  await expect(viewer.getByText('1 of 3')).toBeVisible();
  // A public image comes through a fit transformation sized for the window (image-delivery.spec.ts).
  await expect(viewer.getByRole('img', { name: 'Preview of a-red.png' })).toHaveAttribute(
    'src',
    /\/v1\/fit\/w_\d+,h_\d+,enc_auto\/a-red\.png$/,
  );
  await expect(page).toHaveURL(/viewer=1/);

  await page.keyboard.press('ArrowRight');
  await expect(viewer.getByRole('heading', { name: 'b-green.png' })).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(viewer.getByRole('heading', { name: 'c-blue.png' })).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Next file' })).toBeDisabled();
  await page.keyboard.press('ArrowLeft');
  await expect(viewer.getByText('2 of 3')).toBeVisible();

  // The picture zooms to full size and back.
  const zoom = viewer.getByRole('button', { name: 'Zoom to full size' });
  await zoom.click();
  await expect(viewer.getByRole('button', { name: 'Fit to screen' })).toHaveAttribute('aria-pressed', 'true');

  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
  await expect(page).not.toHaveURL(/viewer=1/);
  // The item stepped to stays focused in the details panel.
  await expect(page.getByRole('complementary', { name: 'Details of b-green.png' })).toBeVisible();
});
