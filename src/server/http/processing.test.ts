import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FileDescriptor } from '../../contract/index.ts';
import type { Config } from '../config.ts';
import { onePagePdf } from '../testing/fixtures.ts';
import { listen, rebase, storedBlobs, waitFor } from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

/** Real fixtures, made once per run by the tools the server itself uses. */
const fixtures: Record<string, Buffer> = {};
let fixtureDir: string;

function ffmpeg(...args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y', ...args]);
}

beforeAll(async () => {
  fixtureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-fixtures-'));
  const at = (name: string) => path.join(fixtureDir, name);
  // 1280x720, 1.2 s, with a sine tone: renditions at 480p and 720p, never above.
  ffmpeg(
    ...['-f', 'lavfi', '-i', 'testsrc=size=1280x720:rate=25:duration=1.2'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1.2'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'],
    at('clip.mp4'),
  );
  // 320x240: smaller than every target, so one rendition at its own size.
  ffmpeg(
    ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=1'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    at('small.mp4'),
  );
  ffmpeg(...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1.5', '-c:a', 'pcm_s16le'], at('tone.wav'));
  for (const name of ['clip.mp4', 'small.mp4', 'tone.wav']) fixtures[name] = fs.readFileSync(at(name));
  // 200x100 as stored, EXIF orientation 6 (rotate 90° clockwise to display): displayed 100x200.
  fixtures['rotated.jpg'] = await sharp({
    create: { width: 200, height: 100, channels: 3, background: { r: 20, g: 90, b: 200 } },
  })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();
  fixtures['red.png'] = await sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: 220, g: 20, b: 20 } },
  })
    .png()
    .toBuffer();
  fixtures['shape.svg'] = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="120" height="80" fill="#0a0"/></svg>',
  );
  fixtures['page.pdf'] = onePagePdf();
}, 120_000);

afterAll(() => {
  fs.rmSync(fixtureDir, { recursive: true, force: true });
});

const FAST_JOBS: Partial<Config> = { jobPollMs: 20, jobRetryBaseMs: 5, workerConcurrency: 2 };

