/**
 * Resumable upload to S3: the app's tus endpoint on an S3 store against a direct multipart upload with the AWS
 * SDK, same file, same store, same run.
 *
 *   scripts/services/swift.sh start; set -a; eval "$(scripts/services/swift.sh env)"; set +a
 *   npx tsx bench/s3-upload.ts [--size 1G] [--rounds 1]
 *
 * Needs `S3_ENDPOINT`, `S3_BUCKET` and the credentials in the environment (the throwaway Swift above).
 * (1) `@aws-sdk/lib-storage` `Upload` of the payload file (8 MiB parts, 4 at a time: the SDK's usual way), then
 * (2) the real server (built as `npm start` runs it, blobs and tus uploads in the same bucket under their own key
 * prefix) receiving it by tus in one PATCH, then finalize; (3) the same in 8 MiB PATCHes; (4) a plain PUT to the
 * upload URL. Timed from the first request to the last answer; the app's `hash` must equal the payload's sha256.
 * With `--rounds N` the four run N times, interleaved, and each scenario's time is pooled (total bytes over total
 * time); what each round stored is deleted after it.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { addContentMd5ForDeleteObjects, s3ClientConfig } from '../src/server/blobs/s3-blob-store.ts';
import {
  buildServer,
  expectStatus,
  freePort,
  metadataHeader,
  request,
  RssSampler,
  spawnBuiltServer,
  waitForPort,
} from './lib.ts';

const MiB = 1024 ** 2;
const API_KEY = 'bench-s3-key-0123456789abcdef';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1] ?? fallback;
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
}
const sizeText = option('size', '1G');
const rounds = Math.max(1, Number(option('rounds', '1')));
/** `--only 1,2`: run these scenarios only (by number; for profiling one path). */
const only = option('only', '').split(',').filter(Boolean).map(Number);
const size =
  Number(/^(\d+)/.exec(sizeText)![1]) * { K: 1024, M: MiB, G: 1024 ** 3 }[sizeText.slice(-1) as 'G'];
const { S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION } = process.env;
if (!S3_ENDPOINT || !S3_BUCKET)
  throw new Error('Set S3_ENDPOINT, S3_BUCKET (and the keys): see the comment on top');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-bench-s3-'));
const payload = path.join(work, 'payload.bin');
console.log(`Writing a ${size / MiB} MiB random payload...`);
const digest = createHash('sha256');
const out = fs.openSync(payload, 'w');
for (let written = 0; written < size; written += 8 * MiB) {
  const chunk = randomBytes(Math.min(8 * MiB, size - written));
  digest.update(chunk);
  fs.writeSync(out, chunk);
}
fs.closeSync(out);
const sha = digest.digest('hex');
const runId = `bench-${Date.now()}`;
const credentials =
  S3_ACCESS_KEY && S3_SECRET_KEY ? { accessKeyId: S3_ACCESS_KEY, secretAccessKey: S3_SECRET_KEY } : undefined;
const client = new S3Client(
  s3ClientConfig({
    endpoint: S3_ENDPOINT,
    region: S3_REGION ?? 'us-east-1',
    forcePathStyle: true,
    ...(credentials && { credentials }),
  }),
);

// Swift wants Content-MD5 on DeleteObjects (for `clearRun`).
addContentMd5ForDeleteObjects(client);

/** Seconds of each scenario, per round. */
const times = new Map<string, number[]>();
async function timed(name: string, run: () => Promise<string>): Promise<number> {
  process.stdout.write(`${name}... `);
  const t0 = performance.now();
  const check = await run();
  const s = (performance.now() - t0) / 1000;
  console.log(`${s.toFixed(1)} s (${check})`);
  times.set(name, [...(times.get(name) ?? []), s]);
  return s;
}

