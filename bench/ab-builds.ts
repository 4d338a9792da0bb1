/**
 * A/B of server builds (or start commands) in the same run: does a speed trick pay for itself?
 *
 *   npx tsx bench/ab-builds.ts --arm old=.tmp/ab/old/main.mjs --arm new=.tmp/ab/new/main.mjs \
 *     [--rounds 30] [--scenarios zip-big,zip-small,plain,tus,tus1] [--size 256M]
 *
 * An arm is `name=<bundle entry>`, started as `npm start` starts the server (through `scripts/start`, its glibc
 * environment and V8 flags), or `name=<entry>|<command>` with its own command (`ENV=x node --flag`, the entry
 * appended); `bench/ab-builds.ts` builds nothing: copy `dist-server/` of each version under `.tmp/ab/<name>/`
 * (inside the checkout, so the bundles find `node_modules`). Every arm runs at once in its own child process,
 * over its own copy of the same data (seeded once through the first arm's API): zips of a folder of 32 random
 * 4 MiB files (`zip-big`) and of a folder of 1000 random 50 KiB files (`zip-small`, 3 zips a round), and
 * `--size` uploads from memory, plain PUT (`plain`) and tus in 8 MiB PATCHes (`tus`) or one PATCH (`tus1`) with its finalize, the
 * hash checked and the file deleted for good afterwards. Each round runs every scenario on every arm, the arms'
 * order rotated each round, so the machine's load falls on all arms alike; uploads start after `sync`.
 * It prints, per scenario and arm, the median time, the pooled ratio to the first arm (median of the per-round
 * ratios, and the ratio of the summed times) and the server's RSS peak over all rounds and at the end.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import {
  expectStatus,
  freePort,
  median,
  metadataHeader,
  payloadDigest,
  payloadSlice,
  request,
  rssMb,
  waitForPort,
} from './lib.ts';

const MiB = 1024 ** 2;
const API_KEY = 'bench-ab-key-0123456789abcdef0123';
const root = path.resolve(import.meta.dirname, '..');

function options(name: string): string[] {
  const out: string[] = [];
  process.argv.forEach((a, i) => {
    if (a === `--${name}`) out.push(process.argv[i + 1] ?? '');
    else if (a.startsWith(`--${name}=`)) out.push(a.slice(name.length + 3));
  });
  return out;
}
const option = (name: string, fallback: string) => options(name).at(-1) ?? fallback;

function parseSize(text: string): number {
  const match = /^(\d+)([KMG]?)$/i.exec(text);
  if (!match) throw new Error(`bad size ${text}`);
  return Number(match[1]) * { '': 1, K: 1024, M: MiB, G: 1024 ** 3 }[match[2]!.toUpperCase() as 'K'];
}

/** `npm start`'s env assignments and node flags, with `entry` as the script. */
function command(text: string, entry: string): { env: Record<string, string>; args: string[] } {
  const words = text.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [name, ...value] = words.shift()!.split('=');
    env[name!] = value.join('=');
  }
  if (words.shift() !== 'node') throw new Error(`not a node command: ${text}`);
  return { env, args: [...words.filter((w) => !w.endsWith('.mjs')), entry] };
}

