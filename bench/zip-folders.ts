/**
 * Folder zips over HTTP against `zip -0 -r -` on the same files.
 *
 *   npx tsx bench/zip-folders.ts [--sets 1000x1M,20000x50K] [--rounds 3]
 *
 * For each set (count x size of random, incompressible files) it writes the files into a directory and uploads
 * the same bytes into a folder of the real server (built as `npm start` runs it, in a child process, temp
 * DATA_DIR, plain uploads over HTTP). Then it times `zip -0 -r - <dir>` (stored, no compression, to a pipe that
 * counts the bytes) and the app's folder zips, on a fresh server process once everything is uploaded (`folders/{id}/generate-download-url`, then a GET read to the end;
 * the contract caps a zip at 1000 files, so a bigger set is split into folders of 1000 zipped one after another),
 * sampling the server's RSS every 100 ms while its zip streams. `zip` and the app take turns, `--rounds` times
 * (default 3), each run after reading its files once untimed (the two read different copies of the bytes, and
 * the page cache of this machine keeps some and drops others); times are medians. Goals: >= 0.8x of zip's throughput, server peak
 * RSS below 150 MB and flat between the two sets (the zip streams: memory must not grow with the file count).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildServer, freePort, median, RssSampler, spawnBuiltServer, waitForPort } from './lib.ts';

const API_KEY = 'bench-zip-key-0123456789abcdef';
const RATIO_GOAL = 0.8;
const RSS_GOAL_MB = 150;
const ZIP_FILES_MAX = 1000;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1] ?? fallback;
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
}

function parseSize(text: string): number {
  const match = /^(\d+)([KMG]?)$/i.exec(text);
  if (!match) throw new Error(`bad size ${text}`);
  return Number(match[1]) * { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[match[2]!.toUpperCase() as 'K'];
}

const sets = option('sets', '1000x1M,20000x50K')
  .split(',')
  .map((text) => {
    const [count, size] = text.split('x');
    return { label: text, count: Number(count), size: parseSize(size!) };
  });

const rounds = Number(option('rounds', '3'));

/** Reads every file under `dir` once (untimed), so that the timed read finds them in the page cache. */
function warm(dir: string): void {
  execFileSync('sh', ['-c', 'find "$1" -type f -exec cat {} + > /dev/null', 'warm', dir]);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

function call(url: string, method: string, headers: Record<string, string>, body?: Buffer | string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Reads a URL to the end, counting bytes; resolves with the byte count. */
function drain(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`zip GET answered ${res.statusCode}`));
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve(bytes));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-bench-zip-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
buildServer();
function startServer() {
  return spawnBuiltServer({
    PORT: String(port),
    DATA_DIR: path.join(work, 'data'),
    MEDIA_API_KEY: API_KEY,
    PUBLIC_URL: base,
  });
}
async function stopServer(child: ReturnType<typeof startServer>): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
let server = startServer();
let rss = new RssSampler(server.pid!);

async function api<T>(route: string, body: object): Promise<T> {
  const answer = await call(
    `${base}/site-media/v1${route}`,
    'POST',
    { Authorization: API_KEY, 'Content-Type': 'application/json' },
    JSON.stringify(body),
  );
  if (answer.status !== 200) throw new Error(`${route}: ${answer.status} ${answer.text}`);
  return JSON.parse(answer.text) as T;
}

interface Result {
  label: string;
  totalMb: number;
  zipS: number;
  zipBytes: number;
  appS: number;
  appBytes: number;
  rssStart: number;
  rssPeak: number;
}

