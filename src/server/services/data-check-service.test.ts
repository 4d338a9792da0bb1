import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDataCheck, type OpenedDataCheck } from '../data-check.ts';
import { listen, storedBlobs, tusFiles } from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { formatDataCheckReport, MISSING_BYTES_REASON } from './data-check-service.ts';
import { blobKeysOf } from './processing/assets.ts';
import { DiskTusLeftovers } from './tus/leftovers.ts';

const HOUR_MS = 3600_000;
const run = promisify(execFile);

let t: TestApp;
let check: OpenedDataCheck;
beforeEach(async () => {
  t = await createTestApp({ jobPollMs: 20 });
  // The check as `npm run fsck` opens it: its own connections, from the server's settings.
  check = await openDataCheck(t.config);
});
afterEach(async () => {
  await check?.close();
  await t?.close();
});

/** A file whose blob is gone (a disk lost, a bucket emptied by hand): its row remains. */
async function fileWithoutBytes(name: string): Promise<string> {
  const file = await t.upload(`bytes of ${name}`, { fileName: name });
  await t.blobs.delete([(await t.store.files.getFile(file.id))!.blob_key]);
  return file.id;
}

/** Blobs of files whose rows a crash mid delete-forever took. */
async function orphanBlobs(count: number): Promise<string[]> {
  const ids = [];
  for (let i = 0; i < count; i++) ids.push((await t.upload(`orphan ${i}`, { fileName: `o${i}.txt` })).id);
  return (await t.store.trash.purge(ids, [])).flatMap(blobKeysOf);
}

/** A job claimed two hours ago whose runner died: its lock ran out 90 minutes ago. */
async function abandonedJob(): Promise<string> {
  const id = `job-${Math.random().toString(36).slice(2)}`;
  const then = new Date(Date.now() - 2 * HOUR_MS).toISOString();
  // A kind no runner handles: the test's own server does not take it over.
  await t.store.jobs.enqueueJob({ id, kind: 'fsck-test', payload: '{}', runAfter: then, now: then });
  const lockedUntil = new Date(Date.now() - 1.5 * HOUR_MS).toISOString();
  expect((await t.store.jobs.claimNextJob(['fsck-test'], then, lockedUntil))?.id).toBe(id);
  return id;
}

/** A resumable upload created and half sent, then abandoned. */
async function abandonedTusUpload(): Promise<void> {
  const base = await listen(t);
  const { uploadUrl, uploadToken } = await t.ok<{ uploadUrl: string; uploadToken: string }>(
    'POST',
    '/files/generate-resumable-upload-url',
    { mimeType: 'text/plain', fileName: 'half.txt', uploadProtocol: 'TUS' },
  );
  const response = await fetch(`${base}${new URL(uploadUrl).pathname}`, {
    method: 'POST',
    headers: {
      'Tus-Resumable': '1.0.0',
      'Upload-Length': '100',
      'Upload-Metadata': `token ${Buffer.from(uploadToken).toString('base64')}`,
      'Content-Type': 'application/offset+octet-stream',
    },
    body: new Uint8Array(Buffer.from('only the first forty bytes of a hundred.')),
  });
  expect(response.status, await response.text()).toBe(201);
}

