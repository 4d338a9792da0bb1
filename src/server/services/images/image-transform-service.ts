import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BlobStore } from '../../blobs/blob-store.ts';
import type { TransformConfig } from '../../config.ts';
import { ApiError, invalid, notFound } from '../../errors.ts';
import { hmac, safeEqual } from '../../secrets.ts';
import type { ImageStore, StoredFocalPoint, TransformSourceRow } from '../../stores/image-store.ts';
import type { ImageVariantRow } from '../../stores/schema.ts';
import { BoundedMemo } from './bounded-memo.ts';
import { renderImage } from './render-image.ts';
import { RenderQueue, SingleFlight } from './render-queue.ts';
import { scaledSourceFor } from './scaled-source.ts';
import {
  canonicalTransform,
  parseTransform,
  stableJson,
  targetSize,
  type FocalPoint,
  type OutputFormat,
  type Transform,
} from './transform-grammar.ts';

export interface TransformRequest {
  fileId: string;
  /** The request's path as sent (percent-encoded), `/media/<id>/v1/...`: what a signature covers. */
  rawPath: string;
  /** The part after `v1/`, as sent. */
  transformPath: string;
  sig: string | undefined;
  accept: string | undefined;
  ifNoneMatch: string | undefined;
}

export interface TransformResult {
  etag: string;
  /** The answer depends on `Accept` (`enc_auto`). */
  varyAccept: boolean;
  name: string;
  /** Absent when `If-None-Match` matched (304). */
  body?: { payload: Readable | Buffer; size: number; mimeType: string };
}

/** `signed` mode's signature of a path: what `docs/api.md` tells sites to compute. */
export function transformSignature(key: string, rawPath: string): string {
  return hmac(key, rawPath);
}

/** Variant rows looked up recently (per process), so a hit costs one query (the file's) and no more. */
const KNOWN_VARIANTS_MAX = 10_000;
/**
 * Small variants (most web images) are also kept in memory, up to this much in all: a hit then opens no file
 * and makes no store request. The bytes of a key never change, so a copy stays right even if the blob goes.
 */
const MEMORY_BYTES_MAX = 32 * 1024 * 1024;
const MEMORY_ITEM_MAX = 512 * 1024;

/** Distinct transformation paths (and variant keys) whose parse (and hash) are kept. */
const MEMO_MAX = 10_000;

interface KnownVariant {
  row: ImageVariantRow;
  touchedAt: number;
  data?: Buffer;
}

/**
 * Image transformations: parse, check the mode's rules, and serve a variant from the cache or render it once
 * (single flight, bounded queue), keeping it in the blob store under an LRU byte budget.
 */
export class ImageTransformService {
  private readonly queue: RenderQueue;
  private readonly flights = new SingleFlight<ImageVariantRow & { data: Buffer }>();
  private readonly known = new Map<string, KnownVariant>();
  /** A transformation path's parse, shared read-only (nothing mutates a parsed `Transform`). */
  private readonly parsed = new BoundedMemo<Readonly<Transform>>(MEMO_MAX);
  /** Variant keys by what they are computed from (see `serve`). */
  private readonly keys = new BoundedMemo<string>(MEMO_MAX);
  private memoryBytes = 0;
  /** `open` mode: renders per file in the current hour. */
  private readonly rendersPerFile = new Map<string, { windowStart: number; count: number }>();
  private evicting: Promise<void> = Promise.resolve();
  /** Renders done by this process (tests and logs: a cached or shared answer does not count). */
  renders = 0;
  /** Last-use stamps strictly increase within a process, so the LRU order of quick successive uses is exact. */
  private lastStamp = 0;

  constructor(
    private readonly images: ImageStore,
    private readonly blobs: BlobStore,
    private readonly config: TransformConfig,
    private readonly log: { warn: (obj: object, msg: string) => void },
  ) {
    this.queue = new RenderQueue(config.concurrency, config.queueLimit);
  }