interface Arm {
  name: string;
  /** Started through `scripts/start` (with the entry as its argument) rather than by node itself. */
  launcher: boolean;
  entry: string;
  env: Record<string, string>;
  args: string[];
  port: number;
  dataDir: string;
  child?: ChildProcess;
  times: Record<string, number[]>;
  rssPeak: Record<string, number>;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-bench-ab-'));
const arms: Arm[] = [];
for (const spec of options('arm')) {
  const [name, rest] = spec.split(/=(.*)/s) as [string, string];
  const [entry, cmd] = rest.split('|') as [string, string | undefined];
  const { env, args } = cmd
    ? command(cmd, path.resolve(root, entry))
    : { env: {}, args: [path.resolve(root, entry)] };
  arms.push({
    name,
    launcher: !cmd,
    entry,
    env,
    args,
    port: await freePort(),
    dataDir: path.join(work, `data-${name}`),
    times: {},
    rssPeak: {},
  });
}
if (arms.length < 2) throw new Error('give at least two --arm name=entry');
const rounds = Number(option('rounds', '30'));
const scenarios = option('scenarios', 'zip-big,zip-small,plain,tus').split(',');
const size = parseSize(option('size', '256M'));

function start(arm: Arm): ChildProcess {
  const program = arm.launcher ? path.join(root, 'scripts', 'start') : process.execPath;
  const child = spawn(program, arm.args, {
    cwd: root,
    env: {
      ...process.env,
      ...arm.env,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PORT: String(arm.port),
      DATA_DIR: arm.dataDir,
      MEDIA_API_KEY: API_KEY,
      PUBLIC_URL: `http://127.0.0.1:${arm.port}`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  arm.child = child;
  return child;
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function api<T>(arm: Arm, route: string, body: object): Promise<T> {
  const answer = await request(
    `http://127.0.0.1:${arm.port}/site-media/v1${route}`,
    'POST',
    { Authorization: API_KEY, 'Content-Type': 'application/json' },
    JSON.stringify(body),
  );
  expectStatus(answer, 200, route);
  return JSON.parse(answer.text) as T;
}

/** Reads a zip URL to the end; resolves with the byte count. */
function drain(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        if (res.statusCode !== 200) reject(new Error(`zip GET answered ${res.statusCode}`));
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve(bytes));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const block = randomBytes(8 * MiB);
const slice = (startAt: number, length: number): Readable => payloadSlice(block, startAt, length);
const digest = payloadDigest(block, size);

async function checkAndDelete(arm: Arm, text: string): Promise<void> {
  const { file } = JSON.parse(text) as { file: { id: string; hash: string; sizeInBytes: string } };
  if (file.hash !== digest || file.sizeInBytes !== String(size)) throw new Error(`bad upload on ${arm.name}`);
  await api(arm, '/bulk/files/delete', { fileIds: [file.id], permanent: true });
}

const uploadRequest = {
  mimeType: 'application/octet-stream',
  fileName: 'bench.bin',
  sizeInBytes: String(size),
};
const TUS = { 'Tus-Resumable': '1.0.0' };

let folders: { big: string; small: string } = { big: '', small: '' };

/** One scenario on one arm: its time in ms (untimed set-up and clean-up excluded). */
async function run(arm: Arm, scenario: string): Promise<number> {
  if (scenario === 'zip-big' || scenario === 'zip-small') {
    const folderId = scenario === 'zip-big' ? folders.big : folders.small;
    const times = scenario === 'zip-big' ? 1 : 3;
    let ms = 0;
    for (let i = 0; i < times; i++) {
      const { downloadUrl } = await api<{ downloadUrl: string }>(
        arm,
        `/folders/${folderId}/generate-download-url`,
        {
          folderId,
        },
      );
      const t0 = performance.now();
      await drain(downloadUrl);
      ms += performance.now() - t0;
    }
    return ms;
  }
  execFileSync('sync');
  if (scenario === 'plain') {
    const { uploadUrl } = await api<{ uploadUrl: string }>(arm, '/files/generate-upload-url', uploadRequest);
    const t0 = performance.now();
    const answer = await request(
      uploadUrl,
      'PUT',
      { 'Content-Length': String(size), 'Content-Type': 'application/octet-stream' },
      slice(0, size),
    );
    const ms = performance.now() - t0;
    expectStatus(answer, 200, 'PUT');
    await checkAndDelete(arm, answer.text);
    return ms;
  }
  if (scenario === 'tus' || scenario === 'tus1') {
    const chunk = scenario === 'tus' ? 8 * MiB : size;
    const { uploadUrl, uploadToken } = await api<{ uploadUrl: string; uploadToken: string }>(
      arm,
      '/files/generate-resumable-upload-url',
      { ...uploadRequest, uploadProtocol: 'TUS' },
    );
    const t0 = performance.now();
    const created = await request(uploadUrl, 'POST', {
      ...TUS,
      'Upload-Length': String(size),
      'Upload-Metadata': metadataHeader({
        filename: 'bench.bin',
        contentType: 'application/octet-stream',
        token: uploadToken,
      }),
    });
    expectStatus(created, 201, 'tus POST');
    const location = new URL(String(created.headers.location), uploadUrl).href;
    for (let offset = 0; offset < size; offset += chunk) {
      const length = Math.min(chunk, size - offset);
      const answer = await request(
        location,
        'PATCH',
        {
          ...TUS,
          'Upload-Offset': String(offset),
          'Content-Type': 'application/offset+octet-stream',
          'Content-Length': String(length),
        },
        slice(offset, length),
      );
      expectStatus(answer, 204, 'tus PATCH');
    }
    const final = await request(`${uploadUrl}/${uploadToken}?filename=bench.bin`, 'PUT', {});
    const ms = performance.now() - t0;
    expectStatus(final, 200, 'tus finalize');
    await checkAndDelete(arm, final.text);
    return ms;
  }
  throw new Error(`unknown scenario ${scenario}`);
}

/** Seeds the two zip folders through `arm`'s API (plain uploads, 8 at a time). */
async function seed(arm: Arm): Promise<void> {
  const make = async (name: string, count: number, bytes: number): Promise<string> => {
    const id = (await api<{ folder: { id: string } }>(arm, '/folders', { displayName: name })).folder.id;
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < count) {
          const index = next++;
          const { uploadUrl } = await api<{ uploadUrl: string }>(arm, '/files/generate-upload-url', {
            mimeType: 'application/octet-stream',
            fileName: `file-${String(index).padStart(5, '0')}.bin`,
            parentFolderId: id,
          });
          const put = await request(
            uploadUrl,
            'PUT',
            { 'Content-Type': 'application/octet-stream' },
            Readable.from([randomBytes(bytes)]),
          );
          expectStatus(put, 200, 'seed PUT');
        }
      }),
    );
    return id;
  };
  folders = { big: await make('big', 32, 4 * MiB), small: await make('small', 1000, 50 * 1024) };
}

const samplers = new Map<Arm, { scenario: string; timer: NodeJS.Timeout }>();
function sample(arm: Arm, scenario: string): () => void {
  const pid = arm.child!.pid!;
  const note = () => (arm.rssPeak[scenario] = Math.max(arm.rssPeak[scenario] ?? 0, rssMb(pid)));
  note();
  const timer = setInterval(note, 100);
  samplers.set(arm, { scenario, timer });
  return () => {
    clearInterval(timer);
    note();
  };
}

const rssStart: Record<string, number> = {};
try {
  const needsZips = scenarios.some((s) => s.startsWith('zip'));
  if (needsZips) {
    const first = arms[0]!;
    start(first);
    await waitForPort(first.port, first.child!, 600_000);
    console.log('Seeding the zip folders...');
    await seed(first);
    await stop(first.child);
    for (const arm of arms.slice(1)) execFileSync('cp', ['-a', first.dataDir, arm.dataDir]);
  }
  for (const arm of arms) if (!arm.child || arm.child.exitCode !== null) start(arm);
  for (const arm of arms) await waitForPort(arm.port, arm.child!, 600_000);
  // One untimed pass: code compiled, caches warm.
  for (const arm of arms) for (const scenario of scenarios) await run(arm, scenario);
  for (const arm of arms) rssStart[arm.name] = rssMb(arm.child!.pid!);
  for (let round = 0; round < rounds; round++) {
    const order = arms.map((_, i) => arms[(i + round) % arms.length]!);
    if (round % 2 === 1) order.reverse();
    const line: string[] = [];
    for (const scenario of scenarios) {
      for (const arm of order) {
        const done = sample(arm, scenario);
        const ms = await run(arm, scenario);
        done();
        (arm.times[scenario] ??= []).push(ms);
      }
      line.push(`${scenario} ${arms.map((a) => (a.times[scenario]!.at(-1)! / 1000).toFixed(2)).join('/')}`);
    }
    console.log(`round ${round + 1}: ${line.join(', ')} s (${arms.map((a) => a.name).join('/')})`);
  }
} finally {
  const end: Record<string, number> = {};
  for (const arm of arms) if (arm.child?.pid) end[arm.name] = rssMb(arm.child.pid);
  for (const arm of arms) await stop(arm.child);
  fs.rmSync(work, { recursive: true, force: true });
  const base = arms[0]!;
  console.log(
    `\n${os.cpus()[0]?.model ?? ''}, ${os.availableParallelism()} cores, Node ${process.version}, ${rounds} rounds, uploads ${size / MiB} MiB`,
  );
  console.log(
    `\n| scenario | arm | median s | speed vs ${base.name} (median of round ratios) | speed vs ${base.name} (summed) | RSS after warm-up → peak → end (MB) |`,
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const scenario of scenarios) {
    for (const arm of arms) {
      const times = arm.times[scenario] ?? [];
      const baseTimes = base.times[scenario] ?? [];
      const n = Math.min(times.length, baseTimes.length);
      if (n === 0) continue;
      const ratios = times.slice(0, n).map((t, i) => baseTimes[i]! / t);
      const sum = (xs: number[]) => xs.slice(0, n).reduce((a, b) => a + b, 0);
      console.log(
        `| ${scenario} | ${arm.name} | ${(median(times) / 1000).toFixed(2)} | ${median(ratios).toFixed(2)}x | ${(sum(baseTimes) / sum(times)).toFixed(2)}x | ${(rssStart[arm.name] ?? 0).toFixed(0)} → ${(arm.rssPeak[scenario] ?? 0).toFixed(0)} → ${(end[arm.name] ?? 0).toFixed(0)} |`,
      );
    }
  }
}
