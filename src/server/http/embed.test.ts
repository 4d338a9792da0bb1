import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadUrl, FileDescriptor } from '../../contract/index.ts';
import type { Config } from '../config.ts';
import { waitFor } from '../testing/helpers.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';

// Public media is embeddable by a site on any origin (`<img>`, `<video>`, hls.js's fetch()); private media
// (signed downloads, signed streams, a private file's signed thumbnail), zips and the admin API are not.

const FAST_JOBS: Partial<Config> = { jobPollMs: 20, jobRetryBaseMs: 5, workerConcurrency: 2 };
const OTHER_ORIGIN = 'https://site.example';

let t: TestApp;
let video: FileDescriptor;
let privateVideo: FileDescriptor;

/** Path + query of an absolute URL, for `inject`. */
function local(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

function get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'GET', url: url.startsWith('/') ? url : local(url), headers });
}

async function settled(fileId: string): Promise<FileDescriptor> {
  let file: FileDescriptor | undefined;
  await waitFor(
    async () => {
      file = (await t.ok<{ file: FileDescriptor }>('GET', `/files/get-file-by-id?fileId=${fileId}`)).file;
      return file.operationStatus !== 'PENDING';
    },
    `file ${fileId} processed`,
    90_000,
  );
  expect(file!.operationStatus).toBe('READY');
  return file!;
}

function expectEmbeddable(response: LightMyRequestResponse): void {
  expect(response.statusCode, response.body).toBeLessThan(400);
  expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
  expect(response.headers['access-control-allow-origin']).toBe('*');
  expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  const exposed = String(response.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/);
  expect(exposed).toEqual(expect.arrayContaining(['content-range', 'content-length', 'accept-ranges']));
  // Still user content: never sniffed, sandboxed when opened directly.
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(String(response.headers['content-security-policy']).split(/[;\s]+/)).toContain('sandbox');
}

function expectSameOriginOnly(response: LightMyRequestResponse): void {
  expect(response.statusCode, response.body).toBeLessThan(400);
  expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
  expect(response.headers['access-control-allow-origin']).toBeUndefined();
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(String(response.headers['content-security-policy']).split(/[;\s]+/)).toContain('sandbox');
}

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-embed-'));
  const clip = path.join(dir, 'clip.mp4');
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=1'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', clip],
  ]);
  const bytes = fs.readFileSync(clip);
  fs.rmSync(dir, { recursive: true, force: true });
  t = await createTestApp(FAST_JOBS);
  const a = await t.upload(bytes, { fileName: 'clip.mp4', mimeType: 'video/mp4' });
  const b = await t.upload(bytes, { fileName: 'secret.mp4', mimeType: 'video/mp4', private: true });
  video = await settled(a.id);
  privateVideo = await settled(b.id);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('public media is embeddable from any origin', () => {
  it('the original, its renditions, poster and thumbnail', async () => {
    for (const url of [
      `/media/${video.id}`,
      `/media/${video.id}/poster`,
      `/media/${video.id}/thumbnail`,
      `/media/${video.id}/preview`,
      `/media/${video.id}/240p.mp4`,
    ]) {
      const response = await get(url, { origin: OTHER_ORIGIN });
      expect(response.statusCode, url).toBe(200);
      expectEmbeddable(response);
    }
    // The descriptor's own thumbnail URL is one of them.
    expectEmbeddable(await get(video.thumbnailUrl, { origin: OTHER_ORIGIN }));
  });

  it('the HLS playlist and its segments', async () => {
    const playlist = await get(`/media/${video.id}/hls/index.m3u8`, { origin: OTHER_ORIGIN });
    expect(playlist.statusCode).toBe(200);
    expectEmbeddable(playlist);
    const segment = playlist.body.split('\n').find((line) => line.endsWith('.ts'))!;
    expectEmbeddable(await get(`/media/${video.id}/hls/${segment}`, { origin: OTHER_ORIGIN }));
  });

  it('byte ranges (206), not-modified (304) and HEAD keep the headers', async () => {
    const ranged = await get(`/media/${video.id}`, { origin: OTHER_ORIGIN, range: 'bytes=0-9' });
    expect(ranged.statusCode).toBe(206);
    expect(ranged.headers['content-range']).toMatch(/^bytes 0-9\/\d+$/);
    expectEmbeddable(ranged);
    const etag = String(ranged.headers.etag);
    const cached = await get(`/media/${video.id}`, { origin: OTHER_ORIGIN, 'if-none-match': etag });
    expect(cached.statusCode).toBe(304);
    expectEmbeddable(cached);
    const head = await t.app.inject({ method: 'HEAD', url: `/media/${video.id}/poster` });
    expectEmbeddable(head);
  });

  it('answers a CORS preflight for public media (Range allowed), with no credentials', async () => {
    for (const url of [
      `/media/${video.id}`,
      `/media/${video.id}/hls/index.m3u8`,
      `/media/${video.id}/poster`,
    ]) {
      const preflight = await t.app.inject({
        method: 'OPTIONS',
        url,
        headers: {
          origin: OTHER_ORIGIN,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'range',
        },
      });
      expect(preflight.statusCode, url).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('*');
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
      expect(String(preflight.headers['access-control-allow-methods'])).toMatch(/\bGET\b/);
      expect(String(preflight.headers['access-control-allow-headers']).toLowerCase()).toMatch(/\brange\b/);
    }
  });
});

