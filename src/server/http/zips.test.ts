/**
 * Zip downloads: `POST /files/generate-download-url`, `POST /folders/{id}/generate-download-url` and the
 * capability URL they hand out. Every zip is checked with Info-ZIP's own tools (`unzip -t`, `unzip -Z1`, a
 * real extraction into a temp dir), so the archive is judged by what users run, not by the library that wrote
 * it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createClient } from '@wix/sdk';
import { files as wixFiles, folders as wixFolders } from '@wix/media';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApplicationErrorBody, ValidationErrorBody } from '../../contract/index.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { DirectoryNames, sanitizeSegment } from '../services/zip-names.ts';
import { ZIP_READ_AHEAD } from '../services/zip-stream.ts';
import type { FileRow } from '../stores/schema.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';

// ---- helpers ---------------------------------------------------------------------------------------------

const PUBLIC_URL = 'http://media.test';

/** Output of unzip listings for 1000 entries: well past child_process's 1 MiB default. */
const MAX_BUFFER = 64 * 1024 * 1024;

interface Unzipped {
  /** Entry names in archive order (`unzip -Z1`), directories with a trailing `/`. */
  names: string[];
  /** Extracted files by relative path, with their bytes. */
  files: Map<string, Buffer>;
  /** Extracted directories by relative path. */
  dirs: string[];
  /** Compression method of each entry (`unzip -Zv`). */
  methods: string[];
}

