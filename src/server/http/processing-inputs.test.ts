import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FileDescriptor, VisitorUploadUrlResponse } from '../../contract/index.ts';
import type { Config } from '../config.ts';
import { renditionPrefix } from '../services/processing/assets.ts';
import { storedBlobs, waitFor } from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

/**
 * Processing opens exactly the one file it was given: a playlist (HLS, concat) uploaded as a video must not
 * make ffmpeg read other files of the server (another file's renditions, anything on its disk) into the
 * uploader's renditions.
 */

let fixtureDir: string;
let victimOnDisk: string;
let clip: Buffer;

beforeAll(() => {
  fixtureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-inputs-'));
  victimOnDisk = path.join(fixtureDir, 'secret.mp4');
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=1'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', victimOnDisk],
  ]);
  clip = fs.readFileSync(victimOnDisk);
}, 60_000);

afterAll(() => {
  fs.rmSync(fixtureDir, { recursive: true, force: true });
});

const FAST_JOBS: Partial<Config> = { jobPollMs: 20, jobRetryBaseMs: 5, workerConcurrency: 2 };

function hlsPlaylist(segment: string): string {
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    '#EXT-X-TARGETDURATION:2',
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXTINF:1.0,',
    segment,
    '#EXT-X-ENDLIST',
    '',
  ].join('\n');
}

describe('processing opens only the uploaded file', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp(FAST_JOBS);
  });

  afterEach(async () => {
    await t.close();
  });

  async function settled(fileId: string): Promise<FileDescriptor> {
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
      90_000,
    );
    return file!;
  }

  async function visitorUpload(content: string, fileName: string, mimeType: string): Promise<string> {
    const granted = await t.app.inject({
      method: 'POST',
      url: '/visitor/v1/upload-url',
      payload: { mimeType, fileName },
      remoteAddress: '203.0.113.9',
    });
    expect(granted.statusCode, granted.body).toBe(200);
    const { uploadUrl } = granted.json<VisitorUploadUrlResponse>();
    const put = await t.app.inject({
      method: 'PUT',
      url: new URL(uploadUrl).pathname,
      headers: { 'content-type': mimeType },
      payload: content,
    });
    expect(put.statusCode, put.body).toBe(200);
    return put.json<{ file: FileDescriptor }>().file.id;
  }

  /** The file FAILED with a reason its owner can read, and nothing was made from the other file's frames. */
  async function expectRefused(fileId: string, reason: RegExp) {
    const file = await settled(fileId);
    expect(file.operationStatus).toBe('FAILED');
    expect(file.failureReason).toMatch(reason);
    expect(file.failureReason).not.toMatch(/\/tmp|ffprobe|blobs/);
    // Ingest's stub only: no resolutions, no posters.
    expect(file.media.video?.resolutions ?? []).toEqual([]);
    expect(file.media.video?.posters ?? []).toEqual([]);
    expect(file.thumbnailUrl).toMatch(/\/icons\/video\.svg$/);
    const prefix = renditionPrefix(fileId);
    expect((await storedBlobs(t)).filter((key) => key.startsWith(prefix))).toEqual([]);
  }

  it('an HLS playlist uploaded as mp4 (visitor API and admin API) ends FAILED, with no renditions', async () => {
    // The other file: a private video with renditions on the server's disk (on S3 only the fixture is on disk).
    const victim = await t.upload(clip, { fileName: 'secret.mp4', mimeType: 'video/mp4', private: true });
    expect((await settled(victim.id)).operationStatus).toBe('READY');
    // Work dirs are DATA_DIR/tmp/processing/job-*/original; blobs are in DATA_DIR/blobs.
    const relative = `../../../blobs/${renditionPrefix(victim.id)}240p.mp4`;
    expect(fs.existsSync(path.join(t.dataDir, 'tmp', 'processing', 'job-x', relative)) || !!t.config.s3).toBe(
      true,
    );
    const attacks = [
      await visitorUpload(hlsPlaylist(relative), 'clip.mp4', 'video/mp4'),
      await visitorUpload(hlsPlaylist(victimOnDisk), 'clip.mp4', 'video/mp4'),
      (await t.upload(hlsPlaylist(relative), { fileName: 'clip.mp4', mimeType: 'video/mp4' })).id,
      (
        await t.upload(hlsPlaylist(`file:${victimOnDisk}`), {
          fileName: 'a.mov',
          mimeType: 'video/quicktime',
        })
      ).id,
    ];
    for (const id of attacks) await expectRefused(id, /playlist/i);
  }, 180_000);

  it('concat lists and ffconcat scripts uploaded as video or audio end FAILED', async () => {
    const attacks = [
      await visitorUpload(`ffconcat version 1.0\nfile '${victimOnDisk}'\n`, 'clip.mp4', 'video/mp4'),
      (await t.upload(`file '${victimOnDisk}'\n`, { fileName: 'list.webm', mimeType: 'video/webm' })).id,
    ];
    for (const id of attacks) await expectRefused(id, /playlist|format/i);
  }, 180_000);
});
