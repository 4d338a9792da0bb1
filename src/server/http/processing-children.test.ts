import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FileDescriptor } from '../../contract/index.ts';
import type { Config } from '../config.ts';
import { waitFor } from '../testing/helpers.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';
import { createTestSchema, TEST_DATABASE_URL, type TestSchema } from '../testing/test-databases.ts';

/**
 * ffmpeg and the other tools live no longer than their job: they are killed on their time limit, when the
 * server closes, and when the server process is killed outright (SIGKILL runs no cleanup at all).
 */

let fixtureDir: string;
/** A tiny video whose transcode takes many minutes: ten frames, then a ten-hour gap the encoder fills. */
let endless: Buffer;

beforeAll(() => {
  fixtureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-children-'));
  const file = path.join(fixtureDir, 'endless.mp4');
  execFileSync('ffmpeg', [
    ...[
      '-hide_banner',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=1280x720:rate=25:duration=0.4',
    ],
    ...['-vf', "setpts='if(gte(N,5),PTS+36000/TB,PTS)'", '-fps_mode', 'vfr'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file],
  ]);
  endless = fs.readFileSync(file);
}, 60_000);

afterAll(() => {
  fs.rmSync(fixtureDir, { recursive: true, force: true });
});

/** Live (not zombie) ffmpeg processes working on files under `dataDir`: pid and parent pid. */
function ffmpegsUnder(dataDir: string): { pid: number; ppid: number }[] {
  const found: { pid: number; ppid: number }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (path.basename(cmdline[0] ?? '') !== 'ffmpeg' || !cmdline.some((arg) => arg.includes(dataDir)))
        continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') found.push({ pid: Number(entry), ppid: Number(ppid) });
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

const killQuietly = (pid: number) => {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
};

const FAST_JOBS: Partial<Config> = { jobPollMs: 20, jobRetryBaseMs: 5, workerConcurrency: 1 };

describe('processing child processes', () => {
  let t: TestApp | undefined;

  afterEach(async () => {
    if (t) for (const { pid } of ffmpegsUnder(t.dataDir)) killQuietly(pid);
    await t?.close();
    t = undefined;
  });

  it('a job over PROCESSING_TIMEOUT_SECONDS is killed and its file FAILED with the reason', async () => {
    t = await createTestApp({ ...FAST_JOBS, processingTimeoutMs: 1500 });
    const uploaded = await t.upload(endless, { fileName: 'endless.mp4', mimeType: 'video/mp4' });
    let file: FileDescriptor | undefined;
    await waitFor(
      async () => {
        file = (await t!.ok<{ file: FileDescriptor }>('GET', `/files/get-file-by-id?fileId=${uploaded.id}`))
          .file;
        return file.operationStatus !== 'PENDING';
      },
      'the file to fail',
      120_000,
    );
    expect(file!.operationStatus).toBe('FAILED');
    expect(file!.failureReason).toMatch(/took longer than the server allows/);
    expect(ffmpegsUnder(t.dataDir)).toEqual([]);
  }, 180_000);

  it('closing the server kills the running ffmpeg before close() returns', async () => {
    t = await createTestApp(FAST_JOBS);
    await t.upload(endless, { fileName: 'endless.mp4', mimeType: 'video/mp4' });
    await waitFor(() => ffmpegsUnder(t!.dataDir).length > 0, 'ffmpeg to run', 60_000);
    await t.app.close();
    expect(ffmpegsUnder(t.dataDir)).toEqual([]);
  }, 120_000);

  it('killing the server with SIGKILL mid-transcode takes its ffmpeg with it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-crash-'));
    const schema: TestSchema | undefined = TEST_DATABASE_URL
      ? await createTestSchema(TEST_DATABASE_URL)
      : undefined;
    const port = await freePort();
    let server: ChildProcess | undefined;
    let orphans: number[] = [];
    try {
      server = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          PORT: String(port),
          HOST: '127.0.0.1',
          MEDIA_API_KEY: TEST_API_KEY,
          STATIC_DIR: path.join(dataDir, 'no-web-app'),
          LOG_LEVEL: 'warn',
          S3_KEY_PREFIX: `${process.env.S3_KEY_PREFIX ?? ''}${path.basename(dataDir)}`,
          ...(schema ? { DATABASE_URL: schema.url } : {}),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const base = `http://127.0.0.1:${port}`;
      await waitFor(
        () =>
          fetch(`${base}/healthz`).then(
            (r) => r.ok,
            () => false,
          ),
        'the server to listen',
        60_000,
      );
      const granted = await fetch(`${base}/site-media/v1/files/generate-upload-url`, {
        method: 'POST',
        headers: { authorization: TEST_API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ mimeType: 'video/mp4', fileName: 'endless.mp4' }),
      });
      expect(granted.status).toBe(200);
      const { uploadUrl } = (await granted.json()) as { uploadUrl: string };
      const put = await fetch(`${base}${new URL(uploadUrl).pathname}`, {
        method: 'PUT',
        headers: { 'content-type': 'video/mp4' },
        body: new Uint8Array(endless),
      });
      expect(put.status).toBe(200);

      await waitFor(() => ffmpegsUnder(dataDir).length > 0, 'ffmpeg to run', 60_000);
      const running = ffmpegsUnder(dataDir);
      expect(running.every((p) => p.ppid === server!.pid)).toBe(true);
      server.kill('SIGKILL');
      orphans = running.map((p) => p.pid);
      await waitFor(() => ffmpegsUnder(dataDir).length === 0, 'ffmpeg to die with the server', 20_000);
    } finally {
      for (const pid of [...orphans, ...ffmpegsUnder(dataDir).map((p) => p.pid)]) killQuietly(pid);
      if (server?.pid && server.exitCode === null) killQuietly(server.pid);
      fs.rmSync(dataDir, { recursive: true, force: true });
      await schema?.drop();
    }
  }, 180_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