/** Tests and extracts a zip with Info-ZIP unzip; fails the test if unzip finds anything wrong. */
function unzip(zip: Buffer): Unzipped {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-unzip-'));
  try {
    const file = path.join(dir, 'archive.zip');
    fs.writeFileSync(file, zip);
    const test = spawnSync('unzip', ['-t', file], { encoding: 'utf8', maxBuffer: MAX_BUFFER });
    expect(test.status, `unzip -t: ${test.stdout}${test.stderr}`).toBe(0);
    expect(test.stdout).toContain('No errors detected');
    const names = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8', maxBuffer: MAX_BUFFER })
      .split('\n')
      .filter(Boolean);
    const methods = [
      ...execFileSync('unzip', ['-Zv', file], { encoding: 'utf8', maxBuffer: MAX_BUFFER }).matchAll(
        /compression method:\s+(.+)/g,
      ),
    ].map((m) => m[1]!.trim());
    const out = path.join(dir, 'out');
    execFileSync('unzip', ['-q', file, '-d', out]);
    // Nothing was written beside the target directory.
    expect(fs.readdirSync(dir).sort()).toEqual(['archive.zip', 'out']);
    const files = new Map<string, Buffer>();
    const dirs: string[] = [];
    for (const entry of fs.readdirSync(out, { recursive: true, withFileTypes: true })) {
      const relative = path.relative(out, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
      if (entry.isDirectory()) dirs.push(relative);
      else files.set(relative, fs.readFileSync(path.join(entry.parentPath, entry.name)));
    }
    return { names, files, dirs: dirs.sort(), methods };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function expectAppError(
  response: LightMyRequestResponse,
  status: number,
  code: string,
): ApplicationErrorBody {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json<ApplicationErrorBody>();
  expect(typeof body.message).toBe('string');
  expect(body.details.applicationError.code).toBe(code);
  return body;
}

function expectViolation(response: LightMyRequestResponse, field: string): string {
  expect(response.statusCode, response.body).toBe(400);
  const violations = response.json<ValidationErrorBody>().details.validationError.fieldViolations;
  const violation = violations.find((v) => v.field === field);
  expect(violation, response.body).toBeDefined();
  return violation!.description;
}

async function filesZipUrl(t: TestApp, fileIds: string[]): Promise<string> {
  const body = await t.ok<Record<string, unknown>>('POST', '/files/generate-download-url', { fileIds });
  expect(Object.keys(body)).toEqual(['downloadUrl']);
  return body.downloadUrl as string;
}

async function folderZipUrl(t: TestApp, folderId: string, body: unknown = {}): Promise<string> {
  const url = `/folders/${encodeURIComponent(folderId)}/generate-download-url`;
  return (await t.ok<{ downloadUrl: string }>('POST', url, body)).downloadUrl;
}

/** GET of a zip URL the way a browser would: no API key, no cookie. */
function fetchZip(t: TestApp, url: string, method: 'GET' | 'HEAD' = 'GET'): Promise<LightMyRequestResponse> {
  expect(url.startsWith(`${PUBLIC_URL}/download/v1/zip/`)).toBe(true);
  return t.app.inject({ method, url: new URL(url).pathname });
}

async function downloadZip(t: TestApp, url: string): Promise<Unzipped> {
  const response = await fetchZip(t, url);
  expect(response.statusCode, response.body).toBe(200);
  return unzip(response.rawPayload);
}

/** A file row like `template` under a new id: fills folders with many files without uploading each. */
async function cloneFile(
  t: TestApp,
  template: FileRow,
  overrides: Partial<FileRow> & { parent_folder_id: string },
): Promise<string> {
  const id = `${randomBytes(16).toString('hex')}.txt`;
  await t.store.files.insertFile({
    ...template,
    id,
    location_id: overrides.parent_folder_id,
    ...overrides,
  });
  return id;
}

/** Counts the blob streams the server opens and closes, to see how many are open at once. */
function trackBlobs(t: TestApp) {
  const state = { opened: 0, open: 0, maxOpen: 0 };
  const get = t.blobs.get.bind(t.blobs);
  vi.spyOn(t.blobs, 'get').mockImplementation(async (key, range) => {
    const stream: Readable = await get(key, range);
    state.opened++;
    state.open++;
    state.maxOpen = Math.max(state.maxOpen, state.open);
    // Done once read to the end (the descriptor is closed asynchronously after that) or destroyed.
    let done = false;
    const finish = () => {
      if (!done) state.open--;
      done = true;
    };
    stream.once('end', finish);
    stream.once('close', finish);
    return stream;
  });
  return state;
}

/** A buffer of `size` bytes that is not all the same (so a mix-up of offsets would show). */
function patterned(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4) out.writeUInt32LE((i * 2654435761 + seed) >>> 0, i);
  return out;
}

// ---- tests -----------------------------------------------------------------------------------------------

describe('zip of several files', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({ publicUrl: PUBLIC_URL });
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await t.close();
  });

  it('zips the files in the order given, stored, with their exact bytes; ids and media URIs alike', async () => {
    const binary = randomBytes(200_000);
    const a = await t.upload('first file', { fileName: 'a.txt' });
    const b = await t.upload(binary, { fileName: 'photo.png', mimeType: 'image/png' });
    const c = await t.upload('c', { fileName: 'c.txt' });
    const url = await filesZipUrl(t, [
      c.id,
      `wix:image://v1/${b.id}/photo.png#originWidth=1&originHeight=1`,
      a.id,
    ]);

    const zip = await downloadZip(t, url);
    expect(zip.names).toEqual(['c.txt', 'photo.png', 'a.txt']);
    expect(zip.files.get('a.txt')!.toString()).toBe('first file');
    expect(zip.files.get('photo.png')!.equals(binary)).toBe(true);
    expect(zip.files.get('c.txt')!.toString()).toBe('c');
    expect(zip.methods).toEqual(['none (stored)', 'none (stored)', 'none (stored)']);
  });

  it('answers application/zip as an attachment named files.zip, with the user-content headers', async () => {
    const a = await t.upload('x', { fileName: 'a.txt' });
    const response = await fetchZip(t, await filesZipUrl(t, [a.id]));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toBe('attachment; filename="files.zip"');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(String(response.headers['content-security-policy']).split(/[;\s]+/)).toContain('sandbox');
    expect(response.headers['cache-control']).toContain('no-transform');
    expect(response.rawPayload.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
  });

  it('needs no API key, and survives a restart (the URL does not expire)', async () => {
    const a = await t.upload('kept', { fileName: 'a.txt' });
    const url = await filesZipUrl(t, [a.id]);
    // fetchZip sends no Authorization header and no cookie.
    expect((await downloadZip(t, url)).files.get('a.txt')!.toString()).toBe('kept');

    await t.app.close();
    const config = loadConfig(
      {},
      {
        dataDir: t.dataDir,
        databaseUrl: t.config.databaseUrl,
        s3: t.config.s3,
        apiKey: TEST_API_KEY,
        staticDir: undefined,
        publicUrl: PUBLIC_URL,
      },
    );
    const again = await buildApp(config);
    try {
      const response = await again.app.inject({ method: 'GET', url: new URL(url).pathname });
      expect(response.statusCode).toBe(200);
      expect(unzip(response.rawPayload).files.get('a.txt')!.toString()).toBe('kept');
    } finally {
      await again.app.close();
    }
  });

  it('answers 404 for a made-up, altered or malformed token', async () => {
    const a = await t.upload('x', { fileName: 'a.txt' });
    const url = await filesZipUrl(t, [a.id]);
    const token = url.split('/').at(-1)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [
      randomBytes(32).toString('base64url'),
      altered,
      'short',
      `${token}x`,
      '..%2F..%2Fetc',
    ]) {
      const response = await t.app.inject({ method: 'GET', url: `/download/v1/zip/${bad}` });
      expectAppError(response, 404, 'RESOURCE_NOT_FOUND');
    }
    // Every generate call mints a fresh token.
    expect(await filesZipUrl(t, [a.id])).not.toBe(url);
  });

  it('stores only the token hash', async () => {
    const a = await t.upload('x', { fileName: 'a.txt' });
    const token = (await filesZipUrl(t, [a.id])).split('/').at(-1)!;
    const tables = ['zip_downloads', 'files', 'folders', 'upload_tokens', 'sessions', 'jobs'] as const;
    for (const table of tables) {
      const rows = await t.store.db.selectFrom(table).selectAll().execute();
      expect(JSON.stringify(rows).includes(token), table).toBe(false);
    }
    if (t.store.dialect === 'sqlite') {
      const db = fs.readFileSync(path.join(t.dataDir, 'metadata.sqlite'));
      const wal = path.join(t.dataDir, 'metadata.sqlite-wal');
      const all = Buffer.concat([db, fs.existsSync(wal) ? fs.readFileSync(wal) : Buffer.alloc(0)]);
      expect(all.includes(Buffer.from(token))).toBe(false);
    }
  });

  it('leaves private files out, and answers 400 when nothing but private files is left', async () => {
    const open = await t.upload('public bytes', { fileName: 'open.txt' });
    const secret = await t.upload('private bytes', { fileName: 'secret.txt', private: true });
    const zip = await downloadZip(t, await filesZipUrl(t, [secret.id, open.id]));
    expect(zip.names).toEqual(['open.txt']);

    const response = await t.api('POST', '/files/generate-download-url', { fileIds: [secret.id] });
    expect(expectViolation(response, 'fileIds')).toMatch(/private/);
  });

  it('de-duplicates entry names, case-insensitively, as name (2).ext', async () => {
    const ids: string[] = [];
    for (const [i, name] of [
      'photo.jpg',
      'photo.jpg',
      'Photo.JPG',
      'notes',
      'notes',
      'photo (2).jpg',
    ].entries()) {
      ids.push((await t.upload(`content ${i}`, { fileName: name })).id);
    }
    const zip = await downloadZip(t, await filesZipUrl(t, ids));
    expect(zip.names).toEqual([
      'photo.jpg',
      'photo (2).jpg',
      'Photo (3).JPG',
      'notes',
      'notes (2)',
      'photo (2) (2).jpg',
    ]);
    expect(zip.names.map((n) => zip.files.get(n)!.toString())).toEqual(ids.map((_, i) => `content ${i}`));
  });

  it('puts a file named twice in once', async () => {
    const a = await t.upload('once', { fileName: 'a.txt' });
    const zip = await downloadZip(t, await filesZipUrl(t, [a.id, `wix:document://v1/${a.id}/a.txt`, a.id]));
    expect(zip.names).toEqual(['a.txt']);
  });

  it('includes files in the trash (downloadable until purged) and skips files purged since', async () => {
    const kept = await t.upload('kept', { fileName: 'kept.txt' });
    const trashed = await t.upload('trashed', { fileName: 'trashed.txt' });
    const purged = await t.upload('purged', { fileName: 'purged.txt' });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [trashed.id] });
    const url = await filesZipUrl(t, [kept.id, trashed.id, purged.id]);
    await t.ok('POST', '/bulk/files/delete', { fileIds: [purged.id], permanent: true });
    expect((await downloadZip(t, url)).names).toEqual(['kept.txt', 'trashed.txt']);

    await t.ok('POST', '/bulk/files/delete', { fileIds: [kept.id, trashed.id], permanent: true });
    expectAppError(await fetchZip(t, url), 404, 'RESOURCE_NOT_FOUND');
  });

  it('answers 404 naming unknown ids, and 400 for no ids or more than 1000', async () => {
    const a = await t.upload('x', { fileName: 'a.txt' });
    const unknown = await t.api('POST', '/files/generate-download-url', { fileIds: [a.id, 'no-such-file'] });
    const body = expectAppError(unknown, 404, 'RESOURCE_NOT_FOUND');
    expect(body.details.applicationError.data).toEqual({ ids: ['no-such-file'] });

    expectViolation(await t.api('POST', '/files/generate-download-url', { fileIds: [] }), 'fileIds');
    expectViolation(await t.api('POST', '/files/generate-download-url', {}), 'fileIds');
    const tooMany = Array.from({ length: 1001 }, () => a.id);
    const description = expectViolation(
      await t.api('POST', '/files/generate-download-url', { fileIds: tooMany }),
      'fileIds',
    );
    expect(description).toContain('1000');
    // Exactly 1000 is fine.
    await filesZipUrl(t, tooMany.slice(0, 1000));
  });

  it('answers HEAD with the headers, without reading any bytes', async () => {
    const a = await t.upload('x', { fileName: 'a.txt' });
    const url = await filesZipUrl(t, [a.id]);
    const blobs = trackBlobs(t);
    const response = await fetchZip(t, url, 'HEAD');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toBe('attachment; filename="files.zip"');
    expect(response.headers['content-length']).toBeUndefined();
    expect(response.rawPayload.length).toBe(0);
    expect(blobs.opened).toBe(0);
    expect((await t.app.inject({ method: 'HEAD', url: '/download/v1/zip/nope' })).statusCode).toBe(404);
  });
});

