import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { expect, vi } from 'vitest';
import type { ApplicationErrorBody, ValidationErrorBody } from '../../contract/index.ts';
import type { FileRow } from '../stores/schema.ts';
import type { TestApp } from './test-app.ts';

/**
 * Helpers of the zip download suites (src/server/http/zips-*.test.ts). Every zip is checked with Info-ZIP's own
 * tools (`unzip -t`, `unzip -Z1`, a real extraction into a temp dir), so the archive is judged by what users run,
 * not by the library that wrote it.
 */

export const PUBLIC_URL = 'http://media.test';

/** Output of unzip listings for 1000 entries: well past child_process's 1 MiB default. */
const MAX_BUFFER = 64 * 1024 * 1024;

export interface Unzipped {
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
export function unzip(zip: Buffer): Unzipped {
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

export function expectAppError(
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

export function expectViolation(response: LightMyRequestResponse, field: string): string {
  expect(response.statusCode, response.body).toBe(400);
  const violations = response.json<ValidationErrorBody>().details.validationError.fieldViolations;
  const violation = violations.find((v) => v.field === field);
  expect(violation, response.body).toBeDefined();
  return violation!.description;
}

export async function filesZipUrl(t: TestApp, fileIds: string[]): Promise<string> {
  const body = await t.ok<Record<string, unknown>>('POST', '/files/generate-download-url', { fileIds });
  expect(Object.keys(body)).toEqual(['downloadUrl']);
  return body.downloadUrl as string;
}

export async function folderZipUrl(t: TestApp, folderId: string, body: unknown = {}): Promise<string> {
  const url = `/folders/${encodeURIComponent(folderId)}/generate-download-url`;
  return (await t.ok<{ downloadUrl: string }>('POST', url, body)).downloadUrl;
}

/** GET of a zip URL the way a browser would: no API key, no cookie. */
export function fetchZip(
  t: TestApp,
  url: string,
  method: 'GET' | 'HEAD' = 'GET',
): Promise<LightMyRequestResponse> {
  expect(url.startsWith(`${PUBLIC_URL}/download/v1/zip/`)).toBe(true);
  return t.app.inject({ method, url: new URL(url).pathname });
}

export async function downloadZip(t: TestApp, url: string): Promise<Unzipped> {
  const response = await fetchZip(t, url);
  expect(response.statusCode, response.body).toBe(200);
  return unzip(response.rawPayload);
}

/** A file row like `template` under a new id: fills folders with many files without uploading each. */
export async function cloneFile(
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
export function trackBlobs(t: TestApp) {
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
export function patterned(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4) out.writeUInt32LE((i * 2654435761 + seed) >>> 0, i);
  return out;
}
