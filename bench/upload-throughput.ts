/**
 * Upload throughput and server memory: the app's plain and tus uploads against a bare Node server.
 *
 *   npx tsx bench/upload-throughput.ts [--size 1G]
 *
 * Starts the real server (built as `npm start` runs it, temp DATA_DIR) and a bare `http.createServer` that
 * pipes PUT/PATCH bodies to files, each in its own child process, and samples each one's VmRSS every 100 ms.
 * The payload is one 8 MiB random block repeated to the size, streamed by the client from memory (the client
 * reads no disk and spends next to no CPU making it). Scenarios: (1) bare PUT, (2) app plain PUT, (3) app tus
 * in one PATCH, (4) app tus in 8 MiB PATCHes (`--chunk`), (5) bare 8 MiB PATCHes. Each is timed from the first
 * upload request to the last answer (for tus: creation POST, PATCHes and the finalize PUT); the app's `hash`
 * must equal the payload's sha256. Every scenario starts after `sync`, so none pays for writing back an earlier
 * one's bytes, and the whole set runs once untimed (warm-up), then `--rounds` times (default 5, order reversed
 * every other round); the table shows each scenario's median with the range. Goals: >= 0.85x the bare server, server RSS below 200 MB.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  buildServer,
  expectStatus,
  freePort,
  investigationFlags,
  median,
  metadataHeader,
  option,
  parseSize,
  payloadDigest,
  payloadSlice,
  request,
  RssSampler,
  spawnBuiltServer,
  waitForPort,
} from './lib.ts';

const MiB = 1024 ** 2;
const CHUNK = 8 * MiB;
const API_KEY = 'bench-upload-key-0123456789abcdef';
const RATIO_GOAL = 0.85;
const RSS_GOAL_MB = 200;

const BARE_SERVER = `
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { pipeline } = require('node:stream');
const dir = process.env.BARE_DIR;
const server = http.createServer((req, res) => {
  if (req.method !== 'PUT' && req.method !== 'PATCH') { res.writeHead(404).end(); return; }
  const file = path.join(dir, encodeURIComponent(req.url));
  pipeline(req, fs.createWriteStream(file, { flags: req.method === 'PATCH' ? 'a' : 'w' }), (error) => {
    if (error) { res.writeHead(500).end(String(error)); return; }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));
`;

interface Ctx {
  payload: Buffer;
  size: number;
  /** Bytes per PATCH in (4) and (5). */
  chunk: number;
  digest: string;
  bareUrl: string;
  bareDir: string;
  appUrl: string;
}

async function api<T>(ctx: Ctx, route: string, body: object): Promise<T> {
  const answer = await request(
    `${ctx.appUrl}/site-media/v1${route}`,
    'POST',
    { Authorization: API_KEY, 'Content-Type': 'application/json' },
    JSON.stringify(body),
  );
  expectStatus(answer, 200, route);
  return JSON.parse(answer.text) as T;
}

const uploadRequest = (ctx: Ctx): object => ({
  mimeType: 'application/octet-stream',
  fileName: 'bench.bin',
  sizeInBytes: String(ctx.size),
});

/**
 * Checks the uploaded file's hash and size, then deletes it for good (untimed), as the bare scenarios remove
 * theirs: every scenario then writes into page cache that was freed, not into fresh memory, which on this VM
 * costs up to 10x more system time per byte and would bill the app for the bench's own leftovers.
 */
async function checkAndDelete(ctx: Ctx, text: string): Promise<string> {
  const { file } = JSON.parse(text) as { file: { id: string; hash: string; sizeInBytes: string } };
  if (file.hash !== ctx.digest) throw new Error(`hash mismatch: ${file.hash} != ${ctx.digest}`);
  if (file.sizeInBytes !== String(ctx.size)) throw new Error(`size mismatch: ${file.sizeInBytes}`);
  await api(ctx, '/bulk/files/delete', { fileIds: [file.id], permanent: true });
  return 'ok';
}