/** Deletes what a round stored under the run's prefix. */
async function clearRun(): Promise<void> {
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: S3_BUCKET, Prefix: `${runId}/` }));
    const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
    if (keys.length === 0) return;
    await client.send(
      new DeleteObjectsCommand({ Bucket: S3_BUCKET, Delete: { Objects: keys, Quiet: true } }),
    );
  }
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
buildServer();
const server = spawnBuiltServer({
  PORT: String(port),
  DATA_DIR: path.join(work, 'data'),
  MEDIA_API_KEY: API_KEY,
  PUBLIC_URL: base,
  S3_KEY_PREFIX: `${runId}/`,
});
const rss = new RssSampler(server.pid!);
try {
  await waitForPort(port, server);
  const sdk = async () => {
    await new Upload({
      client,
      params: { Bucket: S3_BUCKET, Key: `${runId}/direct.bin`, Body: fs.createReadStream(payload) },
      partSize: 8 * MiB,
      queueSize: 4,
    }).done();
    return 'ok';
  };
  const tus = (chunk: number) => async () => {
    const generated = await request(
      `${base}/site-media/v1/files/generate-resumable-upload-url`,
      'POST',
      { Authorization: API_KEY, 'Content-Type': 'application/json' },
      JSON.stringify({
        mimeType: 'application/octet-stream',
        fileName: 'bench.bin',
        sizeInBytes: String(size),
      }),
    );
    expectStatus(generated, 200, 'generate-resumable-upload-url');
    const { uploadUrl, uploadToken } = JSON.parse(generated.text) as {
      uploadUrl: string;
      uploadToken: string;
    };
    const created = await request(uploadUrl, 'POST', {
      'Tus-Resumable': '1.0.0',
      'Upload-Length': String(size),
      'Upload-Metadata': metadataHeader({ token: uploadToken, filename: 'bench.bin' }),
    });
    expectStatus(created, 201, 'tus POST');
    const location = new URL(String(created.headers.location), uploadUrl).href;
    for (let offset = 0; offset < size;) {
      const length = Math.min(chunk, size - offset);
      const answer = await request(
        location,
        'PATCH',
        {
          'Tus-Resumable': '1.0.0',
          'Upload-Offset': String(offset),
          'Content-Type': 'application/offset+octet-stream',
          'Content-Length': String(length),
        },
        fs.createReadStream(payload, { start: offset, end: offset + length - 1, highWaterMark: MiB }),
      );
      expectStatus(answer, 204, 'tus PATCH');
      offset += length;
    }
    const final = await request(`${uploadUrl}/${uploadToken}?filename=bench.bin`, 'PUT', {});
    expectStatus(final, 200, 'finalize');
    const { file } = JSON.parse(final.text) as { file: { hash: string } };
    if (file.hash !== sha) throw new Error(`hash mismatch ${file.hash}`);
    return 'hash ok';
  };
  const plain = async () => {
    const generated = await request(
      `${base}/site-media/v1/files/generate-upload-url`,
      'POST',
      { Authorization: API_KEY, 'Content-Type': 'application/json' },
      JSON.stringify({ mimeType: 'application/octet-stream', fileName: 'bench.bin' }),
    );
    expectStatus(generated, 200, 'generate-upload-url');
    const { uploadUrl } = JSON.parse(generated.text) as { uploadUrl: string };
    const answer = await request(
      uploadUrl,
      'PUT',
      { 'Content-Length': String(size), 'Content-Type': 'application/octet-stream' },
      fs.createReadStream(payload, { highWaterMark: MiB }),
    );
    expectStatus(answer, 200, 'plain PUT');
    const { file } = JSON.parse(answer.text) as { file: { hash: string } };
    if (file.hash !== sha) throw new Error(`hash mismatch ${file.hash}`);
    return 'hash ok';
  };
  const SDK = '(1) AWS SDK multipart upload (8 MiB parts, 4 at a time)';
  const scenarios = (
    [
      [SDK, sdk],
      ['(2) app tus on S3, one PATCH + finalize', tus(Infinity)],
      ['(3) app tus on S3, 8 MiB PATCHes + finalize', tus(8 * MiB)],
      ['(4) app plain PUT', plain],
    ] as Array<[string, () => Promise<string>]>
  ).filter((_, i) => only.length === 0 || only.includes(i + 1));
  rss.reset();
  for (let round = 1; round <= rounds; round++) {
    console.log(`round ${round} of ${rounds}`);
    for (const [name, run] of scenarios) await timed(name, run);
    rss.sample();
    await clearRun();
  }
  rss.sample();
  const pooled = (name: string) => (times.get(name) ?? []).reduce((a, b) => a + b, 0) / rounds;
  console.log(
    `\n${size / MiB} MiB x ${rounds} rounds, ${os.cpus()[0]?.model ?? ''}, ${os.availableParallelism()} cores, store ${S3_ENDPOINT}\n`,
  );
  console.log('| scenario | time (mean) | MB/s (pooled) | vs the SDK |\n| --- | ---: | ---: | ---: |');
  for (const [name] of scenarios) {
    const s = pooled(name);
    console.log(
      `| ${name} | ${s.toFixed(2)} s | ${(size / MiB / s).toFixed(0)} | ${(pooled(SDK) / s).toFixed(2)}x |`,
    );
  }
  console.log(`\nserver RSS ${rss.start.toFixed(0)} → ${rss.peak.toFixed(0)} MB`);
} finally {
  rss.stop();
  server.kill('SIGTERM');
  client.destroy();
  fs.rmSync(work, { recursive: true, force: true });
}
