import { type Readable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type {
  ApplicationErrorBody,
  ErrorBody,
  FileDescriptor,
  ListFilesResponse,
  ListFoldersResponse,
  ValidationErrorBody,
} from '../../contract/index.ts';
import type { TestApp } from './test-app.ts';

// Helpers of the plain upload suites (generate-upload-url + PUT), src/server/http/uploads*.test.ts.

export function expectViolation(response: LightMyRequestResponse, field: string): void {
  expect(response.statusCode, response.body).toBe(400);
  const body = response.json<ValidationErrorBody>();
  expect(typeof body.message).toBe('string');
  expect(body.details.validationError.fieldViolations.map((v) => v.field)).toContain(field);
}

export function expect4xx(response: LightMyRequestResponse): void {
  expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
  expect(response.statusCode, response.body).toBeLessThan(500);
  const body = response.json<ErrorBody>();
  expect(typeof body.message).toBe('string');
  const details = body.details as Partial<ApplicationErrorBody['details'] & ValidationErrorBody['details']>;
  expect(
    typeof details.applicationError?.code === 'string' ||
      Array.isArray(details.validationError?.fieldViolations),
  ).toBe(true);
}

export async function generate(t: TestApp, body: Record<string, unknown>): Promise<string> {
  const { uploadUrl } = await t.ok<{ uploadUrl: string }>('POST', '/files/generate-upload-url', body);
  return uploadUrl;
}

/** Path + query of an absolute upload URL, for `inject`. */
export function pathOf(url: string, extraQuery = ''): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}${extraQuery}`;
}

export function put(
  t: TestApp,
  uploadUrl: string,
  payload: string | Buffer | Readable,
  options: { contentType?: string; query?: string; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'PUT',
    url: pathOf(uploadUrl, options.query),
    headers: { 'content-type': options.contentType ?? 'application/octet-stream', ...options.headers },
    payload,
  });
}

export function fileOf(response: LightMyRequestResponse): FileDescriptor {
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ file: FileDescriptor }>().file;
}

export async function listFiles(t: TestApp, query = ''): Promise<FileDescriptor[]> {
  return (await t.ok<ListFilesResponse>('GET', `/files${query}`)).files;
}

export async function listFolders(t: TestApp, parentFolderId = 'media-root') {
  return (
    await t.ok<ListFoldersResponse>('GET', `/folders?parentFolderId=${encodeURIComponent(parentFolderId)}`)
  ).folders;
}

/** Every file anywhere in Site Files, Visitor Uploads and the trash. */
export async function allFiles(t: TestApp): Promise<FileDescriptor[]> {
  const out: FileDescriptor[] = [];
  for (const rootFolder of ['MEDIA_ROOT', 'VISITOR_UPLOADS_ROOT', 'TRASH_ROOT']) {
    out.push(
      ...(await t.ok<ListFilesResponse>('POST', '/files/search', { rootFolder, paging: { limit: 100 } }))
        .files,
    );
  }
  return out;
}
