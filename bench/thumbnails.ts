/**
 * Image processing throughput: the app's processing jobs against a bare sharp loop on the same files.
 *
 *   npx tsx bench/thumbnails.ts [--count 120] [--size 3000x2000]
 *
 * Makes `count` JPEG photos (ffmpeg's testsrc2 pattern with noise, so they compress like photos). The bare loop
 * runs, `WORKER_CONCURRENCY` files at a time (default: CPU cores, as the app), the sharp work the app does per
 * image: metadata, for photos of 3000 px and more the 2048 px JPEG copy transformations render from (and the rest
 * made from it), EXIF-oriented thumbnail (480 px WebP) and preview (1600 px WebP), stats and a 48 px palette
 * sample. The app: the real server in-process over a temp DATA_DIR, every image uploaded (plain PUT via
 * `inject`) while its job runner is stopped, then the runner started and timed until every file is READY; that
 * adds the job queue, reading the original from the blob store into a work dir, storing the renditions and the
 * row updates. Prints thumbnails per second for both and the ratio; goal >= 0.8x.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { hasScaledCopy, scaledCopyOf } from '../src/server/services/processing/image-processor.ts';

const GOAL = 0.8;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1] ?? fallback;
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
}

const count = Number(option('count', '120'));
const size = option('size', '3000x2000');
const concurrency = Number(process.env.WORKER_CONCURRENCY) || os.availableParallelism();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-bench-thumbs-'));

console.log(`Making ${count} JPEGs of ${size}...`);
const files: string[] = [];
for (let i = 0; i < count; i++) {
  const file = path.join(work, `photo-${String(i).padStart(4, '0')}.jpg`);
  execFileSync('ffmpeg', [
    ...['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}`, '-frames:v', '1'],
    ...['-vf', `hue=h=${(i * 37) % 360},noise=alls=12:allf=t`, '-q:v', '3', file],
  ]);
  files.push(file);
}
const totalMb = files.reduce((n, f) => n + fs.statSync(f).size, 0) / 1024 ** 2;

/** What processing does per image, written as a plain sharp loop. */
async function bareOne(file: string, outDir: string): Promise<void> {
  const source = sharp(file, { failOn: 'error' });
  const meta = await source.metadata();
  const displayed = source.clone().autoOrient();
  let image = displayed;
  // The scaled copy image transformations render from (large photos only), which the rest is then made from.
  if (hasScaledCopy(meta)) {
    const copy = path.join(outDir, `${path.basename(file)}.s.jpg`);
    await scaledCopyOf(displayed).toFile(copy);
    image = sharp(copy, { failOn: 'error' });
  }
  await image
    .clone()
    .resize(480, 480, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toFile(path.join(outDir, `${path.basename(file)}.t.webp`));
  await image
    .clone()
    .resize(1600, 1600, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toFile(path.join(outDir, `${path.basename(file)}.p.webp`));
  await image.clone().stats();
  await image.clone().resize(48, 48, { fit: 'inside' }).removeAlpha().raw().toBuffer();
}

async function pool(items: string[], run: (item: string) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

const bareOut = fs.mkdtempSync(path.join(work, 'bare-'));
let t0 = performance.now();
await pool(files, (file) => bareOne(file, bareOut));
const bareS = (performance.now() - t0) / 1000;

const dataDir = fs.mkdtempSync(path.join(work, 'data-'));
const config = loadConfig(
  {},
  {
    dataDir,
    apiKey: 'bench-key-0123456789abcdef',
    staticDir: undefined,
    workerConcurrency: concurrency,
    jobPollMs: 20,
  },
);
const { app, jobs, store } = await buildApp(config);
await jobs.stop();
const ids: string[] = [];
for (const file of files) {
  const generated = await app.inject({
    method: 'POST',
    url: '/site-media/v1/files/generate-upload-url',
    headers: { authorization: 'bench-key-0123456789abcdef' },
    payload: { mimeType: 'image/jpeg', fileName: path.basename(file) },
  });
  const { uploadUrl } = generated.json<{ uploadUrl: string }>();
  const put = await app.inject({
    method: 'PUT',
    url: new URL(uploadUrl).pathname,
    headers: { 'content-type': 'image/jpeg' },
    payload: fs.readFileSync(file),
  });
  ids.push(put.json<{ file: { id: string } }>().file.id);
}
t0 = performance.now();
jobs.start();
for (;;) {
  const rows = await Promise.all(ids.map((id) => store.files.getFile(id)));
  if (rows.every((row) => row && row.operation_status !== 'PENDING')) {
    const failed = rows.filter((row) => row?.operation_status !== 'READY');
    if (failed.length > 0) throw new Error(`${failed.length} files did not become READY`);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const appS = (performance.now() - t0) / 1000;
await app.close();
fs.rmSync(work, { recursive: true, force: true });

const bareRate = count / bareS;
const appRate = count / appS;
const ratio = appRate / bareRate;
console.log(
  `\n${count} JPEGs of ${size} (${totalMb.toFixed(0)} MB), ${concurrency} at a time, ${os.cpus()[0]?.model ?? ''}\n`,
);
console.log('| run | time | thumbnails/s | vs bare |');
console.log('| --- | ---: | ---: | ---: |');
console.log(`| bare sharp loop | ${bareS.toFixed(1)} s | ${bareRate.toFixed(2)} | 1.00x |`);
console.log(`| app processing jobs | ${appS.toFixed(1)} s | ${appRate.toFixed(2)} | ${ratio.toFixed(2)}x |`);
console.log(
  `\n- ${ratio >= GOAL ? 'PASS' : 'FAIL'} app >= ${GOAL}x of the bare sharp loop: ${ratio.toFixed(2)}x`,
);
