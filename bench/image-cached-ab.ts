/**
 * A/B of the cached-variant path (`/media/<id>/v1/...` answered from the cache) against `@fastify/static`
 * serving the same bytes, and of server builds against each other, in the same run.
 *
 *   npx tsx bench/image-cached-ab.ts --arm old=.tmp/ab/old/main.mjs --arm new=.tmp/ab/new/main.mjs \
 *     [--rounds 30] [--requests 300] [--clients 4]
 *
 * Each arm is a server bundle (copy `dist-server/` of each version under `.tmp/ab/<name>/`, inside the
 * checkout so it finds `node_modules`) started through `scripts/start` as `npm start` starts it (SQLite + disk,
 * `LOG_LEVEL=warn`), each over its own data dir; the reference is `bench/image-ref-server.ts static`. One
 * photo-like 4000x3000 JPEG is uploaded to every arm and its `fill/w_640,h_480,al_c,q_80` variant rendered
 * once; the arms must answer the same bytes, which are what @fastify/static serves. Every round, each
 * contender gets `--requests` requests from `--clients` keep-alive clients of this process, one contender after
 * the other, the order rotated each round and reversed every other round. It prints each round (with the load
 * average), then per contender the median requests/s and the pooled ratios: median of the per-round ratios to
 * @fastify/static and to the first arm.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { expectStatus, freePort, investigationFlags, median, request, waitForPort } from './lib.ts';
import { photoLike } from './photo-like.ts';

function options(name: string): string[] {
  const out: string[] = [];
  process.argv.forEach((a, i) => {
    if (a === `--${name}`) out.push(process.argv[i + 1] ?? '');
  });
  return out;
}
const option = (name: string, fallback: string) => options(name).at(-1) ?? fallback;

const ROUNDS = Number(option('rounds', '30'));
const REQUESTS = Number(option('requests', '300'));
const CLIENTS = Number(option('clients', '4'));
const RENDERS = Number(option('renders', '0'));
const KEY = 'bench-api-key-images';
const root = path.resolve(import.meta.dirname, '..');
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

interface Contender {
  name: string;
  port: number;
  path: string;
  child?: ChildProcess;
  rates: number[];
}

function get(url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** `REQUESTS` GETs of one URL from `CLIENTS` keep-alive clients; requests per second. */
async function load(url: string): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < REQUESTS) {
      next++;
      const answer = await new Promise<number>((resolve, reject) => {
        const req = http.get(url, { agent }, (res) => {
          res.on('data', () => {});
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        });
        req.on('error', reject);
      });
      if (answer !== 200) throw new Error(`${url} answered ${answer}`);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, worker));
  return REQUESTS / ((performance.now() - started) / 1000);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-bench-img-ab-'));
const contenders: Contender[] = [];
try {
  const source = await photoLike(4000, 3000, 1);
  const arms: Contender[] = [];
  for (const spec of options('arm')) {
    const [name, entry] = spec.split(/=(.*)/s) as [string, string];
    const port = await freePort();
    const child = spawn(
      path.join(root, 'scripts', 'start'),
      [...investigationFlags('app'), path.resolve(root, entry)],
      {
        cwd: root,
        env: {
          ...process.env,
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          PORT: String(port),
          DATA_DIR: path.join(work, `data-${name}`),
          MEDIA_API_KEY: KEY,
          STATIC_DIR: path.join(work, 'no-web-app'),
          PUBLIC_URL: `http://127.0.0.1:${port}`,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const arm: Contender = { name, port, path: '', child, rates: [] };
    arms.push(arm);
    contenders.push(arm);
  }
  if (arms.length === 0) throw new Error('give at least one --arm name=entry');
  const staticDir = path.join(work, 'static');
  fs.mkdirSync(staticDir);
  const staticPort = await freePort();
  const staticChild = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'image-ref-server.ts'),
      'static',
      staticDir,
      String(staticPort),
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  contenders.push({
    name: '@fastify/static',
    port: staticPort,
    path: '/warm.jpg',
    child: staticChild,
    rates: [],
  });
  for (const c of contenders) await waitForPort(c.port, c.child!);

  let bytes: Buffer | undefined;
  for (const arm of arms) {
    const base = `http://127.0.0.1:${arm.port}`;
    const generated = await request(
      `${base}/site-media/v1/files/generate-upload-url`,
      'POST',
      { authorization: KEY, 'content-type': 'application/json' },
      JSON.stringify({ mimeType: 'image/jpeg', fileName: 'p0.jpg' }),
    );
    expectStatus(generated, 200, 'generate-upload-url');
    const { uploadUrl } = JSON.parse(generated.text) as { uploadUrl: string };
    const put = await request(uploadUrl, 'PUT', { 'content-type': 'image/jpeg' }, Readable.from([source]));
    expectStatus(put, 200, 'upload');
    const id = (JSON.parse(put.text) as { file: { id: string } }).file.id;
    arm.path = `/media/${id}/v1/fill/w_640,h_480,al_c,q_80/warm.jpg`;
    const first = await get(`${base}${arm.path}`);
    if (first.status !== 200) throw new Error(`${arm.name}: render answered ${first.status}`);
    if (bytes && !bytes.equals(first.body)) throw new Error(`${arm.name} answers other bytes`);
    bytes = first.body;
  }
  fs.writeFileSync(path.join(staticDir, 'warm.jpg'), bytes!);
  console.log(
    `cpus ${os.availableParallelism()}, rounds ${ROUNDS} x ${REQUESTS} requests, ${CLIENTS} clients, variant ${bytes!.length} B`,
  );
  // Warm-up, untimed.
  for (const c of contenders) await load(`http://127.0.0.1:${c.port}${c.path}`);

  const loads: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const rotated = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
    const order = round % 2 ? rotated.reverse() : rotated;
    // `--renders n`: each arm first renders n variants never asked for (what the full bench's cold phase
    // leaves behind in the server before its cached-path measure).
    for (const arm of arms) {
      for (let i = 0; i < RENDERS; i++) {
        const fresh = arm.path.replace('q_80', `q_${20 + ((round * RENDERS + i) % 60)},blur_${round + 1}`);
        const answer = await get(`http://127.0.0.1:${arm.port}${fresh}`);
        if (answer.status !== 200) throw new Error(`${arm.name}: render answered ${answer.status}`);
      }
    }
    for (const c of order) c.rates.push(await load(`http://127.0.0.1:${c.port}${c.path}`));
    const loadavg = os.loadavg()[0]!;
    loads.push(loadavg);
    console.log(
      `round ${round + 1}: load ${loadavg.toFixed(1)}; ` +
        contenders.map((c) => `${c.name} ${c.rates.at(-1)!.toFixed(0)}`).join(', '),
    );
  }
  const reference = contenders.at(-1)!;
  const first = contenders[0]!;
  const ratio = (a: Contender, b: Contender) => median(a.rates.map((r, i) => r / b.rates[i]!));
  console.log(
    `\nload average (1 min) over the rounds: median ${median(loads).toFixed(1)}, ` +
      `min ${Math.min(...loads).toFixed(1)}, max ${Math.max(...loads).toFixed(1)}`,
  );
  console.log('| contender | median r/s | vs @fastify/static (median of per-round ratios) | vs first arm |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const c of contenders) {
    console.log(
      `| ${c.name} | ${median(c.rates).toFixed(0)} | ${ratio(c, reference).toFixed(2)}x | ${ratio(c, first).toFixed(2)}x |`,
    );
  }
} finally {
  for (const c of contenders) c.child?.kill();
  agent.destroy();
  fs.rmSync(work, { recursive: true, force: true });
}
