/**
 * Image transformations (`/media/<id>/v1/...`): throughput against references, memory under load, bytes saved.
 *
 *   npx tsx bench/image-transforms.ts [--rounds 30]
 *
 * Runs the built server (`npm start`'s command and flags, SQLite + disk) in a child process, `ipx` (Nuxt Image's
 * optimizer) and `@fastify/static` in their own child processes, and a bare sharp loop in this process. The
 * sources are generated photo-like images (smooth colour fields, mid-size blobs and grain, so they compress like
 * photos rather than like flat colour). Every round measures each contender once, in turn, so the machine's
 * noise falls on all of them alike; the medians of the rounds are printed side by side.
 *
 * - cold: 8 distinct 640x480 `fill` variants of a 12 MP JPEG, 4 clients (every request renders): the server
 *   vs the same sharp work in-process, from the originals and from the scaled copies the server renders these
 *   from (made at processing), vs ipx (`s_640x480,fit_cover`).
 * - warm: a cached variant, 4 clients, 200 requests: the server vs @fastify/static serving the same bytes; and
 *   ipx asked 8 times for one URL (it keeps no rendered result, so warm is a render again).
 * - burst: 50 concurrent requests for distinct 4000x3000 variants; peak RSS of the server and the statuses.
 * - bytes: 6 photo-like 1600x1200 JPEGs, `fill/w_800,h_600,q_80,enc_auto` with Accept AVIF, WebP, none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { scaledCopyOf } from '../src/server/services/processing/image-processor.ts';
import {
  buildServer,
  expectStatus,
  freePort,
  median,
  request,
  RssSampler,
  spawnBuiltServer,
  waitForPort,
} from './lib.ts';
import { photoLike } from './photo-like.ts';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const ROUNDS = Number(option('rounds') ?? 30);
const CLIENTS = 4;
/** Requests for the cached variant (and for @fastify/static) per round. */
const WARM_REQUESTS = Number(option('warm-requests') ?? 200);
/** Prints each warm measure as it is taken (investigation). */
const TRACE = process.argv.includes('--trace');
const KEY = 'bench-api-key-images';
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

interface LoadResult {
  seconds: number;
  statuses: Map<number, number>;
  bytes: number[];
}

/** Sends the paths with `clients` concurrent keep-alive clients; the bodies are read and counted. */
async function load(base: string, paths: string[], clients: number, headers: Record<string, string> = {}) {
  const statuses = new Map<number, number>();
  const bytes: number[] = new Array<number>(paths.length);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < paths.length) {
      const index = next++;
      const get = () =>
        new Promise<{ status: number; size: number }>((resolve, reject) => {
          const req = http.get(`${base}${paths[index]}`, { agent, headers }, (res) => {
            let size = 0;
            res.on('data', (c: Buffer) => (size += c.length));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, size }));
            res.on('error', reject);
          });
          // A kept-alive socket the server closed just as it was reused (ipx closes idle ones after 5 s):
          // Node's documented case for sending the request again.
          req.on('error', (error: NodeJS.ErrnoException) => {
            if (req.reusedSocket && error.code === 'ECONNRESET') get().then(resolve, reject);
            else reject(error);
          });
        });
      const { status, size } = await get();
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      bytes[index] = size;
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  return { seconds: (performance.now() - started) / 1000, statuses, bytes } satisfies LoadResult;
}

function expectAll(result: LoadResult, status: number, what: string): void {
  const other = [...result.statuses].filter(([s]) => s !== status);
  if (other.length > 0) throw new Error(`${what}: statuses ${JSON.stringify([...result.statuses])}`);
}