describe('private media and the admin API stay same-origin', () => {
  it("a private file's URLs answer 403 without CORS headers", async () => {
    for (const url of [
      `/media/${privateVideo.id}`,
      `/media/${privateVideo.id}/poster`,
      `/media/${privateVideo.id}/hls/index.m3u8`,
    ]) {
      const response = await get(url, { origin: OTHER_ORIGIN });
      expect(response.statusCode, url).toBe(403);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['cross-origin-resource-policy']).not.toBe('cross-origin');
    }
  });

  it("a private file's signed thumbnail", async () => {
    expect(privateVideo.thumbnailUrl).toMatch(/\?sig=/);
    expectSameOriginOnly(await get(privateVideo.thumbnailUrl, { origin: OTHER_ORIGIN }));
  });

  it('signed download URLs, of a public file too', async () => {
    for (const file of [video, privateVideo]) {
      const { downloadUrls } = await t.ok<{ downloadUrls: DownloadUrl[] }>(
        'POST',
        '/files/generate-file-download-url',
        { fileId: file.id, assetKeys: ['src', 'poster'], contentDisposition: 'INLINE' },
      );
      for (const { url } of downloadUrls) expectSameOriginOnly(await get(url, { origin: OTHER_ORIGIN }));
    }
  });

  it('signed stream URLs, playlist and segment', async () => {
    const { downloadUrl } = await t.ok<{ downloadUrl: DownloadUrl }>(
      'POST',
      '/files/generate-video-stream-url',
      {
        fileId: privateVideo.id,
      },
    );
    const playlist = await get(downloadUrl.url, { origin: OTHER_ORIGIN });
    expectSameOriginOnly(playlist);
    const segment = playlist.body.split('\n').find((line) => line.endsWith('.ts'))!;
    expectSameOriginOnly(await get(new URL(segment, downloadUrl.url).toString(), { origin: OTHER_ORIGIN }));
  });

  it('no preflight is answered for signed URLs or the admin API', async () => {
    for (const url of [
      `/download/v1/${privateVideo.id}?asset=src`,
      `/stream/v1/${privateVideo.id}/1/x/index.m3u8`,
      '/site-media/v1/files/get-file-by-id',
    ]) {
      const preflight = await t.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: OTHER_ORIGIN, 'access-control-request-method': 'GET' },
      });
      expect(preflight.headers['access-control-allow-origin'], url).toBeUndefined();
    }
    const api = await t.app.inject({
      method: 'GET',
      url: `/site-media/v1/files/get-file-by-id?fileId=${video.id}`,
      headers: { authorization: TEST_API_KEY, origin: OTHER_ORIGIN },
    });
    expect(api.statusCode).toBe(200);
    expect(api.headers['access-control-allow-origin']).toBeUndefined();
    const anonymous = await t.app.inject({
      method: 'GET',
      url: `/site-media/v1/files/get-file-by-id?fileId=${video.id}`,
      headers: { origin: OTHER_ORIGIN },
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