describe('zip of a folder', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({ publicUrl: PUBLIC_URL });
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await t.close();
  });

  it('keeps the tree of live items, relative to the folder; leaves out trash, private files and the rest', async () => {
    const album = await t.createFolder('Album');
    const summer = await t.createFolder('summer', album.id);
    const july = await t.createFolder('july', summer.id);
    await t.createFolder('empty', album.id);
    const gone = await t.createFolder('gone', album.id);
    const big = randomBytes(300_000);
    await t.upload('cover', { fileName: 'cover.txt', parentFolderId: album.id });
    await t.upload(big, { fileName: 'beach.png', mimeType: 'image/png', parentFolderId: summer.id });
    await t.upload('fireworks', { fileName: 'fireworks.txt', parentFolderId: july.id });
    await t.upload('private', { fileName: 'secret.txt', parentFolderId: summer.id, private: true });
    const trashed = await t.upload('trashed', { fileName: 'trashed.txt', parentFolderId: album.id });
    await t.upload('in trashed folder', { fileName: 'lost.txt', parentFolderId: gone.id });
    await t.upload('elsewhere', { fileName: 'outside.txt' });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [trashed.id] });
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [gone.id] });

    const url = await folderZipUrl(t, album.id);
    const response = await fetchZip(t, url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="Album.zip"');
    const zip = unzip(response.rawPayload);
    // Depth first, by name: a folder's files, then each sub-folder (a directory entry, then its contents).
    expect(zip.names).toEqual([
      'cover.txt',
      'empty/',
      'summer/',
      'summer/beach.png',
      'summer/july/',
      'summer/july/fireworks.txt',
    ]);
    expect(zip.dirs).toEqual(['empty', 'summer', 'summer/july']);
    expect([...zip.files.keys()].sort()).toEqual([
      'cover.txt',
      'summer/beach.png',
      'summer/july/fireworks.txt',
    ]);
    expect(zip.files.get('cover.txt')!.toString()).toBe('cover');
    expect(zip.files.get('summer/beach.png')!.equals(big)).toBe(true);
    expect(zip.files.get('summer/july/fireworks.txt')!.toString()).toBe('fireworks');
    expect(new Set(zip.methods)).toEqual(new Set(['none (stored)']));
  });

  it('de-duplicates names within each directory, files and folders alike', async () => {
    const root = await t.createFolder('root');
    const dupA = await t.createFolder('dup', root.id);
    const dupB = await t.createFolder('DUP', root.id);
    await t.createFolder('x', root.id);
    await t.upload('file x', { fileName: 'x', parentFolderId: root.id });
    await t.upload('in a', { fileName: 'same.txt', parentFolderId: dupA.id });
    await t.upload('in b', { fileName: 'same.txt', parentFolderId: dupB.id });
    await t.upload('second', { fileName: 'same.txt', parentFolderId: dupB.id });

    const zip = await downloadZip(t, await folderZipUrl(t, root.id));
    // Files take their names first; then the folders, by name: "dup" and "DUP" collide (which one comes first
    // is up to their ids), and the folder "x" meets the file "x".
    expect(zip.names.filter((n) => n.endsWith('/'))).toHaveLength(3);
    expect(zip.names).toContain('x');
    expect(zip.names).toContain('x (2)/');
    const dupDirs = zip.names.filter((n) => /^(dup|DUP)( \(2\))?\/$/i.test(n));
    expect(dupDirs).toHaveLength(2);
    expect(new Set(dupDirs.map((d) => d.toLowerCase())).size).toBe(2);
    // Each duplicate folder keeps its own contents; inside one folder the second same.txt is renamed.
    const contents = new Map([...zip.files].map(([name, bytes]) => [name, bytes.toString()]));
    expect([...contents.values()].sort()).toEqual(['file x', 'in a', 'in b', 'second']);
    // Two files of one name in one folder: the second (by id, as names tie) becomes "same (2).txt".
    const withTwo = dupDirs.find((d) => contents.has(`${d}same (2).txt`))!;
    expect([contents.get(`${withTwo}same.txt`), contents.get(`${withTwo}same (2).txt`)].sort()).toEqual([
      'in b',
      'second',
    ]);
  });

  it('gives an empty folder a valid empty zip, and keeps empty sub-folders as directories', async () => {
    const nothing = await t.createFolder('nothing');
    const response = await fetchZip(t, await folderZipUrl(t, nothing.id));
    expect(response.statusCode).toBe(200);
    // Just the end-of-central-directory record, zero entries: every unzip opens it as an empty archive.
    expect(response.rawPayload.length).toBe(22);
    expect(response.rawPayload.readUInt32LE(0)).toBe(0x06054b50);
    expect(response.rawPayload.readUInt16LE(10)).toBe(0);

    const parent = await t.createFolder('parent');
    await t.createFolder('child', parent.id);
    expect((await downloadZip(t, await folderZipUrl(t, parent.id))).dirs).toEqual(['child']);
  });

  it('zips the folder as it is at download time', async () => {
    const folder = await t.createFolder('live');
    await t.upload('before', { fileName: 'before.txt', parentFolderId: folder.id });
    const url = await folderZipUrl(t, folder.id);
    await t.upload('after', { fileName: 'after.txt', parentFolderId: folder.id });
    expect((await downloadZip(t, url)).names).toEqual(['after.txt', 'before.txt']);

    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id] });
    expectAppError(await fetchZip(t, url), 409, 'FAILED_PRECONDITION');
    await t.ok('POST', '/bulk/trash-bin/folders/restore', { folderIds: [folder.id] });
    expect((await fetchZip(t, url)).statusCode).toBe(200);
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id], permanent: true });
    expectAppError(await fetchZip(t, url), 404, 'RESOURCE_NOT_FOUND');
  });

  it('zips media-root as "Site Files.zip", and refuses the trash', async () => {
    await t.upload('top', { fileName: 'top.txt' });
    const folder = await t.createFolder('nested');
    await t.upload('deep', { fileName: 'deep.txt', parentFolderId: folder.id });
    const response = await fetchZip(t, await folderZipUrl(t, 'media-root'));
    expect(response.headers['content-disposition']).toBe('attachment; filename="Site Files.zip"');
    expect(unzip(response.rawPayload).names).toEqual(['top.txt', 'nested/', 'nested/deep.txt']);

    expectViolation(await t.api('POST', '/folders/trash-root/generate-download-url', {}), 'folderId');
  });

  it('answers 404 for an unknown folder and 409 for one in the trash', async () => {
    const unknown = await t.api('POST', '/folders/no-such-folder/generate-download-url', {});
    expectAppError(unknown, 404, 'RESOURCE_NOT_FOUND');
    const folder = await t.createFolder('bin me');
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id] });
    expectAppError(
      await t.api('POST', `/folders/${folder.id}/generate-download-url`, {}),
      409,
      'FAILED_PRECONDITION',
    );
  });

  it('accepts the folderId repeated in the body, and refuses a different one', async () => {
    const folder = await t.createFolder('f');
    const other = await t.createFolder('g');
    await folderZipUrl(t, folder.id, { folderId: folder.id });
    const response = await t.api('POST', `/folders/${folder.id}/generate-download-url`, {
      folderId: other.id,
    });
    expectViolation(response, 'folderId');
  });

  it('zips exactly 1000 files across sub-folders, and refuses 1001 with a 400 naming the limit', async () => {
    const template = (await t.store.files.getFile((await t.upload('same bytes', { fileName: 't.txt' })).id))!;
    const top = await t.createFolder('many');
    const sub = await t.createFolder('sub', top.id);
    for (let i = 0; i < 1000; i++) {
      const parent = i % 2 === 0 ? top.id : sub.id;
      await cloneFile(t, template, {
        parent_folder_id: parent,
        display_name: `file ${String(i).padStart(4, '0')}.txt`,
        sort_name: `file ${String(i).padStart(4, '0')}.txt`,
      });
    }
    // Private files do not count: they never go in.
    await cloneFile(t, template, { parent_folder_id: sub.id, private: 1 });
    const url = await folderZipUrl(t, top.id);
    const blobs = trackBlobs(t);
    const zip = await downloadZip(t, url);
    expect(zip.files.size).toBe(1000);
    expect(zip.names.filter((n) => n.startsWith('sub/') && !n.endsWith('/'))).toHaveLength(500);
    expect([...zip.files.values()].every((b) => b.toString() === 'same bytes')).toBe(true);
    expect(blobs.opened).toBe(1000);
    // The blob being read, and at most ZIP_READ_AHEAD more opened ahead (one chunk of each read).
    expect(blobs.maxOpen).toBeGreaterThan(1);
    expect(blobs.maxOpen).toBeLessThanOrEqual(ZIP_READ_AHEAD + 1);
    expect(blobs.open).toBe(0);

    await cloneFile(t, template, { parent_folder_id: sub.id });
    const response = await t.api('POST', `/folders/${top.id}/generate-download-url`, {});
    expect(expectViolation(response, 'folderId')).toContain('1000');
    // The URL handed out earlier now answers 409 with the same reason.
    const late = expectAppError(await fetchZip(t, url), 409, 'FAILED_PRECONDITION');
    expect(late.message).toContain('1000');
    // 1000 rows inserted one transaction at a time: over PostgreSQL on a busy machine that takes a few seconds.
  }, 20_000);
});