async function uploadFile(base: string, bytes: Buffer, fileName: string): Promise<string> {
  const generated = await request(
    `${base}/site-media/v1/files/generate-upload-url`,
    'POST',
    { authorization: KEY, 'content-type': 'application/json' },
    JSON.stringify({ mimeType: 'image/jpeg', fileName }),
  );
  expectStatus(generated, 200, 'generate-upload-url');
  const { uploadUrl } = JSON.parse(generated.text) as { uploadUrl: string };
  const put = await request(uploadUrl, 'PUT', { 'content-type': 'image/jpeg' }, Readable.from([bytes]));
  expectStatus(put, 200, 'upload');
  return (JSON.parse(put.text) as { file: { id: string } }).file.id;
}

/** Waits until every file's processing has ended (READY or FAILED). */
async function untilProcessed(base: string, ids: string[]): Promise<void> {
  const deadline = Date.now() + 30 * 60_000;
  for (const id of ids) {
    for (;;) {
      const answer = await request(
        `${base}/site-media/v1/files/get-file-by-id?fileId=${encodeURIComponent(id)}`,
        'GET',
        { authorization: KEY },
      );
      expectStatus(answer, 200, 'get-file-by-id');
      const { operationStatus } = (JSON.parse(answer.text) as { file: { operationStatus: string } }).file;
      if (operationStatus !== 'PENDING') break;
      if (Date.now() > deadline) throw new Error(`${id} still processing`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

function spawnRef(mode: 'ipx' | 'static', dir: string, port: number): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'image-ref-server.ts'), mode, dir, String(port)],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

/** Renders/s of 8 640x480 fills by sharp in this process, 4 at a time, of `<prefix>0..3.jpg` in `srcDir`. */
async function bareRenders(srcDir: string, prefix: string, qs: number[]): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < 8) {
        const i = next++;
        const source = await fs.promises.readFile(path.join(srcDir, `${prefix}${i % 4}.jpg`));
        await sharp(source)
          .autoOrient()
          .resize(640, 480, { fit: 'cover' })
          // Progressive, as the server writes a `.jpg` unless the URL says `bl` (Wix's default too).
          .jpeg({ quality: qs[i], progressive: true })
          .toBuffer();
      }
    }),
  );
  return 8 / ((performance.now() - started) / 1000);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-bench-img-'));
