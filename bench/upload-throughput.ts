/**
 * Upload throughput and server memory: the app's plain and tus uploads against a bare Node server.
 *
 *   npx tsx bench/upload-throughput.ts [--size 1G]
 *
 * Starts the real server (built as `npm start` runs it, temp DATA_DIR) and a bare `http.createServer` that
 * pipes PUT/PATCH bodies to files, each in its own child process, and samples each one's VmRSS every 100 ms.
 * Writes one random payload file, then uploads it streamed from disk (never buffered in the client):
 * (1) bare PUT, (2) app plain PUT, (3) app tus in one PATCH, (4) app tus in 8 MiB PATCHes, (5) bare 8 MiB
 * PATCHes. Each scenario is timed from the first upload request to the last answer (for tus: creation POST,
 * PATCHes and the finalize PUT); the app's `hash` must equal the payload's sha256. Prints a markdown table and
 * the goals (>= 0.85x the bare server; server RSS below 200 MB) with PASS/FAIL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import {
  builtServerArgs,
  expectStatus,
  freePort,
  metadataHeader,
  request,
  RssSampler,
  waitForPort,
} from './lib.ts';

const MiB = 1024 ** 2;
const CHUNK = 8 * MiB;
const API_KEY = 'bench-upload-key-0123456789abcdef';
const RATIO_GOAL = 0.85;
const RSS_GOAL_MB = 200;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(text.trim());
  if (!match) throw new Error(`bad size: ${text}`);
  const unit = { '': 1, K: 1024, M: MiB, G: 1024 ** 3 }[match[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Math.round(Number(match[1]) * unit);
}

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
`;

/** A byte range of the payload as a stream (fs.createReadStream, 1 MiB reads). */
function slice(file: string, start: number, length: number): Readable {
  return fs.createReadStream(file, { start, end: start + length - 1, highWaterMark: MiB });
}

interface Ctx {
  payload: string;
  size: number;
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

function checkHash(ctx: Ctx, text: string): string {
  const { file } = JSON.parse(text) as { file: { hash: string; sizeInBytes: string } };
  if (file.hash !== ctx.digest) throw new Error(`hash mismatch: ${file.hash} != ${ctx.digest}`);
  if (file.sizeInBytes !== String(ctx.size)) throw new Error(`size mismatch: ${file.sizeInBytes}`);
  return 'ok';
}

type Timed = (ctx: Ctx) => Promise<{ ms: number; verified: string }>;

async function barePut(ctx: Ctx): Promise<{ ms: number; verified: string }> {
  const t0 = performance.now();
  const answer = await request(
    `${ctx.bareUrl}/put`,
    'PUT',
    { 'Content-Length': String(ctx.size) },
    slice(ctx.payload, 0, ctx.size),
  );
  const ms = performance.now() - t0;
  expectStatus(answer, 200, 'bare PUT');
  return {
    ms,
    verified: `${fs.statSync(path.join(ctx.bareDir, '%2Fput')).size === ctx.size ? 'size ok' : 'SIZE BAD'}`,
  };
}

async function bareChunked(ctx: Ctx): Promise<{ ms: number; verified: string }> {
  const t0 = performance.now();
  for (let offset = 0; offset < ctx.size; offset += CHUNK) {
    const length = Math.min(CHUNK, ctx.size - offset);
    const answer = await request(
      `${ctx.bareUrl}/patch`,
      'PATCH',
      { 'Content-Length': String(length), 'Upload-Offset': String(offset) },
      slice(ctx.payload, offset, length),
    );
    expectStatus(answer, 200, 'bare PATCH');
  }
  const ms = performance.now() - t0;
  const ok = fs.statSync(path.join(ctx.bareDir, '%2Fpatch')).size === ctx.size;
  return { ms, verified: ok ? 'size ok' : 'SIZE BAD' };
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
    slice(ctx.payload, 0, ctx.size),
  );
  const ms = performance.now() - t0;
  expectStatus(answer, 200, 'app PUT');
  return { ms, verified: checkHash(ctx, answer.text) };
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
        slice(ctx.payload, offset, length),
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
    return { ms, verified: `${checkHash(ctx, final.text)}; finalize ${(finalizeMs / 1000).toFixed(1)} s` };
  };
}