describe('zip of a selection (files and folders, /site-media-ext/v1 extension)', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({ publicUrl: PUBLIC_URL });
  });

  afterEach(async () => {
    await t.close();
  });

  const generate = (body: unknown, authorization: string | null = TEST_API_KEY) =>
    t.app.inject({
      method: 'POST',
      url: '/site-media-ext/v1/zips/generate-download-url',
      headers: authorization ? { authorization } : {},
      payload: body as object,
    });

  it('zips named files at the top and named folders with their trees, as files.zip', async () => {
    const album = await t.createFolder('Album');
    const inner = await t.createFolder('Inner', album.id);
    await t.upload('a', { parentFolderId: album.id, fileName: 'a.txt' });
    await t.upload('b', { parentFolderId: inner.id, fileName: 'b.txt' });
    const x = await t.upload('x', { fileName: 'x.txt' });
    const y = await t.upload('y', { fileName: 'album' });
    const trashed = await t.createFolder('Old', album.id);
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [trashed.id] });

    const response = await generate({ fileIds: [x.id, y.id], folderIds: [album.id] });
    expect(response.statusCode, response.body).toBe(200);
    const url = response.json<{ downloadUrl: string }>().downloadUrl;
    const fetched = await fetchZip(t, url);
    expect(fetched.headers['content-disposition']).toContain('files.zip');
    const zip = unzip(fetched.rawPayload);
    // Files take their names first; the folder named like a file becomes "Album (2)".
    expect(zip.names).toEqual([
      'x.txt',
      'album',
      'Album (2)/',
      'Album (2)/a.txt',
      'Album (2)/Inner/',
      'Album (2)/Inner/b.txt',
    ]);
    expect(zip.files.get('Album (2)/Inner/b.txt')?.toString()).toBe('b');
  });

  it('refuses more than 1000 files in all with a sentence naming the limit, before any download', async () => {
    const template = (await t.store.files.getFile((await t.upload('same', { fileName: 't.txt' })).id))!;
    const top = await t.createFolder('many');
    for (let i = 0; i < 1000; i++) {
      await cloneFile(t, template, {
        parent_folder_id: top.id,
        display_name: `f${i}.txt`,
        sort_name: `f${i}.txt`,
      });
    }
    const response = await generate({ fileIds: [template.id], folderIds: [top.id] });
    expect(expectViolation(response, 'folderIds')).toMatch(/^the selection holds more than 1000 files/);
  }, 20_000);

  it('answers 404 for unknown ids, 409 for a folder in the trash, 400 for nothing named or a root of trash', async () => {
    const folder = await t.createFolder('F');
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.id] });
    expectAppError(await generate({ folderIds: ['nope'] }), 404, 'RESOURCE_NOT_FOUND');
    expectAppError(await generate({ fileIds: ['nope'] }), 404, 'RESOURCE_NOT_FOUND');
    expectAppError(await generate({ folderIds: [folder.id] }), 409, 'FAILED_PRECONDITION');
    expect((await generate({})).statusCode).toBe(400);
    expect((await generate({ folderIds: ['trash-root'] })).statusCode).toBe(400);
  });

  it('needs the admin key', async () => {
    const file = await t.upload('x', { fileName: 'x.txt' });
    expect((await generate({ fileIds: [file.id] }, null)).statusCode).toBe(401);
  });
});

