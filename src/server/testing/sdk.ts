import { createClient } from '@wix/sdk';
import { files, folders } from '@wix/media';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect } from 'vitest';
import type { Config } from '../config.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from './test-app.ts';

/**
 * Helpers of the suites that drive Wix's official SDK (`@wix/sdk` + `@wix/media`), unchanged, against the real
 * server on a real port (src/server/http/sdk-*.test.ts). The only adaptation is the documented one: a `fetch`
 * that sends `https://www.wixapis.com/...` to this server.
 */

/** A real 1x1 PNG. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** The origin the test app writes into absolute URLs (upload and download URLs). */
const PUBLIC_URL = 'http://media.test';

function makeClient(base: string) {
  return createClient({
    modules: { files, folders },
    auth: { getAuthHeaders: () => Promise.resolve({ headers: { Authorization: TEST_API_KEY } }) },
    useCDN: false,
    fetch: (url: RequestInfo | URL, init?: RequestInit) =>
      fetch(String(url as string).replace(/^https:\/\/(www|edge)\.wixapis\.com/, base), init),
  });
}

export type Wix = ReturnType<typeof makeClient>;

export interface SdkServer {
  t: TestApp;
  base: string;
  wix: Wix;
}

// The server of the running test: the helpers below reach it without each test passing it along.
let current: SdkServer | undefined;
let handOut: (server: SdkServer) => void = () => {};

function server(): SdkServer {
  if (!current) throw new Error('no SDK test server: call useSdkServer() in the suite');
  return current;
}

async function start(overrides: Partial<Config>): Promise<void> {
  const t = await createTestApp({ publicUrl: PUBLIC_URL, ...overrides });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  current = { t, base, wix: makeClient(base) };
  handOut(current);
}

/**
 * A fresh server listening on port 0 and an SDK client pointed at it for each test, handed to `use`
 * (`let wix: Wix; useSdkServer((s) => (wix = s.wix));`), and closed after each test.
 */
export function useSdkServer(use: (server: SdkServer) => void): void {
  beforeEach(async () => {
    handOut = use;
    await start({});
  });
  afterEach(async () => {
    await current?.t.close();
    current = undefined;
  });
}

/** Closes the test's server and starts another with these settings; `use` gets the new one. */
export async function restartSdkServer(overrides: Partial<Config>): Promise<void> {
  await server().t.close();
  current = undefined;
  await start(overrides);
}

/** An absolute URL the server handed out (upload, download), pointed at the listening port. */
export function local(url: string): string {
  expect(url.startsWith(`${PUBLIC_URL}/`)).toBe(true);
  return server().base + url.slice(PUBLIC_URL.length);
}

/** generateFileUploadUrl through the SDK, then a plain PUT of the bytes (no API key) to the URL. */
export async function upload(
  bytes: Buffer | string,
  mimeType: string,
  fileName: string,
  options: { parentFolderId?: string; private?: boolean; labels?: string[] } = {},
): Promise<string> {
  const body = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  // The SDK types sizeInBytes as a string (a 64-bit number).
  const { uploadUrl } = await server().wix.files.generateFileUploadUrl(mimeType, {
    fileName,
    sizeInBytes: String(body.length),
    ...options,
  });
  const response = await fetch(local(must(uploadUrl)), {
    method: 'PUT',
    headers: { 'Content-Type': mimeType },
    body: new Uint8Array(body),
  });
  expect(response.status).toBe(200);
  const { file } = (await response.json()) as { file: { id: string; displayName: string } };
  expect(file.displayName).toBe(fileName);
  return file.id;
}

/** The SDK's generated types make every field optional: unwrap a value the test requires. */
export function must<T>(value: T | null | undefined): T {
  expect(value).toBeDefined();
  expect(value).not.toBeNull();
  return value as T;
}

export const idsOf = (items: { _id?: string | null }[] | undefined) => (items ?? []).map((item) => item._id);
export const namesOf = (
  items: { displayName?: string | null }[] | undefined,
): (string | null | undefined)[] => (items ?? []).map((item) => item.displayName);

/** createFolder through the SDK; returns the folder with its id known to be there. */
export async function createFolder(displayName: string, options?: { parentFolderId?: string }) {
  const { folder } = await server().wix.folders.createFolder(displayName, options);
  return { ...must(folder), _id: must(folder?._id) };
}

/** Resolves after `ms`, so that consecutive writes get distinct millisecond timestamps. */
export function tick(ms = 3): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
