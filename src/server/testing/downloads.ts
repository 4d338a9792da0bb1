import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { DownloadUrl } from '../../contract/index.ts';
import type { TestApp } from './test-app.ts';

// Helpers of the download suites (signed download URLs, stable /media/<id> urls), src/server/http/downloads-*.test.ts.

export const CONTENT = Buffer.from('0123456789abcdefghij'); // 20 bytes

/** Path + query of an absolute URL, for `inject`. */
function local(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

export function fetchUrl(
  t: TestApp,
  url: string,
  options: { method?: 'GET' | 'HEAD'; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: options.method ?? 'GET', url: local(url), headers: options.headers });
}

export async function downloadUrls(t: TestApp, body: Record<string, unknown>): Promise<DownloadUrl[]> {
  return (await t.ok<{ downloadUrls: DownloadUrl[] }>('POST', '/files/generate-file-download-url', body))
    .downloadUrls;
}

export async function downloadUrl(t: TestApp, body: Record<string, unknown>): Promise<string> {
  const urls = await downloadUrls(t, body);
  expect(urls.length).toBe(1);
  return urls[0]!.url;
}

/** The same URL with one query field replaced (or removed when `value` is undefined). */
export function withQuery(url: string, key: string, value: string | undefined): string {
  const parsed = new URL(url);
  if (value === undefined) parsed.searchParams.delete(key);
  else parsed.searchParams.set(key, value);
  return parsed.toString();
}

export function expectUserContentHeaders(response: LightMyRequestResponse): void {
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  const csp = String(response.headers['content-security-policy']);
  expect(csp.split(/[;\s]+/)).toContain('sandbox');
}