  async serve(request: TransformRequest): Promise<TransformResult> {
    const t = this.parsed.get(request.transformPath, () =>
      Object.freeze(parseTransform(request.transformPath)),
    );
    this.checkPolicy(t, request);

    const file = await this.images.transformSource(request.fileId);
    if (!file) throw notFound('File', request.fileId);
    if (file.private === 1) throw new ApiError('PERMISSION_DENIED', 'This file is private');
    if (file.media_type !== 'IMAGE' && file.media_type !== 'VECTOR') {
      throw new ApiError('INVALID_ARGUMENT', `File ${file.id} is not an image`);
    }
    if (file.hash === '') throw new ApiError('RESOURCE_NOT_FOUND', `File ${file.id} has no content`);

    const focal = this.focalFor(t, file.focal_point);
    const formats = candidateFormats(t, request.accept);
    // Everything the bytes depend on: the file's bytes (hash), the transformation, the focal point used and
    // the formats allowed. A new upload or focal point is a new key, so cached copies are never stale.
    // The same inputs always give the same key: kept, keyed by those inputs (the transformation as its path).
    const inputs = JSON.stringify([file.id, file.hash, request.transformPath, file.focal_point, formats]);
    const key = this.keys.get(inputs, () =>
      createHash('sha256')
        .update(stableJson({ file: file.id, hash: file.hash, t: canonicalTransform(t), focal, formats }))
        .digest('hex'),
    );
    const etag = `"${key}"`;
    const result = { etag, varyAccept: t.encoding === 'auto', name: t.name };
    if (request.ifNoneMatch !== undefined && matches(request.ifNoneMatch, etag)) return result;

    const cached = await this.cached(key);
    if (cached) return { ...result, body: cached };

    const rendered = await this.flights.run(key, () => this.render(key, file, t, { formats, focal }));
    return {
      ...result,
      body: {
        payload: rendered.data,
        size: rendered.data.length,
        mimeType: rendered.mime_type,
      },
    };
  }

  /** The file's focal point (percent), or null; 404 for an unknown file. */
  async focalPoint(fileId: string): Promise<StoredFocalPoint | null> {
    const file = await this.images.transformSource(fileId);
    if (!file) throw notFound('File', fileId);
    return file.focal_point ? (JSON.parse(file.focal_point) as StoredFocalPoint) : null;
  }

  async setFocalPoint(fileId: string, focal: StoredFocalPoint | null): Promise<StoredFocalPoint | null> {
    if (!(await this.images.setFocalPoint(fileId, focal))) throw notFound('File', fileId);
    return focal;
  }

  private checkPolicy(t: Transform, request: TransformRequest): void {
    const { mode } = this.config;
    if (mode === 'signed') {
      const expected = transformSignature(this.config.signingKey ?? '', request.rawPath);
      if (request.sig === undefined || !safeEqual(request.sig, expected)) {
        throw new ApiError('PERMISSION_DENIED', 'This image URL needs a valid signature (sig)');
      }
    } else if (mode === 'presets') {
      const size = targetSize(t);
      if (!size || !this.config.presets.some((p) => p.w === size.w && p.h === size.h)) {
        const list = this.config.presets.map((p) => `${p.w}x${p.h}`).join(', ');
        throw invalid('w', `w and h must be one of the sizes this server allows: ${list}`);
      }
    }
  }

  /** The stored focal point (percent) applies to `fill` unless the URL names one or an alignment other than c. */
  private focalFor(t: Transform, stored: string | null): FocalPoint | undefined {
    if (t.resize?.mode !== 'fill' || t.resize.focal || (t.resize.align && t.resize.align !== 'c'))
      return undefined;
    if (!stored) return undefined;
    const point = JSON.parse(stored) as StoredFocalPoint;
    return { x: point.x / 100, y: point.y / 100 };
  }