describe('media processing', () => {
  let t: TestApp;
  let base: string;

  beforeEach(async () => {
    t = await createTestApp(FAST_JOBS);
    base = await listen(t);
  });

  afterEach(async () => {
    await t.close();
  });

  async function upload(name: string, mimeType: string, extra: Record<string, unknown> = {}) {
    return t.upload(fixtures[name] ?? Buffer.from(name), { fileName: name, mimeType, ...extra });
  }

  async function settled(fileId: string, maxMs = 90_000): Promise<FileDescriptor> {
    let file: FileDescriptor | undefined;
    await waitFor(
      async () => {
        file = (
          await t.ok<{ file: FileDescriptor }>(
            'GET',
            `/files/get-file-by-id?fileId=${encodeURIComponent(fileId)}`,
          )
        ).file;
        return file.operationStatus !== 'PENDING';
      },
      `file ${fileId} processed`,
      maxMs,
    );
    return file!;
  }

  async function get(url: string): Promise<Response> {
    return fetch(rebase(url, base));
  }

  /** Every asset key a download URL can be made for, fetched: status and type. */
  async function downloadAll(fileId: string, assetKeys: string[]) {
    const { downloadUrls } = await t.ok<{ downloadUrls: { url: string; assetKey: string }[] }>(
      'POST',
      '/files/generate-file-download-url',
      { fileId, assetKeys },
    );
    const out: Record<string, { status: number; type: string | null; bytes: Buffer }> = {};
    for (const { url, assetKey } of downloadUrls) {
      const response = await get(url);
      out[assetKey] = {
        status: response.status,
        type: response.headers.get('content-type'),
        bytes: Buffer.from(await response.arrayBuffer()),
      };
    }
    return out;
  }

  it('an uploaded image is PENDING, then READY with oriented size, colours, thumbnail and preview', async () => {
    const uploaded = await upload('rotated.jpg', 'image/jpeg');
    expect(uploaded.operationStatus).toBe('PENDING');
    const file = await settled(uploaded.id);
    expect(file.operationStatus).toBe('READY');
    const image = file.media.image!;
    expect([image.image.width, image.image.height]).toEqual([100, 200]);
    expect(image.image.url).toBe(file.url);
    expect(image.colors?.prominent?.rgb.b).toBeGreaterThan(150);
    expect(image.colors?.palette.length).toBeGreaterThan(0);
    expect(image.previewImage?.url).toMatch(/\/preview$/);
    expect(file.thumbnailUrl).toMatch(new RegExp(`/media/${file.id}/thumbnail$`));

    const thumbnail = await get(file.thumbnailUrl);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    const thumbMeta = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata();
    // Displayed orientation, never enlarged.
    expect([thumbMeta.width, thumbMeta.height]).toEqual([100, 200]);

    const assets = await downloadAll(file.id, ['src', 'thumbnail', 'preview']);
    expect(assets.src!.bytes.equals(fixtures['rotated.jpg']!)).toBe(true);
    expect(assets.thumbnail!.type).toBe('image/webp');
    expect(assets.preview!.status).toBe(200);
  });

  it('a PNG gets its prominent colour; an SVG gets dimensions and a raster thumbnail', async () => {
    const png = await settled((await upload('red.png', 'image/png')).id);
    expect(png.media.image!.colors!.prominent!.rgb.r).toBeGreaterThan(180);
    expect([png.media.image!.image.width, png.media.image!.image.height]).toEqual([64, 48]);

    const svg = await settled((await upload('shape.svg', 'image/svg+xml')).id);
    expect(svg.operationStatus).toBe('READY');
    expect([svg.media.vector!.image.width, svg.media.vector!.image.height]).toEqual([120, 80]);
    const thumbnail = await get(svg.thumbnailUrl);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    // The SVG itself only ever under the sandboxing CSP.
    const original = await get(svg.url);
    expect(original.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('a video: duration, size, poster, 480p/720p MP4s, HLS that ffprobe reads through the signed stream URL', async () => {
    const file = await settled((await upload('clip.mp4', 'video/mp4')).id);
    expect(file.operationStatus, file.failureReason ?? '').toBe('READY');
    const video = file.media.video!;
    expect(video.durationInSeconds).toBeGreaterThan(1);
    expect([video.width, video.height]).toEqual([1280, 720]);
    expect(video.resolutions.map((r) => r.format)).toEqual(['480p.mp4', '720p.mp4', 'hls']);
    expect(video.resolutions[0]).toMatchObject({ width: 854, height: 480 });
    expect(video.posters?.[0]?.url).toMatch(/\/poster$/);
    expect(file.thumbnailUrl).toMatch(/\/thumbnail$/);

    const assets = await downloadAll(file.id, ['src', '480p.mp4', '720p.mp4', 'poster', 'thumbnail']);
    for (const [key, asset] of Object.entries(assets)) expect(asset.status, key).toBe(200);
    const rendition = path.join(fixtureDir, 'r480.mp4');
    fs.writeFileSync(rendition, assets['480p.mp4']!.bytes);
    const probe = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', rendition], {
        encoding: 'utf8',
      }),
    ) as { streams: { codec_type: string; height?: number }[] };
    expect(probe.streams.find((s) => s.codec_type === 'video')?.height).toBe(480);
    expect(probe.streams.some((s) => s.codec_type === 'audio')).toBe(true);

    // HLS is streamed, not downloaded.
    const refused = await t.api('POST', '/files/generate-file-download-url', {
      fileId: file.id,
      assetKeys: ['hls'],
    });
    expect(refused.json().details.applicationError.code).toBe('INVALID_ASSET_KEY');

    const { downloadUrl } = await t.ok<{ downloadUrl: { url: string; assetKey: string } }>(
      'POST',
      '/files/generate-video-stream-url',
      { fileId: file.id, format: 'HLS' },
    );
    expect(downloadUrl.assetKey).toBe('hls');
    const playlist = await (await get(downloadUrl.url)).text();
    expect(playlist).toContain('#EXTM3U');
    const segments = playlist.split('\n').filter((line) => line.endsWith('.ts'));
    expect(segments.length).toBeGreaterThan(0);
    // Save the playlist and its segments, fetched through the signed URL, and let ffprobe read them.
    const hlsDir = fs.mkdtempSync(path.join(fixtureDir, 'hls-'));
    fs.writeFileSync(path.join(hlsDir, 'index.m3u8'), playlist);
    for (const segment of segments) {
      const response = await get(new URL(segment, downloadUrl.url).toString());
      expect(response.status).toBe(200);
      fs.writeFileSync(path.join(hlsDir, segment), Buffer.from(await response.arrayBuffer()));
    }
    const hlsProbe = execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-show_entries',
        'stream=codec_type,height',
        '-of',
        'csv=p=0',
        path.join(hlsDir, 'index.m3u8'),
      ],
      { encoding: 'utf8' },
    );
    expect(hlsProbe).toContain('video,720');

    // A tampered signature is refused, for the playlist and for a segment.
    const parts = downloadUrl.url.split('/');
    const sig = parts.at(-2)!;
    parts[parts.length - 2] = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    const tampered = parts.join('/');
    expect((await get(tampered)).status).toBe(403);
    const segmentUrl = new URL(segments[0]!, downloadUrl.url).toString();
    const forged = segmentUrl.replace(
      /\/stream\/v1\/([^/]+)\/(\d+)\//,
      (_m, id: string, exp: string) => `/stream/v1/${id}/${Number(exp) + 60}/`,
    );
    expect((await get(forged)).status).toBe(403);
  }, 120_000);

  it('a video smaller than every target gets one rendition at its own size (never upscaled)', async () => {
    const file = await settled((await upload('small.mp4', 'video/mp4')).id);
    expect(file.media.video!.resolutions.map((r) => [r.format, r.width, r.height])).toEqual([
      ['240p.mp4', 320, 240],
      ['hls', 320, 240],
    ]);
  }, 60_000);

  it('a private video plays only through its signed stream URL; its thumbnail URL is signed', async () => {
    const file = await settled((await upload('small.mp4', 'video/mp4', { private: true })).id);
    expect(file.media.video!.resolutions.every((r) => r.url === '')).toBe(true);
    expect((await get(`${base}/media/${file.id}/hls/index.m3u8`)).status).toBe(403);
    expect((await get(`${base}/media/${file.id}/240p.mp4`)).status).toBe(403);
    expect((await get(`${base}/media/${file.id}/thumbnail`)).status).toBe(403);
    expect(file.thumbnailUrl).toMatch(/\/thumbnail\?sig=/);
    expect((await get(file.thumbnailUrl)).status).toBe(200);
    const { downloadUrl } = await t.ok<{ downloadUrl: { url: string } }>(
      'POST',
      '/files/generate-video-stream-url',
      {
        fileId: file.id,
      },
    );
    expect((await get(downloadUrl.url)).status).toBe(200);
  }, 60_000);

  it('audio: duration, bitrate, format and an MP3 asset', async () => {
    const file = await settled((await upload('tone.wav', 'audio/wav')).id);
    const audio = file.media.audio!;
    expect(audio.duration).toBeCloseTo(1.5, 1);
    expect(audio.format).toBe('wav');
    expect(audio.bitrate).toBeGreaterThan(100_000);
    expect(audio.assets).toMatchObject([{ assetKey: 'mp3', format: 'mp3' }]);
    const assets = await downloadAll(file.id, ['mp3']);
    expect(assets.mp3!.type).toBe('audio/mpeg');
    expect(assets.mp3!.bytes.length).toBeGreaterThan(1000);
  }, 60_000);

  it('a PDF gets a first-page thumbnail; other documents and archives are READY at once with an icon', async () => {
    const pdf = await settled((await upload('page.pdf', 'application/pdf')).id);
    expect(pdf.operationStatus, pdf.failureReason ?? '').toBe('READY');
    expect(pdf.media.document!.thumbnail!.width).toBeGreaterThan(0);
    expect(pdf.media.document!.sizeInBytes).toBe(String(fixtures['page.pdf']!.length));
    const thumbnail = await sharp(Buffer.from(await (await get(pdf.thumbnailUrl)).arrayBuffer())).metadata();
    // 300x200 points: landscape.
    expect(thumbnail.width).toBeGreaterThan(thumbnail.height);

    const zip = await t.upload(Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'latin1'), {
      fileName: 'empty.zip',
      mimeType: 'application/zip',
    });
    expect(zip.operationStatus).toBe('READY');
    expect(zip.thumbnailUrl).toMatch(/\/icons\/archive\.svg$/);
  });

  it('a corrupt file ends FAILED with a reason, keeps its bytes, and does not stop the queue', async () => {
    const broken = await t.upload(Buffer.alloc(5000, 7), { fileName: 'broken.mp4', mimeType: 'video/mp4' });
    const good = await upload('red.png', 'image/png');
    const failed = await settled(broken.id);
    expect(failed.operationStatus).toBe('FAILED');
    expect(failed.failureReason).toMatch(/could not be processed/);
    expect(failed.failureReason).not.toMatch(/ffprobe|\/tmp/);
    expect((await settled(good.id)).operationStatus).toBe('READY');
    const { downloadUrls } = await t.ok<{ downloadUrls: { url: string }[] }>(
      'POST',
      '/files/generate-file-download-url',
      {
        fileId: broken.id,
      },
    );
    expect(Buffer.from(await (await get(downloadUrls[0]!.url)).arrayBuffer()).length).toBe(5000);
  });

  it('deleting a file for good removes its renditions', async () => {
    const file = await settled((await upload('red.png', 'image/png')).id);
    expect((await storedBlobs(t)).some((p) => p.startsWith('renditions'))).toBe(true);
    await t.ok('POST', '/bulk/files/delete', { fileIds: [file.id], permanent: true });
    expect(await storedBlobs(t)).toEqual([]);
  });

  it('unknown asset keys are refused with INVALID_ASSET_KEY and the available keys', async () => {
    const file = await settled((await upload('red.png', 'image/png')).id);
    const response = await t.api('POST', '/files/generate-file-download-url', {
      fileId: file.id,
      assetKeys: ['720p.mp4'],
    });
    expect(response.statusCode).toBe(400);
    const error = response.json().details.applicationError;
    expect(error.code).toBe('INVALID_ASSET_KEY');
    expect(error.data.available).toEqual(['src', 'thumbnail', 'preview']);
  });
});

describe('processing across a restart', () => {
  it('a job that was running when the server stopped runs again after the restart', async () => {
    let t = await createTestApp({ ...FAST_JOBS, workerConcurrency: 1 });
    const dataDir = t.dataDir;
    try {
      const file = await t.upload(fixtures['clip.mp4']!, { fileName: 'clip.mp4', mimeType: 'video/mp4' });
      // A job's work dir exists while it runs.
      const work = path.join(dataDir, 'tmp', 'processing');
      await waitFor(() => fs.readdirSync(work).length > 0, 'the job running', 30_000);
      // Stopping hands the running job back to the queue (its ffmpeg is killed).
      await t.app.close();
      t = await createTestApp({ ...FAST_JOBS, dataDir, databaseUrl: t.config.databaseUrl });
      let status = '';
      await waitFor(
        async () => {
          const row = await t.store.files.getFile(file.id);
          status = row?.operation_status ?? '';
          return status !== 'PENDING';
        },
        'the file processed after the restart',
        90_000,
      );
      expect(status).toBe('READY');
      // Its work dir goes once it is done.
      await waitFor(() => fs.readdirSync(work).length === 0, 'the work dir removed');
    } finally {
      await t.close();
    }
  }, 120_000);
});