describe('zip entry names', () => {
  it('sanitises what could escape the target directory', () => {
    expect(sanitizeSegment('../../etc/passwd', true)).toBe('.._.._etc_passwd');
    expect(sanitizeSegment('..', false)).toBe('__');
    expect(sanitizeSegment('.', false)).toBe('_');
    expect(sanitizeSegment('a\\b', true)).toBe('a_b');
    expect(sanitizeSegment('/abs', true)).toBe('_abs');
    expect(sanitizeSegment('C:evil.txt', true)).toBe('C_evil.txt');
    expect(sanitizeSegment('tab\there\u0000nul\u2028', true)).toBe('tab_here_nul_');
    expect(sanitizeSegment('  spaced  ', true)).toBe('spaced');
    expect(sanitizeSegment('', true)).toBe('unnamed');
    expect(sanitizeSegment('e\u0301.txt', true)).toBe('\u00e9.txt');
  });

  it('keeps every segment within 255 UTF-8 bytes, keeping the extension', () => {
    const long = sanitizeSegment(`${'é'.repeat(300)}.jpeg`, true);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(255);
    expect(long.endsWith('é.jpeg')).toBe(true);
    const names = new DirectoryNames();
    expect(names.take(long, true)).toBe(long);
    const second = names.take(long, true);
    expect(Buffer.byteLength(second)).toBeLessThanOrEqual(255);
    expect(second.endsWith(' (2).jpeg')).toBe(true);
  });

  it('numbers duplicates before the extension of files, at the end of folders', () => {
    const names = new DirectoryNames();
    expect(
      ['a.txt', 'A.TXT', 'a.txt', '.env', '.env', 'v1.0', 'v1.0'].map((n) => names.take(n, true)),
    ).toEqual(['a.txt', 'A (2).TXT', 'a (3).txt', '.env', '.env (2)', 'v1.0', 'v1 (2).0']);
    expect(names.take('a.txt', false)).toBe('a.txt (2)');
  });

  it('extracts stored rows with hostile names inside the target directory', async () => {
    const t = await createTestApp({ publicUrl: PUBLIC_URL });
    try {
      const folder = await t.createFolder('safe');
      const template = (await t.store.files.getFile((await t.upload('bytes', { fileName: 't.txt' })).id))!;
      // Names the API refuses today, written straight into the store as an old or foreign row could be (on
      // SQLite: PostgreSQL text cannot hold a NUL at all).
      const names = [
        '../../escape.txt',
        '/etc/passwd',
        '..\\..\\win.txt',
        'C:\\x.txt',
        ...(t.store.dialect === 'sqlite' ? ['nul\u0000.txt'] : []),
      ];
      for (const name of names) {
        await cloneFile(t, template, { parent_folder_id: folder.id, display_name: name, sort_name: name });
      }
      await t.store.folders.insertFolder({
        id: randomBytes(16).toString('hex'),
        parent_folder_id: folder.id,
        location_id: folder.id,
        root: 'MEDIA_ROOT',
        scope: 'MEDIA_ROOT',
        state: 'OK',
        trash_batch: null,
        display_name: '..',
        sort_name: '..',
        created_date: new Date().toISOString(),
        updated_date: new Date().toISOString(),
      });
      const zip = await downloadZip(t, await folderZipUrl(t, folder.id));
      expect(zip.files.size).toBe(names.length);
      for (const name of zip.names) {
        expect(name.startsWith('/')).toBe(false);
        expect(name.split('/')).not.toContain('..');
        expect(name.includes('\\') || name.includes('\u0000')).toBe(false);
      }
      expect(zip.dirs).toEqual(['__']);
    } finally {
      await t.close();
    }
  });
});