describe('data check (npm run fsck)', () => {
  it('finds each kind of problem, and with repair fixes them', async () => {
    const fine = await t.upload('fine', { fileName: 'fine.txt' });
    const lost = await fileWithoutBytes('lost.txt');
    const orphans = await orphanBlobs(2);
    await abandonedTusUpload();
    const job = await abandonedJob();
    expect(await tusFiles(t)).not.toEqual([]);

    // Today: the orphans are within the grace period and the upload within its lifetime.
    const today = await check.service.check();
    expect(today.missingBytes).toMatchObject({ found: 1, repaired: 0, checked: 2 });
    expect(today.missingBytes.examples[0]).toContain(lost);
    expect(today.orphanBlobs).toMatchObject({ found: 0, inGrace: 2 });
    expect(today.tusLeftovers.found).toBe(0);
    expect(today.stuckJobs).toMatchObject({ found: 1, repaired: 0 });
    expect(today.stuckJobs.examples[0]).toContain(job);
    expect(today.problems).toBe(2);

    // A day and more later, without repair: reported, nothing changed.
    const later = Date.now() + 25 * HOUR_MS;
    const report = await check.service.check({ now: later, examples: 1 });
    expect(report.orphanBlobs).toMatchObject({ found: 2, repaired: 0, inGrace: 0 });
    expect(report.orphanBlobs.examples).toHaveLength(1);
    expect(orphans).toContain(report.orphanBlobs.examples[0]!.split(' ')[0]);
    expect(report.tusLeftovers.found).toBe(1);
    expect(report.problems).toBe(5);
    const text = formatDataCheckReport(report);
    expect(text).toContain('Files without bytes: 1 found');
    expect(text).toContain('Blobs without files: 2 found');
    expect(text).toContain('... and 1 more');
    expect(text).toContain('Run again with --repair');
    expect((await t.store.files.getFile(lost))?.operation_status).toBe('READY');
    expect((await t.store.jobs.getJob(job))?.state).toBe('running');

    const repaired = await check.service.check({ now: later, repair: true });
    expect(repaired.problems).toBe(0);
    expect(repaired.missingBytes.repaired).toBe(1);
    expect(repaired.orphanBlobs.repaired).toBe(2);
    expect(repaired.tusLeftovers.repaired).toBe(1);
    expect(repaired.stuckJobs.repaired).toBe(1);
    expect(formatDataCheckReport(repaired)).toContain('Everything found was repaired.');

    // The row is kept, and its owner sees why it is broken.
    const shown = (await t.ok('GET', `/files/get-file-by-id?fileId=${lost}`)).file;
    expect(shown.operationStatus).toBe('FAILED');
    expect(shown.failureReason).toBe(MISSING_BYTES_REASON);
    expect(await storedBlobs(t)).toEqual([(await t.store.files.getFile(fine.id))!.blob_key]);
    expect(await tusFiles(t)).toEqual([]);
    expect((await t.store.jobs.getJob(job))?.state).toBe('queued');

    const after = await check.service.check({ now: later });
    expect(after.problems).toBe(0);
    expect(after.missingBytes.alreadyMarked).toBe(1);
    expect(formatDataCheckReport(after)).toContain('No problems found.');
  }, 60_000);

  it('counts a job running for longer than the limit as stuck, however its lock is renewed', async () => {
    const id = 'job-forever';
    const then = new Date(Date.now() - 30 * HOUR_MS).toISOString();
    await t.store.jobs.enqueueJob({ id, kind: 'fsck-test', payload: '{}', runAfter: then, now: then });
    await t.store.jobs.claimNextJob(['fsck-test'], then, new Date(Date.now() + HOUR_MS).toISOString());
    const report = await check.service.check({ repair: true });
    expect(report.stuckJobs).toMatchObject({ found: 1, repaired: 1 });
    expect(report.stuckJobs.examples[0]).toContain('running since');
    // The runner that still holds it loses the claim at its next renewal.
    expect(await t.store.jobs.extendJobLock(id, 1, new Date().toISOString())).toBe(false);
  });

  it('npm run fsck: a summary, exit 1 on problems, --repair fixes them', async () => {
    const lost = await fileWithoutBytes('lost.txt');
    await abandonedJob();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: t.config.dataDir,
      ...(t.config.databaseUrl !== undefined && { DATABASE_URL: t.config.databaseUrl }),
      ...(t.config.s3 && {
        S3_ENDPOINT: t.config.s3.endpoint,
        S3_BUCKET: t.config.s3.bucket,
        S3_REGION: t.config.s3.region,
        S3_ACCESS_KEY: t.config.s3.accessKeyId ?? '',
        S3_SECRET_KEY: t.config.s3.secretAccessKey ?? '',
        S3_FORCE_PATH_STYLE: String(t.config.s3.forcePathStyle),
        S3_KEY_PREFIX: t.config.s3.keyPrefix,
      }),
    };
    const fsck = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/fsck.ts', ...args], {
        env,
        cwd: process.cwd(),
      }).then(
        (result) => ({ code: 0, stdout: result.stdout }),
        (error: { code: number; stdout: string; stderr: string }) => ({
          code: error.code,
          stdout: error.stdout + error.stderr,
        }),
      );

    const first = await fsck();
    expect(first.stdout).toContain('Files without bytes: 1 found');
    expect(first.stdout).toContain(lost);
    expect(first.stdout).toContain('Stuck jobs: 1 found');
    expect(first.code).toBe(1);

    const repair = await fsck('--repair');
    expect(repair.stdout).toContain('Everything found was repaired.');
    expect(repair.code).toBe(0);

    const again = await fsck();
    expect(again.stdout).toContain('No problems found.');
    expect(again.code).toBe(0);
    expect((await fsck('--examples', 'many')).code).toBe(2);
  }, 300_000);
});

describe.skipIf(Boolean(process.env.S3_ENDPOINT))('tus leftovers on disk', () => {
  it('finds records without bytes, bytes without records and expired uploads, and nothing newer', async () => {
    const dir = path.join(t.config.dataDir, 'tus-check');
    fs.mkdirSync(dir);
    const old = new Date(Date.now() - 2 * HOUR_MS);
    const write = (name: string, content: string, mtime?: Date) => {
      fs.writeFileSync(path.join(dir, name), content);
      if (mtime) fs.utimesSync(path.join(dir, name), mtime, mtime);
    };
    const record = (created: Date) => JSON.stringify({ id: 'x', creation_date: created.toISOString() });
    write('fresh', 'abc');
    write('fresh.json', record(new Date()));
    write('expired', 'abc');
    write('expired.json', record(old));
    write('no-bytes.json', record(new Date()));
    write('no-record-old', 'abc', old);
    write('no-record-new', 'abc');
    const leftovers = new DiskTusLeftovers(dir, HOUR_MS);
    const found = await leftovers.find(Date.now());
    expect(found.map((leftover) => leftover.id).sort()).toEqual(['expired', 'no-bytes', 'no-record-old']);
    await leftovers.remove(found);
    expect(fs.readdirSync(dir).sort()).toEqual(['fresh', 'fresh.json', 'no-record-new']);
  });
});
