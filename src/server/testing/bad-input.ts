import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type {
  ApplicationErrorBody,
  FileDescriptor,
  Folder,
  ListFilesResponse,
  ListFoldersResponse,
  ValidationErrorBody,
} from '../../contract/index.ts';
import { storedBlobs, waitFor } from './helpers.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from './test-app.ts';

// The bad-input suites (src/server/http/bad-input/): a table of requests a client must not be able to get past
// validation, each with the contract-shaped 4xx it answers, run against one server whose state must not change.

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface Request {
  method: Method;
  /** Under /site-media/v1 unless it starts with `//` (then taken as is, minus one slash). */
  url: string;
  /** JSON-encoded unless `raw` is set. */
  body?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

export interface Expected {
  /** Exact status; any 4xx when absent. */
  status?: number;
  /** A fieldViolation whose `field` equals this (or matches it). */
  field?: string | RegExp;
  /** The applicationError code. */
  code?: string;
}

export interface Fixture {
  folderA: Folder;
  folderB: Folder;
  trashedFolder: Folder;
  file1: FileDescriptor;
  file2: FileDescriptor;
  trashedFile: FileDescriptor;
}

export type Case = [name: string, request: (f: Fixture) => Request, expected: Expected];

export function send(t: TestApp, request: Request): Promise<LightMyRequestResponse> {
  const url = request.url.startsWith('//') ? request.url.slice(1) : `/site-media/v1${request.url}`;
  const options: InjectOptions = {
    method: request.method,
    url,
    headers: { authorization: TEST_API_KEY, ...request.headers },
  };
  if (request.raw !== undefined) {
    options.payload = request.raw;
  } else if (request.body !== undefined) {
    options.payload = JSON.stringify(request.body);
    options.headers = { 'content-type': 'application/json', ...options.headers };
  }
  return t.app.inject(options);
}

/** A 4xx in the contract's error shape, with the expected status, field or code. */
export function expectContractError(response: LightMyRequestResponse, expected: Expected): void {
  const context = `${response.statusCode} ${response.body.slice(0, 500)}`;
  if (expected.status !== undefined) expect(response.statusCode, context).toBe(expected.status);
  expect(response.statusCode, context).toBeGreaterThanOrEqual(400);
  expect(response.statusCode, context).toBeLessThan(500);
  expect(String(response.headers['content-type']), context).toMatch(/^application\/json/);
  const body = response.json<Partial<ApplicationErrorBody & ValidationErrorBody>>();
  expect(typeof body.message, context).toBe('string');
  const details = (body.details ?? {}) as Partial<
    ApplicationErrorBody['details'] & ValidationErrorBody['details']
  >;
  const app = details.applicationError;
  const violations = details.validationError?.fieldViolations;
  if (app) {
    expect(typeof app.code, context).toBe('string');
    expect(app.code.length, context).toBeGreaterThan(0);
  } else {
    expect(Array.isArray(violations), context).toBe(true);
    expect(violations!.length, context).toBeGreaterThan(0);
    for (const v of violations!) {
      expect(typeof v.field, context).toBe('string');
      expect(typeof v.description, context).toBe('string');
    }
  }
  if (expected.field !== undefined) {
    expect(response.statusCode, context).toBe(400);
    expect(violations, context).toBeDefined();
    const fields = violations!.map((v) => v.field);
    const wanted = expected.field;
    expect(
      fields.some((f) => (typeof wanted === 'string' ? f === wanted : wanted.test(f))),
      `${String(wanted)} in ${JSON.stringify(fields)}`,
    ).toBe(true);
  }
  if (expected.code !== undefined) {
    expect(app?.code, context).toBe(expected.code);
  }
}

/** Everything a client can see: every folder and file of every root, and the stored blobs. */
export async function snapshot(t: TestApp) {
  const out: Record<string, unknown> = {};
  for (const rootFolder of ['MEDIA_ROOT', 'VISITOR_UPLOADS_ROOT', 'TRASH_ROOT']) {
    out[`folders ${rootFolder}`] = (
      await t.ok<ListFoldersResponse>('POST', '/folders/search', { rootFolder, paging: { limit: 100 } })
    ).folders;
    out[`files ${rootFolder}`] = (
      await t.ok<ListFilesResponse>('POST', '/files/search', { rootFolder, paging: { limit: 100 } })
    ).files;
  }
  out.blobs = (await storedBlobs(t)).sort();
  return out;
}

export const range = (n: number, prefix = 'id') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

export interface BadInputContext {
  t: TestApp;
  fixture: Fixture;
  /** What a client sees of the server before any bad input; a test that changes state on purpose resets it. */
  before: Awaited<ReturnType<typeof snapshot>>;
}

/**
 * One server for the surrounding describe, with folders and files (some trashed) for the requests to name, and
 * the snapshot of it to compare against. The fields are set once `beforeAll` has run.
 */
export function useBadInputApp(): BadInputContext {
  const ctx = {} as BadInputContext;
  beforeAll(async () => {
    const t = await createTestApp();
    ctx.t = t;
    const folderA = await t.createFolder('Alpha');
    const folderB = await t.createFolder('Beta', folderA.id);
    await t.createFolder('Gamma');
    const trashedFolder = await t.createFolder('Trashed');
    const file1 = (await t.upload('one', { fileName: 'one.txt' })) as FileDescriptor;
    await t.upload('three', { fileName: 'three.txt' });
    const file2 = (await t.upload('two', {
      fileName: 'two.png',
      mimeType: 'image/png',
      parentFolderId: folderA.id,
    })) as FileDescriptor;
    await t.upload('inside trashed', { fileName: 'inside.txt', parentFolderId: trashedFolder.id });
    const trashedFile = (await t.upload('gone', { fileName: 'gone.txt', labels: ['old'] })) as FileDescriptor;
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [trashedFolder.id] });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [trashedFile.id] });
    // The (bogus) PNG is processed in the background: let that end before the state is taken.
    await waitFor(
      async () =>
        (await t.ok<{ file: FileDescriptor }>('GET', `/files/get-file-by-id?fileId=${file2.id}`)).file
          .operationStatus !== 'PENDING',
      'the PNG processed',
    );
    ctx.fixture = {
      folderA: folderA as unknown as Folder,
      folderB: folderB as unknown as Folder,
      trashedFolder: trashedFolder as unknown as Folder,
      file1,
      file2,
      trashedFile,
    };
    ctx.before = await snapshot(t);
  });

  afterAll(async () => {
    await ctx.t?.close();
  });
  return ctx;
}

/** Each case: a contract-shaped 4xx, and nothing a client can see has changed. */
export function itRefusesEach(ctx: BadInputContext, cases: Case[]): void {
  it.each(cases)('%s', async (_name, request, expected) => {
    const response = await send(ctx.t, request(ctx.fixture));
    expectContractError(response, expected);
    expect(await snapshot(ctx.t)).toEqual(ctx.before);
  });
}
