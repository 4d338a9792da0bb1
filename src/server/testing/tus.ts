import { Upload, type UploadOptions } from 'tus-js-client';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import type { FileDescriptor } from '../../contract/index.ts';
import type { Config } from '../config.ts';
import { listen, rebase } from './helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

// Helpers of the resumable (tus 1.0.0) upload suites, src/server/http/resumable-uploads*.test.ts: the protocol's
// requests one by one, tus-js-client, and a listening server per test.

export interface Resumable {
  uploadProtocol: string;
  uploadUrl: string;
  uploadToken: string;
}

export const TUS = { 'Tus-Resumable': '1.0.0' };

export function metadataHeader(metadata: Record<string, string>): string {
  return Object.entries(metadata)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');
}

/** A tus upload driven request by request. */
export async function create(
  endpoint: string,
  length: number,
  metadata: Record<string, string>,
  body?: Buffer,
): Promise<Response> {
  return fetch(endpoint, {
    method: 'POST',
    headers: {
      ...TUS,
      'Upload-Length': String(length),
      'Upload-Metadata': metadataHeader(metadata),
      ...(body ? { 'Content-Type': 'application/offset+octet-stream' } : {}),
    },
    ...(body ? { body: new Uint8Array(body) } : {}),
  });
}

export function patch(url: string, offset: number, body: Buffer): Promise<Response> {
  return fetch(url, {
    method: 'PATCH',
    headers: { ...TUS, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    body: new Uint8Array(body),
  });
}

export function head(url: string): Promise<Response> {
  return fetch(url, { method: 'HEAD', headers: TUS });
}

export function finalize(endpoint: string, token: string, query = ''): Promise<Response> {
  return fetch(`${endpoint}/${token}${query}`, { method: 'PUT' });
}

export async function fileOf(response: Response): Promise<FileDescriptor> {
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return (JSON.parse(text) as { file: FileDescriptor }).file;
}

/** Runs a tus-js-client upload to the end; resolves with its upload URL. */
export function tusClientUpload(content: Buffer, options: UploadOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const upload: Upload = new Upload(content, {
      retryDelays: null,
      ...options,
      onError: (error) => reject(error),
      onSuccess: () => resolve(upload.url!),
    });
    upload.start();
  });
}

export interface TusTestApp {
  /** The server of the current test (a test may replace it, e.g. to restart over the same data dir). */
  t: TestApp;
  /** Its listening base URL. */
  base: string;
  /** Closes nothing: starts a server with these settings in place of the current one. */
  setup(overrides?: Partial<Config>): Promise<void>;
  /** generate-resumable-upload-url, with its uploadUrl moved onto the listening server. */
  generate(body: Record<string, unknown>): Promise<Resumable>;
  /** Creates an upload; answers its absolute URL. */
  created(endpoint: string, length: number, metadata: Record<string, string>): Promise<string>;
  /** The bytes the file's URL serves. */
  served(file: FileDescriptor): Promise<Buffer>;
}

/** A listening server for each test of the surrounding describe (fake timers undone after each). */
export function useTusApp(): TusTestApp {
  const tus: TusTestApp = {
    t: undefined as unknown as TestApp,
    base: '',
    async setup(overrides = {}) {
      tus.t = await createTestApp(overrides);
      tus.base = await listen(tus.t);
    },
    async generate(body) {
      const answer = await tus.t.ok<Resumable>('POST', '/files/generate-resumable-upload-url', {
        uploadProtocol: 'TUS',
        ...body,
      });
      return { ...answer, uploadUrl: rebase(answer.uploadUrl, tus.base) };
    },
    async created(endpoint, length, metadata) {
      const response = await create(endpoint, length, metadata);
      expect(response.status, await response.clone().text()).toBe(201);
      return new URL(response.headers.get('location')!, endpoint).toString();
    },
    async served(file) {
      const response = await fetch(rebase(file.url, tus.base));
      expect(response.status).toBe(200);
      return Buffer.from(await response.arrayBuffer());
    },
  };

  beforeEach(async () => {
    await tus.setup();
  });

  afterEach(async () => {
    vi.useRealTimers();
    await tus.t.close();
  });

  return tus;
}