const children: ChildProcess[] = [];
try {
  console.log(`cpus ${os.availableParallelism()}, rounds ${ROUNDS}; generating sources in ${work}`);
  // Four 12 MP sources (the cold runs need distinct variants: 4 files x q 5..99).
  const big = await Promise.all([1, 2, 3, 4].map((seed) => photoLike(4000, 3000, seed)));
  const srcDir = path.join(work, 'src');
  fs.mkdirSync(srcDir);
  big.forEach((bytes, i) => fs.writeFileSync(path.join(srcDir, `p${i}.jpg`), bytes));
  // The server's scaled copies of them, made as its processing makes them.
  for (const [i, bytes] of big.entries()) {
    await scaledCopyOf(sharp(bytes).autoOrient()).toFile(path.join(srcDir, `s${i}.jpg`));
  }
  console.log(`12 MP sources: ${big.map((b) => (b.length / 1e6).toFixed(1)).join(', ')} MB`);

  buildServer();
  const appPort = await freePort();
  const app = spawnBuiltServer({
    DATA_DIR: path.join(work, 'data'),
    PORT: String(appPort),
    MEDIA_API_KEY: KEY,
    STATIC_DIR: path.join(work, 'no-web-app'),
    TRANSFORM_HOURLY_VARIANTS: '1000000',
    TRANSFORM_CACHE_BYTES: String(8 * 1024 ** 3),
    PUBLIC_URL: `http://127.0.0.1:${appPort}`,
  });
  children.push(app);
  const ipxPort = await freePort();
  children.push(spawnRef('ipx', srcDir, ipxPort));
  const staticDir = path.join(work, 'static');
  fs.mkdirSync(staticDir);
  const staticPort = await freePort();
  children.push(spawnRef('static', staticDir, staticPort));
  await waitForPort(appPort, app);
  await waitForPort(ipxPort, children[1]!);
  await waitForPort(staticPort, children[2]!);
  const appBase = `http://127.0.0.1:${appPort}`;
  const ipxBase = `http://127.0.0.1:${ipxPort}`;
  const staticBase = `http://127.0.0.1:${staticPort}`;

  const ids: string[] = [];
  for (const [i, bytes] of big.entries()) ids.push(await uploadFile(appBase, bytes, `p${i}.jpg`));
  // An upload is processed in the background (thumbnails: sharp decodes each 12 MP original several times, in
  // the server's process): measured before that ends, the server would be measured while doing it.
  await untilProcessed(appBase, ids);

  // The cached variant, and the same bytes for @fastify/static.
  const warmPath = `/media/${ids[0]}/v1/fill/w_640,h_480,al_c,q_80/warm.jpg`;
  const warmBytes = await new Promise<Buffer>((resolve, reject) =>
    http.get(`${appBase}${warmPath}`, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    }),
  );
  fs.writeFileSync(path.join(staticDir, 'warm.jpg'), warmBytes);

  const results = {
    cold: [] as number[],
    bare: [] as number[],
    bareScaled: [] as number[],
    ipxCold: [] as number[],
    warm: [] as number[],
    static: [] as number[],
    ipxWarm: [] as number[],
  };
  // Distinct variants of equal cost: q 50..99 x al c/t x 4 files (al_t crops nothing from a 4:3 source).
  let q = 50;
  let align = 'c';
  for (let round = 0; round < ROUNDS; round++) {
    // Cold: 8 variants never asked for before (2 per file, distinct q).
    const qs = [q, q, q, q, q + 1, q + 1, q + 1, q + 1];
    const coldPaths = qs.map(
      (quality, i) => `/media/${ids[i % 4]}/v1/fill/w_640,h_480,al_${align},q_${quality}/c.jpg`,
    );
    q += 2;
    if (q > 98) {
      q = 50;
      align = 't';
    }
    const cold = await load(appBase, coldPaths, CLIENTS);
    expectAll(cold, 200, 'cold');
    results.cold.push(8 / cold.seconds);

    // The same work with sharp in this process, 4 at a time: from the originals, and from the scaled copies
    // the server renders these from (see `scaledCopy` in the server's image processing).
    results.bare.push(await bareRenders(srcDir, 'p', qs));
    results.bareScaled.push(await bareRenders(srcDir, 's', qs));

    const ipxPaths = qs.map((quality, i) => `/s_640x480,fit_cover,q_${quality},f_jpeg/p${i % 4}.jpg`);
    const ipxCold = await load(ipxBase, ipxPaths, CLIENTS);
    expectAll(ipxCold, 200, 'ipx cold');
    results.ipxCold.push(8 / ipxCold.seconds);

    // The cached variant and the same bytes from @fastify/static, the order alternating from round to round.
    const warmOf = async (base: string, url: string, what: string) => {
      const started = performance.now();
      const result = await load(base, Array<string>(WARM_REQUESTS).fill(url), CLIENTS);
      expectAll(result, 200, what);
      if (TRACE)
        console.log(
          `${what} ${(WARM_REQUESTS / result.seconds).toFixed(0)} r/s at ${(started / 1000).toFixed(1)} s`,
        );
      return WARM_REQUESTS / result.seconds;
    };
    if (round % 2 === 0) {
      results.warm.push(await warmOf(appBase, warmPath, 'warm'));
      results.static.push(await warmOf(staticBase, '/warm.jpg', 'static'));
    } else {
      results.static.push(await warmOf(staticBase, '/warm.jpg', 'static'));
      results.warm.push(await warmOf(appBase, warmPath, 'warm'));
    }
    const ipxWarm = await load(
      ipxBase,
      Array<string>(8).fill('/s_640x480,fit_cover,q_80,f_jpeg/p0.jpg'),
      CLIENTS,
    );
    expectAll(ipxWarm, 200, 'ipx warm');
    results.ipxWarm.push(8 / ipxWarm.seconds);
    process.stdout.write('.');
  }
  console.log();
  const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)])) as Record<
    keyof typeof results,
    number
  >;
  const f = (n: number) => n.toFixed(2);
  console.log(
    `cold 640x480 fill of 12 MP, renders/s (median of ${ROUNDS}): server ${f(m.cold)}, bare sharp ${f(m.bare)} -> ${f(m.cold / m.bare)}x; bare sharp from the scaled copy ${f(m.bareScaled)} -> ${f(m.cold / m.bareScaled)}x; ipx ${f(m.ipxCold)} -> ${f(m.cold / m.ipxCold)}x`,
  );
  console.log(
    `warm, requests/s: server (cached variant) ${f(m.warm)}, @fastify/static ${f(m.static)} -> ${f(m.warm / m.static)}x; ipx (same URL) ${f(m.ipxWarm)} -> ${f(m.warm / m.ipxWarm)}x`,
  );
  // The same pairs round by round: each ratio is measured under one moment's load, so their median moves less
  // between runs than the ratio of the medians above.
  const perRound = (a: number[], b: number[]) => f(median(a.map((x, i) => x / b[i]!)));
  console.log(
    `median of per-round ratios: cold/bare ${perRound(results.cold, results.bare)}x, cold/bare-scaled ${perRound(results.cold, results.bareScaled)}x, cold/ipx ${perRound(results.cold, results.ipxCold)}x, cached/static ${perRound(results.warm, results.static)}x`,
  );
  if (TRACE) console.log(JSON.stringify(results));

  // Burst: 50 distinct large variants at once.
  const rss = new RssSampler(app.pid!);
  rss.reset();
  const burstPaths = Array.from(
    { length: 50 },
    (_, i) => `/media/${ids[i % 4]}/v1/fit/w_5000,h_5000,q_${40 + Math.floor(i / 4)}/b.jpg`,
  );
  const burst = await load(appBase, burstPaths, 50);
  rss.stop();
  console.log(
    `burst of 50 distinct 4000x3000 variants: statuses ${JSON.stringify([...burst.statuses])}, server RSS ${rss.start.toFixed(0)} MB before, peak ${rss.peak.toFixed(0)} MB, ${burst.seconds.toFixed(1)} s`,
  );
  const failed = [...burst.statuses].filter(([s]) => s !== 200 && s !== 503);
  if (failed.length > 0) throw new Error(`burst: unexpected statuses ${JSON.stringify(failed)}`);

  // Bytes on a photo set.
  const photos = await Promise.all([11, 12, 13, 14, 15, 16].map((seed) => photoLike(1600, 1200, seed)));
  const photoIds: string[] = [];
  for (const [i, bytes] of photos.entries()) photoIds.push(await uploadFile(appBase, bytes, `s${i}.jpg`));
  const sizes: Record<string, number> = {};
  for (const [label, accept] of [
    ['jpeg', '*/*'],
    ['webp', 'image/webp,*/*'],
    ['avif', 'image/avif,image/webp,*/*'],
  ] as const) {
    const result = await load(
      appBase,
      photoIds.map((id) => `/media/${id}/v1/fill/w_800,h_600,al_c,q_80,enc_auto/s.jpg`),
      1,
      { accept },
    );
    expectAll(result, 200, `bytes ${label}`);
    sizes[label] = result.bytes.reduce((a, b) => a + b, 0);
  }
  const pct = (n: number) => `${((1 - n / sizes.jpeg!) * 100).toFixed(0)}% smaller`;
  console.log(
    `bytes of 6 photos at 800x600 q_80: JPEG ${sizes.jpeg}, WebP ${sizes.webp} (${pct(sizes.webp!)}), AVIF ${sizes.avif} (${pct(sizes.avif!)})`,
  );
} finally {
  for (const child of children) child.kill();
  agent.destroy();
  fs.rmSync(work, { recursive: true, force: true });
}
