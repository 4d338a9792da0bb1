// Image transformation URLs in the server's grammar (`/media/<id>/v1/<op>/<params>/<name>.<ext>`, see
// docs/api.md "Image transformations" and src/server/services/images/transform-grammar.ts). Pure: no I/O, no
// React, so every URL the app builds is unit-tested against the grammar the server parses.

import type { FileDescriptor } from '../../contract';

export type TransformMode = 'fill' | 'fit' | 'crop';
export type TransformFormat = 'auto' | 'jpg' | 'png' | 'webp' | 'avif';

/** Focal point in percent (0-100) of the width and height, as the focal point endpoint stores it. */
export interface FocalPointPercent {
  x: number;
  y: number;
}

/** A region of the original, in its pixels. */
export interface CropRegion {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TransformOptions {
  mode: TransformMode;
  width: number;
  height: number;
  format: TransformFormat;
  /** 1-100; absent: the server's default (80). */
  quality?: number;
  /** `fill` (and the `fill` after a crop) keeps this point in view. */
  focalPoint?: FocalPointPercent | null;
  /** Required by `crop`. */
  crop?: CropRegion;
}

/** The server's limit for `w_`/`h_` of `fill` and `fit`. */
export const MAX_SIDE = 5000;
export const DEFAULT_QUALITY = 80;

const clampSide = (n: number) => Math.min(MAX_SIDE, Math.max(1, Math.round(n)));
const clampInt = (n: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(n)));

/**
 * Where a file's transformations live: its public URL (`PUBLIC_URL/media/<id>`) plus `/v1/`. The URL's query (the
 * `?v=` of a file whose content was replaced) is not part of it: see `fileUrlQuery`.
 */
export function transformBase(fileUrl: string): string {
  return `${fileUrl.split('?')[0]!.replace(/\/+$/, '')}/v1/`;
}

/**
 * The query of a file's URL (`?v=2` once its content was replaced, else empty), which its transformation URLs
 * carry too: they are cached as immutable, so new bytes need a new URL.
 */
export function fileUrlQuery(fileUrl: string): string {
  const at = fileUrl.indexOf('?');
  return at === -1 ? '' : fileUrl.slice(at);
}

/** The extension the name gets: the format asked for; `auto` keeps a PNG a PNG (transparency), else JPEG. */
export function extensionFor(format: TransformFormat, mimeType: string): string {
  if (format !== 'auto') return format;
  return mimeType === 'image/png' || mimeType === 'image/svg+xml' || mimeType === 'image/gif' ? 'png' : 'jpg';
}

/**
 * The name segment: the display name without its extension, reduced to URL-safe characters (so a copied URL
 * needs no percent-encoding), with the output format's extension.
 */
export function outputName(displayName: string, ext: string): string {
  const base = displayName.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const slug = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return `${slug || 'image'}.${ext}`;
}

/** `fp_<x>_<y>` in fractions (what image-kit writes), three decimals. */
function focalParam(point: FocalPointPercent): string {
  const f = (n: number) => String(Math.round(Math.min(100, Math.max(0, n)) * 10) / 1000);
  return `fp_${f(point.x)}_${f(point.y)}`;
}

/**
 * One transformation URL. `fill` writes the focal point as `fp_` when the file has one (the URL then names
 * its bytes exactly: the responses are cached as immutable, so a URL whose crop changed with a later focal
 * point would stay stale in browsers and CDNs), else `al_c`.
 */
export function buildTransformUrl(
  file: Pick<FileDescriptor, 'url' | 'displayName' | 'mimeType'>,
  options: TransformOptions,
): string {
  const w = clampSide(options.width);
  const h = clampSide(options.height);
  const resize = options.mode === 'fit' ? 'fit' : 'fill';
  const params = [`w_${w}`, `h_${h}`];
  if (resize === 'fill') {
    params.push(options.focalPoint ? focalParam(options.focalPoint) : 'al_c');
  }
  if (options.quality !== undefined) params.push(`q_${clampInt(options.quality, 1, 100)}`);
  if (options.format === 'auto') params.push('enc_auto');
  const steps: string[] = [];
  if (options.mode === 'crop') {
    const c = options.crop;
    if (!c) throw new Error('crop needs a region');
    steps.push(
      `crop/x_${clampInt(c.x, 0, 100_000)},y_${clampInt(c.y, 0, 100_000)},w_${clampInt(c.w, 1, 100_000)},h_${clampInt(c.h, 1, 100_000)}`,
    );
  }
  steps.push(`${resize}/${params.join(',')}`);
  const name = outputName(file.displayName, extensionFor(options.format, file.mimeType));
  return `${transformBase(file.url)}${steps.join('/')}/${name}${fileUrlQuery(file.url)}`;
}