async function makePayload(file: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const out = fs.openSync(file, 'w');
  try {
    for (let written = 0; written < size;) {
      const block = randomBytes(Math.min(CHUNK, size - written));
      hash.update(block);
      fs.writeSync(out, block);
      written += block.length;
    }
  } finally {
    fs.closeSync(out);
  }
  return hash.digest('hex');
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
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'upload-bench-'));
  const children: ChildProcess[] = [];
  const samplers: RssSampler[] = [];
  try {
    const dataDir = path.join(root, 'data');
    const bareDir = path.join(root, 'bare');
    fs.mkdirSync(bareDir);
    const payload = path.join(root, 'payload.bin');
    console.log(`Writing a ${(size / MiB).toFixed(0)} MiB random payload...`);
    const digest = await makePayload(payload, size);

    const barePort = await freePort();
    const bare = spawn(process.execPath, ['-e', BARE_SERVER], {
      env: { ...process.env, PORT: String(barePort), BARE_DIR: bareDir },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(bare);
    const appPort = await freePort();
    // `node --import tsx` (what `npx tsx` runs) in one process, so the sampled pid is the server itself.
    const app = spawn(process.execPath, builtServerArgs(), {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(appPort),
        HOST: '127.0.0.1',
        MEDIA_API_KEY: API_KEY,
        MAX_FILE_SIZE_BYTES: String(Math.max(size * 2, 25 * 1024 ** 3)),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(app);
    await Promise.all([waitForPort(barePort, bare), waitForPort(appPort, app)]);
    const bareRss = new RssSampler(bare.pid!);
    const appRss = new RssSampler(app.pid!);
    samplers.push(bareRss, appRss);

    const ctx: Ctx = {
      payload,
      size,
      digest,
      bareUrl: `http://127.0.0.1:${barePort}`,
      bareDir,
      appUrl: `http://127.0.0.1:${appPort}`,
    };
    const scenarios: { id: number; name: string; run: Timed; rss: RssSampler; baseline?: number }[] = [
      { id: 1, name: 'bare server, one PUT', run: barePut, rss: bareRss },
      { id: 2, name: 'app plain upload (PUT uploadUrl)', run: appPlain, rss: appRss, baseline: 1 },
      { id: 3, name: 'app tus, one PATCH + finalize', run: appTus(Infinity), rss: appRss, baseline: 1 },
      { id: 4, name: 'app tus, 8 MiB PATCHes + finalize', run: appTus(CHUNK), rss: appRss, baseline: 5 },
      { id: 5, name: 'bare server, 8 MiB PATCHes', run: bareChunked, rss: bareRss },
    ];
    const results = new Map<
      number,
      { mbps: number; ms: number; peak: number; start: number; verified: string }
    >();
    for (const scenario of scenarios) {
      process.stdout.write(`(${scenario.id}) ${scenario.name}... `);
      scenario.rss.reset();
      const { ms, verified } = await scenario.run(ctx);
      await new Promise((r) => setTimeout(r, 150));
      const mbps = size / 1e6 / (ms / 1000);
      results.set(scenario.id, { mbps, ms, peak: scenario.rss.peak, start: scenario.rss.start, verified });
      console.log(`${(ms / 1000).toFixed(1)} s, ${mbps.toFixed(0)} MB/s (${verified})`);
      for (const name of fs.readdirSync(bareDir)) fs.rmSync(path.join(bareDir, name));
    }

    const lines = [
      '| scenario | time | MB/s | vs bare | server RSS start → peak (MB) | check | goals (>= 0.85x, RSS < 200 MB) |',
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
        `| (${scenario.id}) ${scenario.name} | ${(r.ms / 1000).toFixed(1)} s | ${r.mbps.toFixed(0)} | ` +
          `${ratio === undefined ? '1.00x' : `${ratio.toFixed(2)}x vs (${scenario.baseline})`} | ` +
          `${r.start.toFixed(0)} → ${r.peak.toFixed(0)} | ${r.verified} | ${goal} |`,
      );
    }
    console.log(`\nPayload: ${size} bytes (${(size / MiB).toFixed(0)} MiB), sha256 ${digest}\n`);
    console.log(lines.join('\n'));
  } finally {
    for (const sampler of samplers) sampler.stop();
    await Promise.all(children.map(stopChild));
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
