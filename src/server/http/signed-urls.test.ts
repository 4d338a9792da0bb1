import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadUrl, FileDescriptor } from '../../contract/index.ts';
import { hmac } from '../secrets.ts';
import { expectAppError, waitFor } from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

// A signature covers exactly one reading of a URL: another spelling of its expiry, or the same text split
// differently between its fields, is not the URL that was signed.

const SECRET = 'signed-urls-test-secret';
let t: TestApp;
let text: FileDescriptor;

/** Path + query of an absolute URL, for `inject`. */
function local(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

function get(url: string) {
  return t.app.inject({ method: 'GET', url: local(url) });
}

async function downloadUrl(body: Record<string, unknown>): Promise<string> {
  const { downloadUrls } = await t.ok<{ downloadUrls: DownloadUrl[] }>(
    'POST',
    '/files/generate-file-download-url',
    body,
  );
  return downloadUrls[0]!.url;
}

/** Other spellings of the same number, each of which `Number()` reads as `exp`. */
function respellings(exp: number): string[] {
  return [`${exp}.0`, `+${exp}`, `0${exp}`, ` ${exp}`, `${exp} `, `0x${exp.toString(16)}`, `${exp}e0`];
}

beforeAll(async () => {
  t = await createTestApp({ signingSecret: SECRET, jobPollMs: 20, workerConcurrency: 2 });
  text = (await t.upload('some words', { fileName: 'report.txt', mimeType: 'text/plain' })) as FileDescriptor;
});

afterAll(async () => {
  await t.close();
});

describe('download URLs', () => {
  it('accept the expiry only as it was signed: decimal digits', async () => {
    const url = await downloadUrl({ fileId: text.id });
    expect((await get(url)).statusCode).toBe(200);
    const exp = Number(new URL(url).searchParams.get('exp'));
    for (const spelling of respellings(exp)) {
      const other = new URL(url);
      other.searchParams.set('exp', spelling);
      expectAppError(await get(other.toString()), 403, 'PERMISSION_DENIED');
    }
  });

  it('a newline in the name cannot move text between the name and the redirect under one signature', async () => {
    // Signed: name `report\nhttps://evil.example/`, redirect `https://site.example/expired`. Joined with
    // newlines, that is the same text as name `report` with redirect `https://evil.example/\n...`.
    const url = new URL(
      await downloadUrl({
        fileId: text.id,
        downloadFileName: 'report\nhttps://evil.example/',
        expirationRedirectUrl: 'https://site.example/expired',
      }),
    );
    expect((await get(url.toString())).statusCode).toBe(200);
    url.searchParams.set('name', 'report');
    url.searchParams.set('redirect', 'https://evil.example/\nhttps://site.example/expired');
    expectAppError(await get(url.toString()), 403, 'PERMISSION_DENIED');
  });

  it('URLs signed before, whose fields hold no newline, stay valid', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const fields = ['download', text.id, 'src', exp, 'inline', 'old.txt', 'https://site.example/gone'];
    const sig = hmac(SECRET, fields.join('\n'));
    const query = new URLSearchParams({
      asset: 'src',
      exp: String(exp),
      disp: 'inline',
      name: 'old.txt',
      redirect: 'https://site.example/gone',
      sig,
    });
    const response = await t.app.inject({
      method: 'GET',
      url: `/download/v1/${text.id}?${query.toString()}`,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).toBe('some words');
  });
});

describe('stream URLs', () => {
  let video: FileDescriptor;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-signed-'));
    const clip = path.join(dir, 'clip.mp4');
    execFileSync('ffmpeg', [
      ...[
        '-hide_banner',
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=320x240:rate=25:duration=1',
      ],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', clip],
    ]);
    const uploaded = await t.upload(fs.readFileSync(clip), { fileName: 'clip.mp4', mimeType: 'video/mp4' });
    fs.rmSync(dir, { recursive: true, force: true });
    await waitFor(
      async () => {
        video = (await t.ok<{ file: FileDescriptor }>('GET', `/files/get-file-by-id?fileId=${uploaded.id}`))
          .file;
        return video.operationStatus !== 'PENDING';
      },
      'the video processed',
      90_000,
    );
    expect(video.operationStatus).toBe('READY');
  }, 120_000);

  it('accept the expiry only as it was signed: decimal digits', async () => {
    const { downloadUrl: stream } = await t.ok<{ downloadUrl: DownloadUrl }>(
      'POST',
      '/files/generate-video-stream-url',
      { fileId: video.id },
    );
    expect((await get(stream.url)).statusCode).toBe(200);
    const match = /\/stream\/v1\/([^/]+)\/(\d+)\/([^/]+)\/index\.m3u8$/.exec(stream.url)!;
    const [, fileId, exp, sig] = match;
    for (const spelling of respellings(Number(exp))) {
      const url = `/stream/v1/${fileId}/${encodeURIComponent(spelling)}/${sig}/index.m3u8`;
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, `${JSON.stringify(spelling)}: ${response.body}`).toBe(403);
    }
  });
});