const results: Result[] = [];
try {
  await waitForPort(port, server);
  const seeded: { set: (typeof sets)[number]; dir: string; folders: string[] }[] = [];
  for (const set of sets) {
    const dir = path.join(work, `set-${set.label}`);
    fs.mkdirSync(dir);
    // The contract caps a zip at 1000 files: a bigger set is split into folders of 1000, zipped one by one.
    const parts = Math.ceil(set.count / ZIP_FILES_MAX);
    const folders: string[] = [];
    for (let part = 0; part < parts; part++) {
      const name = `part-${String(part).padStart(2, '0')}`;
      fs.mkdirSync(path.join(dir, name));
      folders.push((await api<{ folder: { id: string } }>('/folders', { displayName: name })).folder.id);
    }
    console.log(`Writing and uploading ${set.count} files of ${set.size} bytes...`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < set.count) {
          const index = next++;
          const part = Math.floor(index / ZIP_FILES_MAX);
          const name = `file-${String(index).padStart(5, '0')}.bin`;
          const bytes = randomBytes(set.size);
          fs.writeFileSync(path.join(dir, `part-${String(part).padStart(2, '0')}`, name), bytes);
          const { uploadUrl } = await api<{ uploadUrl: string }>('/files/generate-upload-url', {
            mimeType: 'application/octet-stream',
            fileName: name,
            parentFolderId: folders[part],
          });
          const put = await call(uploadUrl, 'PUT', { 'Content-Type': 'application/octet-stream' }, bytes);
          if (put.status !== 200) throw new Error(`PUT ${name}: ${put.status} ${put.text}`);
        }
      }),
    );
    seeded.push({ set, dir, folders });
  }

  // The zips are measured on a fresh server process over the same data: its memory is the zips', not what
  // 21,000 uploads left behind (heap grown, SQLite's page cache filled).
  rss.stop();
  await stopServer(server);
  server = startServer();
  rss = new RssSampler(server.pid!);
  await waitForPort(port, server);
  // One zip first, not timed: a server that has been up a while has its code compiled (JIT) and warm.
  const warmUp = seeded[0]?.folders[0];
  if (warmUp) {
    const { downloadUrl } = await api<{ downloadUrl: string }>(`/folders/${warmUp}/generate-download-url`, {
      folderId: warmUp,
    });
    await drain(downloadUrl);
  }
  for (const { set, dir, folders } of seeded) {
    const zipTimes: number[] = [];
    const appTimes: number[] = [];
    let zipBytes = 0;
    let appBytes = 0;
    rss.reset();
    const rssStart = rss.start;
    // Alternating rounds, each read warmed first (its files read once, untimed): the two read different
    // copies of the bytes, and this machine's page cache keeps some of them and not others.
    for (let round = 0; round < rounds; round++) {
      warm(dir);
      let t0 = performance.now();
      zipBytes = await new Promise<number>((resolve, reject) => {
        const zip = spawn('zip', ['-0', '-r', '-q', '-', path.basename(dir)], { cwd: work });
        let bytes = 0;
        zip.stdout.on('data', (c: Buffer) => (bytes += c.length));
        zip.on('error', reject);
        zip.on('close', (code) => (code === 0 ? resolve(bytes) : reject(new Error(`zip exited ${code}`))));
      });
      zipTimes.push((performance.now() - t0) / 1000);

      warm(path.join(work, 'data', 'blobs'));
      t0 = performance.now();
      appBytes = 0;
      for (const folderId of folders) {
        const { downloadUrl } = await api<{ downloadUrl: string }>(
          `/folders/${folderId}/generate-download-url`,
          { folderId },
        );
        appBytes += await drain(downloadUrl);
      }
      appTimes.push((performance.now() - t0) / 1000);
      console.log(
        `${set.label} round ${round + 1}: zip ${zipTimes.at(-1)!.toFixed(1)} s, app ${appTimes.at(-1)!.toFixed(1)} s`,
      );
    }
    rss.sample();
    results.push({
      label: set.label,
      totalMb: (set.count * set.size) / 1024 ** 2,
      zipS: median(zipTimes),
      zipBytes,
      appS: median(appTimes),
      appBytes,
      rssStart,
      rssPeak: rss.peak,
    });
    fs.rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rss.stop();
  await stopServer(server);
  fs.rmSync(work, { recursive: true, force: true });
}

console.log(`\n${os.cpus()[0]?.model ?? ''}, ${os.availableParallelism()} cores\n`);
console.log(
  '| set | data | zip -0 -r - | MB/s | app folder zip | MB/s | vs zip | server RSS start → peak (MB) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const lines: string[] = [];
for (const r of results) {
  const zipRate = r.zipBytes / 1024 ** 2 / r.zipS;
  const appRate = r.appBytes / 1024 ** 2 / r.appS;
  const ratio = appRate / zipRate;
  console.log(
    `| ${r.label} | ${r.totalMb.toFixed(0)} MB | ${r.zipS.toFixed(1)} s | ${zipRate.toFixed(0)} | ${r.appS.toFixed(1)} s | ${appRate.toFixed(0)} | ${ratio.toFixed(2)}x | ${r.rssStart.toFixed(0)} → ${r.rssPeak.toFixed(0)} |`,
  );
  lines.push(
    `- ${ratio >= RATIO_GOAL ? 'PASS' : 'FAIL'} ${r.label}: ${ratio.toFixed(2)}x of zip (goal >= ${RATIO_GOAL}x)`,
  );
  lines.push(
    `- ${r.rssPeak < RSS_GOAL_MB ? 'PASS' : 'FAIL'} ${r.label}: server RSS peak ${r.rssPeak.toFixed(0)} MB (goal < ${RSS_GOAL_MB} MB)`,
  );
}
if (results.length === 2) {
  // Flat: zipping 20x the files (in 1000-file zips) peaks where zipping the big files did.
  const [a, b] = results as [Result, Result];
  const ratio = b.rssPeak / a.rssPeak;
  lines.push(
    `- ${ratio < 1.1 ? 'PASS' : 'FAIL'} flat between the sets: peak ${a.rssPeak.toFixed(0)} MB vs ${b.rssPeak.toFixed(0)} MB (${ratio.toFixed(2)}x; goal < 1.1x)`,
  );
}
console.log(`\n${lines.join('\n')}`);
