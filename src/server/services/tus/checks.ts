import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { ERRORS } from '@tus/utils';
import { ApiError } from '../../errors.ts';
import { contentMismatch, SNIFF_BYTES } from '../sniff.ts';
import type { SpaceMeter } from '../storage-guard.ts';
import { currentBody } from './request-body.ts';

/** A tus error as `@tus/server` sends it: status and body. Ours carry the contract's JSON error body. */
export interface TusError {
  status_code: number;
  body: string;
}

/** A thrown tus error: `@tus/server` answers with its `status_code` and `body`. */
export class TusResponseError extends Error implements TusError {
  constructor(
    readonly status_code: number,
    readonly body: string,
  ) {
    super(body);
  }
}

export function errorBody(code: string, message: string, data: Record<string, unknown> = {}): string {
  return JSON.stringify({
    message,
    details: { applicationError: { code, description: message, data } },
  });
}

/** The SHA-256 of an upload's bytes so far, updated as its PATCHes arrive. */
interface RunningHash {
  hash: Hash;
  /** Bytes hashed: the upload's offset when the hash is current. */
  offset: number;
}

/** Most running hashes kept; beyond it the oldest is dropped (its upload is hashed again at finalize). */
const RUNNING_HASHES_MAX = 10_000;

/** What the checks need to know of an upload from its store. */
export interface UploadHeadSource {
  /** The MIME type the upload was created with. */
  declaredType(id: string): Promise<string>;
  /** The upload's first `length` bytes (all stored already; `length` < `SNIFF_BYTES`). */
  head(id: string, length: number): Promise<Buffer>;
}

/**
 * The checks a tus store runs on the bytes of each PATCH, whatever the store keeps them in:
 * - the upload's first bytes against its declared type: a mismatching upload is removed before more of it is
 *   stored;
 * - (when `hashing`) a running SHA-256, so finalizing needs no second read of the bytes. It lives in memory
 *   only: after a restart, or when a PATCH is not the continuation of the hashed bytes (another instance took
 *   part, a write failed half-way), it is dropped and finalize hashes the bytes instead.
 */
export class UploadChecks {
  /** Called when the first bytes contradict the declared type (the upload is removed). */
  onMismatch: (id: string) => Promise<void> = async () => {};
  /** A free-space meter for each PATCH whose bytes go to the data volume (none: not checked). */
  meter: () => SpaceMeter | undefined = () => undefined;
  private readonly hashes = new Map<string, RunningHash>();

  constructor(
    private readonly source: UploadHeadSource,
    private readonly hashing: boolean,
  ) {}

  /** The SHA-256 of a complete upload of `size` bytes, when it was hashed while arriving. */
  takeHash(id: string, size: number): string | undefined {
    const running = this.hashes.get(id);
    this.hashes.delete(id);
    return running?.offset === size ? running.hash.digest('hex') : undefined;
  }

  forget(id: string): void {
    this.hashes.delete(id);
  }

