import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { UploadClaim } from './upload-claims.ts';
import type { UploadChecks } from './upload-checks.ts';
import { IngestGate, quotaLeft, type UploadPolicy } from './upload-limits.ts';

/** Bytes stored through the ingest gate. */
export interface StoredBytes {
  size: number;
  hash: string;
  /** What the first bytes showed, when the signature table knows them. */
  detectedMime: string | undefined;
}

/**
 * Streams bytes through the ingest gate (size limit, quotas, free disk space, content check, hash) into a
 * blob under `key`. Nothing is left behind when it fails. `claim`, the upload URL's, must stay this process's
 * while the bytes flow: taken over meanwhile, the transfer stops.
 */
export async function storeThroughGate(
  blobs: BlobStore,
  checks: UploadChecks,
  key: string,
  body: Readable,
  policy: UploadPolicy,
  declaredMime: string,
  visitor: boolean,
  claim: UploadClaim | undefined,
): Promise<StoredBytes> {
  const left = await quotaLeft(checks.quotasOf({ visitor }));
  const gate = new IngestGate({
    maxBytes: policy.maxFileSizeBytes,
    quotaRemaining: left?.remaining ?? null,
    quotaBytes: null,
    quotaExceeded: left?.exceeded,
    declaredMime,
    space: checks.space.meter(),
  });
  body.on('error', (error) => gate.destroy(error));
  body.on('aborted', () => gate.destroy(new Error('the transfer was cut off before the end')));
  claim?.watchBytes(
    () => gate.size,
    (error) => gate.destroy(error),
  );
  let size: number;
  try {
    size = await blobs.put(key, body.pipe(gate));
  } finally {
    claim?.unwatchBytes();
  }
  return { size, hash: gate.digest(), detectedMime: gate.detectedMime };
}

/** The first `length` bytes of a file (fewer when it is shorter). */
export async function readHead(file: string, length: number): Promise<Buffer> {
  const handle = await fsp.open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** SHA-256 of a file, read as a stream. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}
