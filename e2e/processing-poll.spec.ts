// A folder with files still processing once refetched every loaded page every 3 s (92 requests in 10 s in a
// folder of 3,000) and reshuffled the tiles. Only the PENDING files may be asked for, and only while there are.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, getFile, itemCell, itemNames, test, uploadFile } from './fixtures';
import { seedPngs } from './seed';

/** A video that takes ffmpeg a while to transcode (noise does not compress), so it stays PENDING for a time. */
function slowVideo(): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'smm-e2e-video-'));
  try {
    const out = path.join(dir, 'slow.mp4');
    execFileSync('ffmpeg', [
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=1280x720:r=30:d=8,noise=alls=100:allf=t',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      out,
    ]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a folder with a processing file polls that file only, in place, and stops when it is done', async ({
  signedInPage: page,
  api,
  workspace,
}) => {
  test.setTimeout(240_000);
  await seedPngs(api, workspace.id, 12);
  const video = await uploadFile(api, {
    fileName: 'aaa-slow.mp4',
    mimeType: 'video/mp4',
    data: slowVideo(),
    parentFolderId: workspace.id,
  });
  expect(video.operationStatus).toBe('PENDING');

  const lists: string[] = [];
  const polls: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (request.method() === 'GET' && /\/site-media\/v1\/(files|folders)$/.test(pathname))
      lists.push(pathname);
    if (pathname.endsWith('/files/get-files')) polls.push(request.postData() ?? '');
  });
  await page.goto(`/files/${workspace.id}?sort=name&order=asc`);
  await expect(itemCell(page, 'aaa-slow.mp4')).toBeVisible({ timeout: 30_000 });
  const order = await itemNames(page);
  const listsAfterLoad = lists.length;

  // While the video is processing: the poll asks for it alone, and no page of the listing is fetched again.
  await expect.poll(() => polls.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  expect(polls.every((body) => JSON.parse(body).fileIds.join() === video.id)).toBe(true);
  if ((await getFile(api, video.id))?.operationStatus === 'PENDING')
    expect(lists.length).toBe(listsAfterLoad);

  // Once it is done, the tile is updated where it is and the polling stops.
  await expect
    .poll(async () => (await getFile(api, video.id))?.operationStatus, { timeout: 150_000 })
    .not.toBe('PENDING');
  const pollsAtDone = await expect
    .poll(() => polls.length, { timeout: 10_000 })
    .toBeGreaterThan(0)
    .then(() => polls.length);
  await page.waitForTimeout(7_000); // an idle interval of two polling periods, to see that nothing is asked
  expect(polls.length - pollsAtDone).toBeLessThanOrEqual(1);
  expect(lists.length).toBe(listsAfterLoad);
  expect(await itemNames(page)).toEqual(order);
});
