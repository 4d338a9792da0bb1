import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ApiError } from '../errors.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import { contentMismatch, mimeEssence, SNIFF_BYTES, sniffMime } from './sniff.ts';

/** What one kind of uploader (the admin, a site visitor) may store. */
export interface UploadPolicy {
  maxFileSizeBytes: number;
  /** MIME patterns (`image/*`, `application/pdf`, `*`); empty: every type. */
  allowedMimeTypes: readonly string[];
}

/** Whether a MIME type matches one of the patterns (`type/*` wildcards; `*` or `*\/*` for all). */
export function mimeAllowed(mimeType: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return true;
  const mime = mimeEssence(mimeType);
  const [type] = mime.split('/');
  return patterns.some((raw) => {
    const pattern = raw.trim().toLowerCase();
    if (pattern === '*' || pattern === '*/*') return true;
    if (pattern.endsWith('/*')) return type === pattern.slice(0, -2);
    return mime === pattern;
  });
}

export function fileSizeOverLimit(max: number): ApiError {
  return new ApiError('FILE_SIZE_OVER_LIMIT', `Files may be at most ${max} bytes`, {
    maxFileSizeBytes: String(max),
  });
}

export function zeroFileSize(): ApiError {
  return new ApiError('ZERO_FILE_SIZE', 'The file is empty');
}

export function quotaExceeded(quota: number, used: number): ApiError {
  return new ApiError('SITE_QUOTA_EXCEEDED', `The site's storage quota of ${quota} bytes is used up`, {
    quotaBytes: String(quota),
    usedBytes: String(used),
  });
}

/** Refuses a MIME type the policy does not allow (`UNSUPPORTED_FILE_FORMAT`). */
export function checkMimeAllowed(mimeType: string, policy: UploadPolicy): void {
  if (!mimeAllowed(mimeType, policy.allowedMimeTypes)) {
    throw new ApiError('UNSUPPORTED_FILE_FORMAT', `Files of type ${mimeEssence(mimeType)} are not accepted`, {
      mimeType: mimeEssence(mimeType),
      allowedMimeTypes: [...policy.allowedMimeTypes],
    });
  }
}

/** Refuses a known size: empty, or over the policy's limit. */
export function checkDeclaredSize(size: number, policy: UploadPolicy): void {
  if (size === 0) throw zeroFileSize();
  if (size > policy.maxFileSizeBytes) throw fileSizeOverLimit(policy.maxFileSizeBytes);
}

/**
 * The site quota (`SITE_QUOTA_BYTES`) over the running total the store keeps (`site_usage`): reading it is one
 * row, whatever the number of files.
 */
export class Quota {
  constructor(
    private readonly store: MetadataStore,
    readonly quotaBytes: number | null,
  ) {}

  /** Bytes still free, or null when there is no quota. */
  async remaining(): Promise<number | null> {
    if (this.quotaBytes === null) return null;
    return Math.max(0, this.quotaBytes - (await this.store.usageBytes()));
  }

  /**
   * Refuses when `additional` more bytes would not fit (with 0: when the quota is used up already). Run inside
   * the transaction that inserts a file, it is exact: SQLite has one writer at a time.
   */
  async check(additional: number): Promise<void> {
    if (this.quotaBytes === null) return;
    const used = await this.store.usageBytes();
    if (used + additional > this.quotaBytes || (additional === 0 && used >= this.quotaBytes)) {
      throw quotaExceeded(this.quotaBytes, used);
    }
  }
}

export interface GateOptions {
  /** Most bytes the file may have (the policy's limit). */
  maxBytes: number;
  /** Bytes the quota has left when the transfer starts; null: no quota. */
  quotaRemaining: number | null;
  quotaBytes: number | null;
  /** Declared MIME type the first bytes are checked against. */
  declaredMime: string;
}

/**
 * The stream every stored byte passes through (plain PUT, tus finalize, import): it counts and hashes the
 * bytes, stops the transfer at the size limit or when the quota runs out, and holds back the first bytes until
 * they have been checked against the declared type, so a mismatching file never reaches the blob store's
 * temp file. Memory: at most `SNIFF_BYTES` held, whatever the size.
 */
export class IngestGate extends Transform {
  private readonly hash = createHash('sha256');
  private head: Buffer[] = [];
  private headLength = 0;
  private sniffed = false;
  /** Bytes seen so far. */
  size = 0;
  /** The type the first bytes show, when the signature table knows them. */
  detectedMime: string | undefined;

  constructor(private readonly options: GateOptions) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    const { maxBytes, quotaRemaining, quotaBytes } = this.options;
    if (this.size > maxBytes) return done(fileSizeOverLimit(maxBytes));
    if (quotaRemaining !== null && quotaBytes !== null && this.size > quotaRemaining) {
      return done(quotaExceeded(quotaBytes, quotaBytes - quotaRemaining));
    }
    this.hash.update(chunk);
    if (this.sniffed) return done(null, chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < SNIFF_BYTES) return done();
    done(this.releaseHead());
  }

  override _flush(done: TransformCallback): void {
    if (!this.sniffed) {
      const error = this.releaseHead();
      if (error) return done(error);
    }
    done();
  }

  /** Checks the held first bytes; pushes them on when they agree with the declared type. */
  private releaseHead(): Error | undefined {
    this.sniffed = true;
    const head = Buffer.concat(this.head);
    this.head = [];
    this.detectedMime = sniffMime(head.subarray(0, SNIFF_BYTES));
    const mismatch = contentMismatch(this.options.declaredMime, head.subarray(0, SNIFF_BYTES));
    if (mismatch) {
      return new ApiError('MISMATCH_MIME_TYPE', mismatch.description, {
        declaredMimeType: mismatch.declared,
        detectedMimeType: mismatch.detected,
      });
    }
    if (head.length > 0) this.push(head);
    return undefined;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
