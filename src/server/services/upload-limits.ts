import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ApiError } from '../errors.ts';
import { contentMismatch, mimeEssence, SNIFF_BYTES, sniffMime } from './sniff.ts';
import type { SpaceMeter } from './storage-guard.ts';

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

/** Which running total a quota bounds: every file of the site, or the files in Visitor Uploads. */
export type QuotaScope = 'SITE' | 'VISITOR_UPLOADS';

/** `SITE_QUOTA_EXCEEDED`, for either quota (`data.scope` says which). */
export function quotaExceeded(quota: number, used: number, scope: QuotaScope = 'SITE'): ApiError {
  const what = scope === 'SITE' ? "The site's storage quota" : 'The storage quota of Visitor Uploads';
  return new ApiError('SITE_QUOTA_EXCEEDED', `${what} of ${quota} bytes is used up`, {
    quotaBytes: String(quota),
    usedBytes: String(used),
    ...(scope === 'SITE' ? {} : { scope }),
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
 * A storage quota over a running total: the site quota (`SITE_QUOTA_BYTES`) over the total the store keeps
 * (`site_usage`: one row, whatever the number of files), or the Visitor Uploads quota (`VISITOR_QUOTA_BYTES`)
 * over the bytes of the files in Visitor Uploads.
 */
export class Quota {
  constructor(
    private readonly usage: () => Promise<number>,
    readonly quotaBytes: number | null,
    readonly scope: QuotaScope = 'SITE',
  ) {}

  /** Bytes still free, or null when there is no quota. */
  async remaining(): Promise<number | null> {
    if (this.quotaBytes === null) return null;
    return Math.max(0, this.quotaBytes - (await this.usage()));
  }

  /**
   * Refuses when `additional` more bytes would not fit (with 0: when the quota is used up already). Run inside
   * the transaction that inserts a file, it is exact: store transactions run one at a time.
   */
  async check(additional: number): Promise<void> {
    if (this.quotaBytes === null) return;
    const used = await this.usage();
    if (used + additional > this.quotaBytes || (additional === 0 && used >= this.quotaBytes)) {
      throw quotaExceeded(this.quotaBytes, used, this.scope);
    }
  }
}

/** What a transfer may still add under the tightest of its quotas, and the error once it runs out. */
export interface QuotaLeft {
  remaining: number;
  exceeded: () => ApiError;
}

/** The tightest of `quotas` right now; null when none has a limit. */
export async function quotaLeft(quotas: readonly Quota[]): Promise<QuotaLeft | null> {
  let tightest: QuotaLeft | null = null;
  for (const quota of quotas) {
    const remaining = await quota.remaining();
    if (remaining === null || quota.quotaBytes === null || (tightest && tightest.remaining <= remaining)) {
      continue;
    }
    const limit = quota.quotaBytes;
    tightest = { remaining, exceeded: () => quotaExceeded(limit, limit - remaining, quota.scope) };
  }
  return tightest;
}

export interface GateOptions {
  /** Most bytes the file may have (the policy's limit). */
  maxBytes: number;
  /** Bytes the quota has left when the transfer starts; null: no quota. */
  quotaRemaining: number | null;
  /** The quota, for the default error. */
  quotaBytes: number | null;
  /** The error once `quotaRemaining` runs out (default: the site quota's). */
  quotaExceeded?: (() => ApiError) | undefined;
  /** Declared MIME type the first bytes are checked against. */
  declaredMime: string;
  /** Checks the free disk space as the bytes pass (bytes stored on the data volume only). */
  space?: SpaceMeter | undefined;
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
    const { maxBytes, quotaRemaining, quotaBytes, quotaExceeded: exceeded } = this.options;
    if (this.size > maxBytes) return done(fileSizeOverLimit(maxBytes));
    if (quotaRemaining !== null && this.size > quotaRemaining) {
      const limit = quotaBytes ?? quotaRemaining;
      return done(exceeded?.() ?? quotaExceeded(limit, limit - quotaRemaining));
    }
    // The free-space check is a system call: the chunk waits for it only when one is due.
    const due = this.options.space?.passed(chunk.length);
    if (due) {
      due.then(
        () => this.accept(chunk, done),
        (error: Error) => done(error),
      );
      return;
    }
    this.accept(chunk, done);
  }

  private accept(chunk: Buffer, done: TransformCallback): void {
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