type Timed = (ctx: Ctx) => Promise<{ ms: number; verified: string }>;

/**
 * The bare server's counterpart of `checkAndDelete`: checks the file's size and deletes it (untimed) at the same
 * point of the scenario as the app's is deleted, so both servers' scenarios end alike before the settle wait.
 */
function checkAndDeleteBare(ctx: Ctx, name: string): string {
  const file = path.join(ctx.bareDir, name);
  const ok = fs.statSync(file).size === ctx.size;
  fs.rmSync(file);
  return ok ? 'size ok' : 'SIZE BAD';
}

async function barePut(ctx: Ctx): Promise<{ ms: number; verified: string }> {
  const t0 = performance.now();
  const answer = await request(
    `${ctx.bareUrl}/put`,
    'PUT',
    { 'Content-Length': String(ctx.size) },
    payloadSlice(ctx.payload, 0, ctx.size),
  );
  const ms = performance.now() - t0;
  expectStatus(answer, 200, 'bare PUT');
  return { ms, verified: checkAndDeleteBare(ctx, '%2Fput') };
}

async function bareChunked(ctx: Ctx): Promise<{ ms: number; verified: string }> {
  const t0 = performance.now();
  for (let offset = 0; offset < ctx.size; offset += ctx.chunk) {
    const length = Math.min(ctx.chunk, ctx.size - offset);
    const answer = await request(
      `${ctx.bareUrl}/patch`,
      'PATCH',
      { 'Content-Length': String(length), 'Upload-Offset': String(offset) },
      payloadSlice(ctx.payload, offset, length),
    );
    expectStatus(answer, 200, 'bare PATCH');
  }
  const ms = performance.now() - t0;
  return { ms, verified: checkAndDeleteBare(ctx, '%2Fpatch') };
}

async function appPlain(ctx: Ctx): Promise<{ ms: number; verified: string }> {
  const { uploadUrl } = await api<{ uploadUrl: string }>(
    ctx,
    '/files/generate-upload-url',
    uploadRequest(ctx),
  );
  const t0 = performance.now();
  const answer = await request(
    uploadUrl,
    'PUT',
    { 'Content-Length': String(ctx.size), 'Content-Type': 'application/octet-stream' },
    payloadSlice(ctx.payload, 0, ctx.size),
  );
  const ms = performance.now() - t0;
  expectStatus(answer, 200, 'app PUT');
  return { ms, verified: await checkAndDelete(ctx, answer.text) };
}

const TUS = { 'Tus-Resumable': '1.0.0' };

/** tus by hand: creation POST, PATCHes of `chunk` bytes (Infinity: one), finalize PUT. */
function appTus(chunk: number): Timed {
  return async (ctx) => {
    const { uploadUrl, uploadToken } = await api<{ uploadUrl: string; uploadToken: string }>(
      ctx,
      '/files/generate-resumable-upload-url',
      { ...uploadRequest(ctx), uploadProtocol: 'TUS' },
    );
    const t0 = performance.now();
    const created = await request(uploadUrl, 'POST', {
      ...TUS,
      'Upload-Length': String(ctx.size),
      'Upload-Metadata': metadataHeader({
        filename: 'bench.bin',
        contentType: 'application/octet-stream',
        token: uploadToken,
      }),
    });
    expectStatus(created, 201, 'tus POST');
    const location = new URL(String(created.headers.location), uploadUrl).href;
    for (let offset = 0; offset < ctx.size;) {
      const length = Math.min(chunk, ctx.size - offset);
      const answer = await request(
        location,
        'PATCH',
        {
          ...TUS,
          'Upload-Offset': String(offset),
          'Content-Type': 'application/offset+octet-stream',
          'Content-Length': String(length),
        },
        payloadSlice(ctx.payload, offset, length),
      );
      expectStatus(answer, 204, 'tus PATCH');
      const next = Number(answer.headers['upload-offset']);
      if (next !== offset + length) throw new Error(`tus PATCH: offset ${next}, expected ${offset + length}`);
      offset = next;
    }
    const tPatched = performance.now();
    const final = await request(`${uploadUrl}/${uploadToken}?filename=bench.bin`, 'PUT', {});
    const ms = performance.now() - t0;
    expectStatus(final, 200, 'tus finalize');
    const finalizeMs = performance.now() - tPatched;
    const verified = await checkAndDelete(ctx, final.text);
    return { ms, verified: `${verified}; finalize ${(finalizeMs / 1000).toFixed(1)} s` };
  };
}