  /** Runs `store` (the store's own write) on the PATCH's bytes as they pass the checks. */
  async write(
    readable: Readable,
    id: string,
    offset: number,
    store: (checked: Readable) => Promise<number>,
  ): Promise<number> {
    let running =
      offset === 0 && this.hashing ? { hash: createHash('sha256'), offset: 0 } : this.hashes.get(id);
    if (running?.offset !== offset) running = undefined;
    this.hashes.delete(id);
    const check = offset < SNIFF_BYTES ? await this.headCheck(id, offset) : undefined;
    let passed = 0;
    const hash = (chunk: Buffer) => {
      running?.hash.update(chunk);
      passed += chunk.length;
    };
    const space = this.meter();
    const forward = (chunk: Buffer, done: TransformCallback) => {
      if (check && !check.passed) {
        const error = check.add(chunk);
        if (error) return done(error);
        const held = check.release();
        if (!held) return done();
        hash(held);
        return done(null, held);
      }
      hash(chunk);
      done(null, chunk);
    };
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        // The free-space check is a system call: the chunk waits for it only when one is due.
        const due = space?.passed(chunk.length);
        if (!due) return forward(chunk, done);
        due.then(
          () => forward(chunk, done),
          (error: unknown) =>
            done(
              error instanceof ApiError
                ? new TusResponseError(error.status, errorBody(error.code, error.message, error.data))
                : (error as Error),
            ),
        );
      },
      flush(done) {
        // The PATCH ended before the sniffed length: check what there is, and store it.
        if (!check || check.passed) return done();
        const error = check.finish();
        if (error) return done(error);
        const held = check.release();
        if (held) {
          hash(held);
          this.push(held);
        }
        done();
      },
    });
    let mismatch: TusResponseError | undefined;
    readable.on('error', (error) => tap.destroy(error));
    tap.on('error', (error) => {
      // Only a mismatch removes the upload; a refusal for want of space keeps it for a later resume.
      if (error instanceof TusResponseError && error === check?.error) mismatch = error;
    });
    const checked = readable.pipe(tap);
    if (check) {
      // Decide before the store sees the stream: a store may start reading it only after some requests of its
      // own (S3), and an error the stream emitted meanwhile would be lost on it.
      await new Promise<void>((resolve) => {
        check.onSettled = resolve;
        tap.once('close', resolve);
      });
      if (check.error) {
        readable.unpipe(tap);
        tap.destroy();
        await this.onMismatch(id);
        throw check.error;
      }
    }
    let newOffset: number;
    try {
      newOffset = await store(checked);
    } catch (error) {
      if (mismatch) {
        await this.onMismatch(id);
        throw mismatch;
      }
      throw error;
    }
    // Every byte this PATCH stored went through the hash: it now covers the upload up to its new offset.
    if (running && offset + passed === newOffset) {
      running.offset = newOffset;
      if (this.hashes.size >= RUNNING_HASHES_MAX) {
        const oldest = this.hashes.keys().next();
        if (!oldest.done) this.hashes.delete(oldest.value);
      }
      this.hashes.set(id, running);
    }
    // The body ran past what the upload could take: the bytes that fit are stored, the request answers 413.
    if (currentBody()?.overLimit) {
      throw new TusResponseError(ERRORS.ERR_MAX_SIZE_EXCEEDED.status_code, ERRORS.ERR_MAX_SIZE_EXCEEDED.body);
    }
    return newOffset;
  }

  /**
   * The check of an upload's first `SNIFF_BYTES`: the bytes stored already plus those of this PATCH, held back
   * until there are enough of them (or the PATCH ends), then compared with the declared type.
   */
  private async headCheck(id: string, offset: number) {
    const declared = await this.source.declaredType(id);
    const before = offset > 0 ? await this.source.head(id, offset) : Buffer.alloc(0);
    let held: Buffer[] = [];
    let length = offset;
    const state = {
      passed: false,
      /** The mismatch found, once checked. */
      error: undefined as TusResponseError | undefined,
      /** Called once the check is decided. */
      onSettled: () => {},
      /** Holds a chunk; checks once enough bytes are in. */
      add(chunk: Buffer): Error | undefined {
        held.push(chunk);
        length += chunk.length;
        return length >= SNIFF_BYTES ? state.finish() : undefined;
      },
      finish(): Error | undefined {
        state.passed = true;
        const head = Buffer.concat([before, ...held]).subarray(0, SNIFF_BYTES);
        const mismatch = contentMismatch(declared, head);
        state.error =
          mismatch &&
          new TusResponseError(
            400,
            errorBody('MISMATCH_MIME_TYPE', mismatch.description, {
              declaredMimeType: mismatch.declared,
              detectedMimeType: mismatch.detected,
            }),
          );
        state.onSettled();
        return state.error;
      },
      /** The held bytes of this PATCH, once checked. */
      release(): Buffer | undefined {
        if (!state.passed || held.length === 0) return undefined;
        const out = Buffer.concat(held);
        held = [];
        return out;
      },
    };
    return state;
  }
}

/** The first `length` bytes of a stream (fewer if it ends first); the rest is not read. */
export async function firstBytes(stream: Readable, length: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= length) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, length);
}
