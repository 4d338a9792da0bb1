import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ApplicationErrorBody, ValidationErrorBody } from '../../contract/index.ts';
import { S3BlobStore } from '../blobs/s3-blob-store.ts';
import type { TestApp } from './test-app.ts';

export function sha256Hex(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Bytes that no signature matches, of a given length. */
export function patterned(length: number, seed = 7919): Buffer {
  const content = Buffer.alloc(length);
  for (let i = 0; i < length; i++) content[i] = (i * seed + (i >> 8)) % 251;
  return content;
}

/** Listens on 127.0.0.1:0 and answers the base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}

/** An absolute URL the server made (on PUBLIC_URL) moved onto the listening base URL. */
export function rebase(url: string, base: string): string {
  const parsed = new URL(url);
  return `${base}${parsed.pathname}${parsed.search}`;
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  maxMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every regular file below `dir`, as paths relative to it. */
export function filesBelow(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out;
}

/** Stored blobs (the temp area, and on S3 unfinished tus uploads, left out). */
export async function storedBlobs(t: TestApp): Promise<string[]> {
  if (t.blobs instanceof S3BlobStore) return (await t.blobs.keys()).filter((key) => !key.startsWith('tus/'));
  return filesBelow(path.join(t.dataDir, 'blobs')).filter((p) => p.split(path.sep)[0] !== '.tmp');
}

/** Blobs being written: temp files on disk, multipart uploads on S3 (tus uploads left out). */
export async function tempBlobs(t: TestApp): Promise<string[]> {
  if (t.blobs instanceof S3BlobStore) {
    // Resumable uploads under way are multipart uploads at their file's blob key: not blob writes.
    const tus = new Set(await t.store.tusUploads.blobKeys());
    return (await t.blobs.pendingUploads()).filter((key) => !key.startsWith('tus/') && !tus.has(key));
  }
  return filesBelow(path.join(t.dataDir, 'blobs', '.tmp'));
}

/**
 * Whether at least `count` blob writes are under way. On S3 a write shorter than a part shows nowhere until it
 * completes (`putStream` holds the first part in memory, then sends a single PutObject): give the transfers a
 * moment to reach the store instead.
 */
export async function writesUnderWay(t: TestApp, count: number): Promise<boolean> {
  if (t.blobs instanceof S3BlobStore) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return true;
  }
  return (await tempBlobs(t)).length >= count;
}

/**
 * Files of unfinished tus uploads (on disk: data and `.json` info; on S3: the multipart uploads of the uploads
 * the database knows, and the pending parts' objects).
 */
export async function tusFiles(t: TestApp): Promise<string[]> {
  if (t.blobs instanceof S3BlobStore) {
    const tus = new Set(await t.store.tusUploads.blobKeys());
    const multipart = (await t.blobs.pendingUploads()).filter((key) => tus.has(key));
    return [...multipart, ...(await t.blobs.keys()).filter((key) => key.startsWith('tus/'))];
  }
  return filesBelow(path.join(t.dataDir, 'tus'));
}

export function expectAppError(response: LightMyRequestResponse, status: number, code: string): void {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json<ApplicationErrorBody>();
  expect(typeof body.message).toBe('string');
  expect(body.details.applicationError.code, response.body).toBe(code);
}

/** The same for a fetch() answer. */
export async function expectFetchError(response: Response, status: number, code: string): Promise<void> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  const body = JSON.parse(text) as ApplicationErrorBody;
  expect(body.details.applicationError.code, text).toBe(code);
}

export function expectViolation(response: LightMyRequestResponse, field: string): void {
  expect(response.statusCode, response.body).toBe(400);
  const body = response.json<ValidationErrorBody>();
  expect(body.details.validationError.fieldViolations.map((v) => v.field)).toContain(field);
}

/** Real 1x1 PNG, and the start of a PDF: content with a known signature. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
export const PDF_BYTES = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n');