/** The same transformation at `factor` times the size (for 2x screens), within the server's limit. */
export function scaled(options: TransformOptions, factor: number): TransformOptions {
  return { ...options, width: clampSide(options.width * factor), height: clampSide(options.height * factor) };
}

/** Widths a responsive `srcset` offers: common breakpoints up to twice the chosen width, and that width. */
export const SRCSET_WIDTHS = [320, 640, 768, 1024, 1280, 1600, 1920, 2560] as const;

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export type SnippetKind = 'density' | 'widths';

/**
 * A copyable `<img>`: `density` offers the size at 1x and 2x; `widths` offers breakpoint widths (same aspect
 * ratio, up to 2x the chosen width) with `sizes` saying the image is at most the chosen width wide.
 */
export function imgSnippet(
  file: Pick<FileDescriptor, 'url' | 'displayName' | 'mimeType'>,
  options: TransformOptions,
  kind: SnippetKind,
  alt = '',
): string {
  const w = clampSide(options.width);
  const h = clampSide(options.height);
  const src = buildTransformUrl(file, options);
  let srcset: string;
  let sizes = '';
  if (kind === 'density') {
    srcset = `${src} 1x, ${buildTransformUrl(file, scaled(options, 2))} 2x`;
  } else {
    const widths = new Set<number>(SRCSET_WIDTHS.filter((x) => x < w * 2 && x <= MAX_SIDE));
    widths.add(w);
    widths.add(Math.min(MAX_SIDE, w * 2));
    srcset = [...widths]
      .sort((a, b) => a - b)
      .map((x) => `${buildTransformUrl(file, scaled(options, x / w))} ${clampSide(x)}w`)
      .join(', ');
    sizes = ` sizes="(max-width: ${w}px) 100vw, ${w}px"`;
  }
  return (
    `<img src="${escapeAttribute(src)}" srcset="${escapeAttribute(srcset)}"${sizes}` +
    ` width="${w}" height="${h}" alt="${escapeAttribute(alt)}" loading="lazy" decoding="async">`
  );
}

/**
 * Rendered sizes the app itself asks for (grid tiles, the panel, the viewer): the CSS size times the device
 * pixel ratio, rounded UP to one of a few buckets, so a handful of variants per image serve every screen and the
 * server's cache (and its hourly cap of new variants per file) stays small.
 */
export const SIZE_BUCKETS = [64, 128, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096] as const;

export function bucketSize(cssPixels: number, devicePixelRatio: number): number {
  const wanted = Math.ceil(Math.max(1, cssPixels) * Math.max(1, devicePixelRatio || 1));
  return SIZE_BUCKETS.find((b) => b >= wanted) ?? 4096;
}

/** Whether the app may show a file through transformation URLs: public, processed raster or vector images. */
export function isTransformable(file: FileDescriptor): boolean {
  return (
    !file.private &&
    file.operationStatus === 'READY' &&
    (file.mediaType === 'IMAGE' || file.mediaType === 'VECTOR') &&
    !!file.url
  );
}

/**
 * A square `fit` box for showing a whole image at about `cssPixels` on this screen (grid tiles, panel,
 * viewer): `enc_auto`, so browsers get AVIF or WebP.
 */
export function displayUrl(file: FileDescriptor, cssPixels: number, devicePixelRatio: number): string {
  const side = bucketSize(cssPixels, devicePixelRatio);
  return buildTransformUrl(file, { mode: 'fit', width: side, height: side, format: 'auto' });
}

/** The original's pixel size, when processing found it. */
export function imageSize(file: FileDescriptor): { width: number; height: number } | undefined {
  const image = file.media.image?.image ?? file.media.vector?.image;
  return image && image.width > 0 && image.height > 0
    ? { width: image.width, height: image.height }
    : undefined;
}

/**
 * The server applies `fill`'s point to the picture after the crop, so a focal point of the original (percent)
 * becomes a point of the region (percent, clamped to its edges when it lies outside).
 */
export function focalInCrop(
  point: FocalPointPercent,
  region: CropRegion,
  original: { width: number; height: number },
): FocalPointPercent {
  const inside = (p: number, start: number, size: number, whole: number) =>
    Math.min(100, Math.max(0, (((p / 100) * whole - start) / size) * 100));
  return {
    x: inside(point.x, region.x, region.w, original.width),
    y: inside(point.y, region.y, region.h, original.height),
  };
}