describe('zip streaming over a real connection', () => {
  let t: TestApp;
  let base: string;

  beforeEach(async () => {
    t = await createTestApp({ publicUrl: PUBLIC_URL });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await t.close();
  });

  function local(url: string): string {
    return base + new URL(url).pathname;
  }

  it('streams with chunked encoding and backpressure: the blob being read (and the next opened ahead), stalled while the client reads nothing', async () => {
    const size = 16 * 1024 * 1024;
    const first = await t.upload(patterned(size, 1), {
      fileName: 'one.bin',
      mimeType: 'application/octet-stream',
    });
    const second = await t.upload(patterned(size, 2), {
      fileName: 'two.bin',
      mimeType: 'application/octet-stream',
    });
    const url = local(await filesZipUrl(t, [first.id, second.id]));
    const blobs = trackBlobs(t);

    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(url, resolve).on('error', reject);
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['transfer-encoding']).toBe('chunked');
    expect(response.headers['content-length']).toBeUndefined();
    response.pause();
    // Give the server time to run ahead if it were going to: it must not get past the first blob (the second
    // is open, ready to follow, with at most one chunk of it read).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(blobs.opened).toBe(2);
    expect(blobs.open).toBe(2);

    // The client goes away: both blobs are closed, and nothing more is opened.
    response.destroy();
    await vi.waitFor(() => expect(blobs.open).toBe(0));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(blobs.opened).toBe(2);
  });

  it('sends a whole, valid zip of large files', async () => {
    const size = 5 * 1024 * 1024 + 3;
    const bytes = [patterned(size, 7), patterned(size, 8)];
    const ids = [
      (await t.upload(bytes[0]!, { fileName: 'x.bin', mimeType: 'application/octet-stream' })).id,
      (await t.upload(bytes[1]!, { fileName: 'y.bin', mimeType: 'application/octet-stream' })).id,
    ];
    const response = await fetch(local(await filesZipUrl(t, ids)));
    expect(response.status).toBe(200);
    const zip = unzip(Buffer.from(await response.arrayBuffer()));
    expect(zip.files.get('x.bin')!.equals(bytes[0]!)).toBe(true);
    expect(zip.files.get('y.bin')!.equals(bytes[1]!)).toBe(true);
  });

  it('aborts the download when a file’s bytes are missing, instead of sending a zip that looks complete', async () => {
    const a = await t.upload('fine', { fileName: 'a.txt' });
    const b = await t.upload('lost', { fileName: 'b.txt' });
    const url = local(await filesZipUrl(t, [a.id, b.id]));
    const row = (await t.store.files.getFile(b.id))!;
    await t.blobs.delete([row.blob_key]);

    // Headers go out with the first entry, so this is normally a 200 whose body breaks off; if the failure came
    // before the first byte it is a plain 500. Never a 200 with a whole body.
    const response = await fetch(url);
    if (response.status === 200) await expect(response.arrayBuffer()).rejects.toThrow();
    else expect(response.status).toBe(500);
  });

  it('works through Wix’s SDK (generateFilesDownloadUrl, generateFolderDownloadUrl)', async () => {
    const wix = createClient({
      modules: { files: wixFiles, folders: wixFolders },
      auth: { getAuthHeaders: () => Promise.resolve({ headers: { Authorization: TEST_API_KEY } }) },
      useCDN: false,
      fetch: (input: RequestInfo | URL, init?: RequestInit) =>
        fetch(String(input as string).replace(/^https:\/\/(www|edge)\.wixapis\.com/, base), init),
    });
    const folder = await t.createFolder('sdk folder');
    const a = await t.upload('from sdk', { fileName: 'a.txt', parentFolderId: folder.id });

    const filesUrl = (await wix.files.generateFilesDownloadUrl([a.id])).downloadUrl;
    const folderUrl = (await wix.folders.generateFolderDownloadUrl(folder.id)).downloadUrl;
    for (const url of [filesUrl, folderUrl]) {
      expect(url).toBeTypeOf('string');
      const response = await fetch(local(url!));
      expect(response.status).toBe(200);
      expect(
        unzip(Buffer.from(await response.arrayBuffer()))
          .files.get('a.txt')!
          .toString(),
      ).toBe('from sdk');
    }
  });
});