  private async cached(key: string): Promise<TransformResult['body']> {
    let entry = this.known.get(key);
    if (!entry) {
      const row = await this.images.getVariant(key);
      if (!row) return undefined;
      entry = { row, touchedAt: Date.parse(row.last_used_at) };
    }
    const size = Number(entry.row.size_in_bytes);
    let payload: Readable | Buffer | undefined = entry.data;
    let data: Buffer | undefined;
    if (!payload) {
      try {
        if (size <= MEMORY_ITEM_MAX) data = await this.blobs.read(entry.row.blob_key);
        payload = data ?? (await this.blobs.get(entry.row.blob_key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // Evicted by another instance (or its blob lost): render again.
        this.forget(key);
        await this.images.deleteVariants([key]);
        return undefined;
      }
    }
    this.remember(key, entry, data);
    if (Date.now() - entry.touchedAt >= this.config.touchIntervalMs) {
      const stamp = this.stamp();
      entry.touchedAt = stamp;
      await this.images.touchVariant(key, new Date(stamp).toISOString());
    }
    return { payload, size, mimeType: entry.row.mime_type };
  }

  /** Most recently used last; the oldest entries (and then the oldest bytes) go past the limits. */
  private remember(key: string, entry: KnownVariant, data?: Buffer): void {
    this.forget(key);
    if (data) entry.data = data;
    this.known.set(key, entry);
    if (entry.data) this.memoryBytes += entry.data.length;
    for (const [oldKey, old] of this.known) {
      if (oldKey === key || (this.known.size <= KNOWN_VARIANTS_MAX && this.memoryBytes <= MEMORY_BYTES_MAX))
        break;
      if (this.known.size > KNOWN_VARIANTS_MAX) this.forget(oldKey);
      else if (old.data) {
        this.memoryBytes -= old.data.length;
        delete old.data;
      }
    }
  }

  private forget(key: string): void {
    const entry = this.known.get(key);
    if (entry?.data) this.memoryBytes -= entry.data.length;
    this.known.delete(key);
  }

  private async render(
    key: string,
    file: TransformSourceRow,
    t: Transform,
    options: { formats: OutputFormat[]; focal: FocalPoint | undefined },
  ): Promise<ImageVariantRow & { data: Buffer }> {
    const fileId = file.id;
    this.countRender(fileId);
    this.renders += 1;
    const scaled = scaledSourceFor(t, file);
    // The source is read inside the slot: waiting requests hold no image bytes.
    const rendered = await this.queue.run(async () => {
      const source = await this.blobs.read(scaled?.asset.key ?? file.blob_key);
      return renderImage(source, t, {
        ...options,
        maxInputPixels: this.config.maxInputPixels,
        scaledFrom: scaled?.scaledFrom,
      });
    });
    const blobKey = `variants/${key.slice(0, 2)}/${key}`;
    await this.blobs.put(blobKey, Readable.from([rendered.data]));
    const now = new Date(this.stamp()).toISOString();
    const row: ImageVariantRow = {
      key,
      file_id: fileId,
      blob_key: blobKey,
      mime_type: rendered.mimeType,
      size_in_bytes: rendered.data.length,
      created_at: now,
      last_used_at: now,
    };
    await this.images.insertVariant(row);
    this.remember(
      key,
      { row, touchedAt: Date.now() },
      rendered.data.length <= MEMORY_ITEM_MAX ? rendered.data : undefined,
    );
    await this.evict();
    return { ...row, data: rendered.data };
  }

  private stamp(): number {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return this.lastStamp;
  }

  /** `open` mode's cap on distinct variants of one file rendered per hour (per process). */
  private countRender(fileId: string): void {
    if (this.config.mode !== 'open') return;
    const now = Date.now();
    let counter = this.rendersPerFile.get(fileId);
    if (!counter || now - counter.windowStart >= 3_600_000) {
      counter = { windowStart: now, count: 0 };
      this.rendersPerFile.set(fileId, counter);
      if (this.rendersPerFile.size > 100_000) this.rendersPerFile.clear();
    }
    if (counter.count >= this.config.variantsPerFilePerHour) {
      const retryAfterSeconds = Math.ceil((counter.windowStart + 3_600_000 - now) / 1000);
      throw new ApiError(
        'RESOURCE_EXHAUSTED',
        'Too many new sizes of this image this hour; try a cached one',
        {
          retryAfterSeconds,
        },
      );
    }
    counter.count += 1;
  }

  /** Least recently used variants go until the cache fits its budget; one eviction at a time per process. */
  private evict(): Promise<void> {
    this.evicting = this.evicting.then(async () => {
      try {
        let total = await this.images.variantBytes();
        while (total > this.config.cacheBytes) {
          const oldest = await this.images.leastRecentlyUsed(32);
          if (oldest.length === 0) break;
          // Just enough of the oldest to fit the budget again.
          const victims: string[] = [];
          let left = total;
          for (const row of oldest) {
            if (left <= this.config.cacheBytes) break;
            victims.push(row.key);
            left -= Number(row.size_in_bytes);
          }
          const gone = await this.images.deleteVariants(victims);
          for (const row of gone) this.forget(row.key);
          await this.blobs.delete(gone.map((r) => r.blob_key));
          total = await this.images.variantBytes();
        }
      } catch (error) {
        this.log.warn({ err: error }, 'could not evict image variants');
      }
    });
    return this.evicting;
  }
}

/** `If-None-Match`: a list of entity tags, or `*`. */
function matches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * The formats to try, best first. `enc_auto`: AVIF, then WebP, when `Accept` names them (browsers that
 * display them say so), then the name's format. `enc_avif`: AVIF, then the name's format (for animations).
 */
export function candidateFormats(t: Transform, accept: string | undefined): OutputFormat[] {
  const formats: OutputFormat[] = [];
  const accepts = (mime: string) => accept !== undefined && accepted(accept, mime);
  if (t.encoding === 'avif') formats.push('avif');
  if (t.encoding === 'auto') {
    if (accepts('image/avif')) formats.push('avif');
    if (accepts('image/webp')) formats.push('webp');
  }
  if (!formats.includes(t.format)) formats.push(t.format);
  return formats;
}

function accepted(accept: string, mime: string): boolean {
  return accept.split(',').some((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    if (type?.trim() !== mime) return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