/**
 * User and system CPU seconds a process has used so far (/proc/<pid>/stat, clock ticks of 1/100 s), and its
 * minor page faults (memory it touched for the first time).
 */
function cpuSeconds(pid: number): { user: number; system: number; faults: number } {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100, faults: Number(fields[7]) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const size = parseSize(option('size') ?? '1G');
  const rounds = Number(option('rounds') ?? 5);
  // PATCH size of (4) and (5); smaller ones show the per-request cost (e.g. `--size 64M --chunk 64K`).
  const chunk = parseSize(option('chunk') ?? '8M');
  const chunkName = chunk % MiB === 0 ? `${chunk / MiB} MiB` : `${chunk / 1024} KiB`;
  const onlyOption = option('only');
  const only = onlyOption === undefined ? undefined : new Set(onlyOption.split(',').map(Number));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'upload-bench-'));
  const children: ChildProcess[] = [];
  const samplers: RssSampler[] = [];
  try {
    const dataDir = path.join(root, 'data');
    const bareDir = path.join(root, 'bare');
    fs.mkdirSync(bareDir);
    const payload = randomBytes(CHUNK);
    const digest = payloadDigest(payload, size);

    const barePort = await freePort();
    const bare = spawn(process.execPath, [...investigationFlags('bare'), '-e', BARE_SERVER], {
      env: { ...process.env, PORT: String(barePort), BARE_DIR: bareDir },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(bare);
    const appPort = await freePort();
    buildServer();
    const app = spawnBuiltServer({
      DATA_DIR: dataDir,
      PORT: String(appPort),
      MEDIA_API_KEY: API_KEY,
      MAX_FILE_SIZE_BYTES: String(Math.max(size * 2, 25 * 1024 ** 3)),
    });
    children.push(app);
    await Promise.all([waitForPort(barePort, bare), waitForPort(appPort, app)]);
    const bareRss = new RssSampler(bare.pid!);
    const appRss = new RssSampler(app.pid!);
    samplers.push(bareRss, appRss);

    const ctx: Ctx = {
      payload,
      size,
      chunk,
      digest,
      bareUrl: `http://127.0.0.1:${barePort}`,
      bareDir,
      appUrl: `http://127.0.0.1:${appPort}`,
    };
    const bareSide = { rss: bareRss, pid: bare.pid! };
    const appSide = { rss: appRss, pid: app.pid! };
    const scenarios: {
      id: number;
      name: string;
      run: Timed;
      rss: RssSampler;
      pid: number;
      baseline?: number;
    }[] = [
      { id: 1, name: 'bare server, one PUT', run: barePut, ...bareSide },
      { id: 2, name: 'app plain upload (PUT uploadUrl)', run: appPlain, ...appSide, baseline: 1 },
      { id: 3, name: 'app tus, one PATCH + finalize', run: appTus(Infinity), ...appSide, baseline: 1 },
      {
        id: 4,
        name: `app tus, ${chunkName} PATCHes + finalize`,
        run: appTus(chunk),
        ...appSide,
        baseline: 5,
      },
      { id: 5, name: `bare server, ${chunkName} PATCHes`, run: bareChunked, ...bareSide },
    ].filter((scenario) => only === undefined || only.has(scenario.id));
    const runs = new Map<number, { ms: number[]; peak: number; start: number; verified: string }>();
    // Round 0 warms up, untimed: the app's upload paths compiled by the JIT, as on a server that has been up a
    // while (and the first round of a run was the slowest for both servers in most runs).
    for (let round = 0; round <= rounds; round++) {
      const order = round % 2 ? scenarios : [...scenarios].reverse();
      for (const scenario of order) {
        // Every scenario starts with no dirty pages: none pays for writing back another's bytes.
        execFileSync('sync');
        process.stdout.write(
          `${round === 0 ? 'warm-up' : `round ${round}`}: (${scenario.id}) ${scenario.name}... `,
        );
        scenario.rss.reset();
        const cpuBefore = cpuSeconds(scenario.pid);
        const { ms, verified } = await scenario.run(ctx);
        const cpuAfter = cpuSeconds(scenario.pid);
        const cpu =
          `user ${(cpuAfter.user - cpuBefore.user).toFixed(1)} s, sys ${(cpuAfter.system - cpuBefore.system).toFixed(1)} s, ` +
          `${cpuAfter.faults - cpuBefore.faults} page faults`;
        await new Promise((r) => setTimeout(r, 150));
        if (round > 0) {
          const run = runs.get(scenario.id) ?? { ms: [], peak: 0, start: scenario.rss.start, verified };
          run.ms.push(ms);
          run.peak = Math.max(run.peak, scenario.rss.peak);
          if (!verified.startsWith('ok') && !verified.startsWith('size ok')) run.verified = verified;
          runs.set(scenario.id, run);
        }
        console.log(
          `${(ms / 1000).toFixed(1)} s, ${(size / 1e6 / (ms / 1000)).toFixed(0)} MB/s, ` +
            `server CPU ${cpu} (${verified})`,
        );
      }
    }
    const results = new Map(
      [...runs].map(([id, run]) => {
        const ms = median(run.ms);
        const mbps = (n: number): number => size / 1e6 / (n / 1000);
        const range = `${mbps(Math.max(...run.ms)).toFixed(0)}–${mbps(Math.min(...run.ms)).toFixed(0)}`;
        return [id, { ...run, ms, mbps: mbps(ms), range }] as const;
      }),
    );

    const lines = [
      '| scenario | median time | MB/s (range) | vs bare | server RSS start → peak (MB) | check | goals (>= 0.85x, RSS < 200 MB) |',
      '| -------- | ---: | ---: | ------: | ---------------------------: | ----- | ----- |',
    ];
    for (const scenario of scenarios) {
      const r = results.get(scenario.id)!;
      const base = scenario.baseline === undefined ? undefined : results.get(scenario.baseline)!;
      const ratio = base === undefined ? undefined : r.mbps / base.mbps;
      const rssOk = r.peak < RSS_GOAL_MB;
      const goal =
        ratio === undefined
          ? `baseline; RSS ${rssOk ? 'PASS' : 'FAIL'}`
          : `speed ${ratio >= RATIO_GOAL ? 'PASS' : 'FAIL'}, RSS ${rssOk ? 'PASS' : 'FAIL'}`;
      lines.push(
        `| (${scenario.id}) ${scenario.name} | ${(r.ms / 1000).toFixed(1)} s | ${r.mbps.toFixed(0)} (${r.range}) | ` +
          `${ratio === undefined ? '1.00x' : `${ratio.toFixed(2)}x vs (${scenario.baseline})`} | ` +
          `${r.start.toFixed(0)} → ${r.peak.toFixed(0)} | ${r.verified} | ${goal} |`,
      );
    }
    console.log(
      `\nPayload: ${size} bytes (${(size / MiB).toFixed(0)} MiB), sha256 ${digest}; ${rounds} rounds, medians\n`,
    );
    console.log(lines.join('\n'));
  } finally {
    for (const sampler of samplers) sampler.stop();
    await Promise.all(children.map(stopChild));
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
