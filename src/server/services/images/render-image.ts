import sharp, { type Metadata, type Sharp } from 'sharp';
import { ApiError, invalid } from '../../errors.ts';
import {
  MAX_SIDE,
  type Alignment,
  type FocalPoint,
  type OutputFormat,
  type Transform,
} from './transform-grammar.ts';

export interface RenderOptions {
  /** Formats to try, best first (`enc_auto` with `Accept`); the first that suits the source is used. */
  formats: readonly OutputFormat[];
  /** Where `fill` centres (fractions) when the URL gives no `fp_` and no alignment other than `c`. */
  focal: FocalPoint | undefined;
  maxInputPixels: number;
  /**
   * The source is a scaled copy of an image displayed at this size (`scaledSourceFor`): sizes are worked out on
   * the image's own, so the result has the same geometry as from the original.
   */
  scaledFrom?: { width: number; height: number } | undefined;
}

export interface Rendered {
  data: Buffer;
  format: OutputFormat;
  mimeType: string;
}

const MIME: Record<OutputFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
};

const ALIGN_POINT: Record<Alignment, FocalPoint> = {
  c: { x: 0.5, y: 0.5 },
  t: { x: 0.5, y: 0 },
  b: { x: 0.5, y: 1 },
  l: { x: 0, y: 0.5 },
  r: { x: 1, y: 0.5 },
  tl: { x: 0, y: 0 },
  tr: { x: 1, y: 0 },
  bl: { x: 0, y: 1 },
  br: { x: 1, y: 1 },
};

/** Formats that carry an animation (sharp writes AVIF as a single frame). */
const ANIMATED_FORMATS = new Set<OutputFormat>(['gif', 'webp']);

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * The size `fit` or `fill` scales a `width` x `height` image to: `fit` into the box, proportions kept, never
 * larger than the image; `fill` to cover the box (then cut to it).
 */
export function resizedSize(
  resize: NonNullable<Transform['resize']>,
  width: number,
  height: number,
): { width: number; height: number } {
  const { w, h } = resize;
  if (resize.mode === 'fit') {
    const scale = Math.min(w / width, h / height, 1);
    return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
  }
  const scale = Math.max(w / width, h / height);
  return { width: Math.max(w, Math.round(width * scale)), height: Math.max(h, Math.round(height * scale)) };
}

/**
 * Renders one transformation with sharp. Everything heavy runs on libuv's threadpool (sharp's own threads);
 * the event loop only builds the pipeline. EXIF orientation is applied at load, metadata is stripped except the
 * ICC profile, animations keep their frames when the output format can hold them.
 */
export async function renderImage(source: Buffer, t: Transform, options: RenderOptions): Promise<Rendered> {
  let meta: Metadata;
  try {
    meta = await sharp(source, { limitInputPixels: false }).metadata();
  } catch {
    throw new ApiError('INVALID_ARGUMENT', 'This file is not an image that can be transformed');
  }
  const pages = meta.pages ?? 1;
  const pageHeight = meta.pageHeight ?? meta.height;
  const isSvg = meta.format === 'svg';
  if (isSvg && (meta.width > MAX_SIDE || meta.height > MAX_SIDE)) {
    throw invalid('source', `an SVG larger than ${MAX_SIDE} px is not rasterised`);
  }
  if (meta.width * meta.height > options.maxInputPixels) {
    throw new ApiError(
      'INVALID_ARGUMENT',
      `This image is too large to transform (over ${options.maxInputPixels} pixels)`,
    );
  }
  // An animation goes to the first format that can hold it, else (the name's format) to its first frame.
  const format =
    (pages > 1 && !t.still
      ? (options.formats.find((f) => ANIMATED_FORMATS.has(f)) ?? options.formats.at(-1))
      : options.formats[0]) ?? t.format;
  const animated = pages > 1 && !t.still && ANIMATED_FORMATS.has(format);

  // Displayed size (orientation applied); for an animation, one frame.
  const swap = (meta.orientation ?? 1) >= 5;
  let width = options.scaledFrom?.width ?? (swap ? pageHeight : meta.width);
  let height = options.scaledFrom?.height ?? (swap ? meta.width : pageHeight);

  let density: number | undefined;
  if (isSvg && t.resize && !t.crop) {
    // Vectors are drawn at the size asked for (crisp), never beyond the raster limit.
    const scale = Math.max(t.resize.w / width, t.resize.h / height);
    if (scale > 1) {
      const factor = Math.min(scale, MAX_SIDE / Math.max(width, height));
      density = 72 * factor;
      width = Math.round(width * factor);
      height = Math.round(height * factor);
    }
  }

  const image: Sharp = sharp(source, {
    autoOrient: true,
    animated,
    limitInputPixels: options.maxInputPixels,
    ...(density !== undefined && { density }),
  });

  if (t.crop) {
    const c = t.crop;
    let x: number;
    let y: number;
    if (c.x !== undefined && c.y !== undefined) {
      if (c.x >= width) throw invalid('x', `x must be inside the image (width ${width})`);
      if (c.y >= height) throw invalid('y', `y must be inside the image (height ${height})`);
      x = c.x;
      y = c.y;
    } else {
      const point = ALIGN_POINT[c.align ?? 'c'];
      x = Math.round((width - Math.min(c.w, width)) * point.x);
      y = Math.round((height - Math.min(c.h, height)) * point.y);
    }
    const w = Math.min(c.w, width - x);
    const h = Math.min(c.h, height - y);
    if (!t.resize && (w > MAX_SIDE || h > MAX_SIDE)) {
      throw invalid(w > MAX_SIDE ? 'w' : 'h', `a crop without fill or fit is at most ${MAX_SIDE} px`);
    }
    image.extract({ left: x, top: y, width: w, height: h });
    width = w;
    height = h;
  }

  let outW = width;
  let outH = height;
  const resized = t.resize && resizedSize(t.resize, width, height);
  if (t.resize?.mode === 'fit' && resized) {
    outW = resized.width;
    outH = resized.height;
    if (outW !== width || outH !== height || options.scaledFrom) image.resize(outW, outH, { fit: 'fill' });
  } else if (t.resize?.mode === 'fill' && resized) {
    const { w, h } = t.resize;
    const point =
      t.resize.focal ??
      (t.resize.align && t.resize.align !== 'c' ? ALIGN_POINT[t.resize.align] : options.focal) ??
      ALIGN_POINT.c;
    const { width: rw, height: rh } = resized;
    image.resize(rw, rh, { fit: 'fill' });
    if (rw !== w || rh !== h) {
      image.extract({
        left: clamp(Math.round(point.x * rw - w / 2), 0, rw - w),
        top: clamp(Math.round(point.y * rh - h / 2), 0, rh - h),
        width: w,
        height: h,
      });
    }
    outW = w;
    outH = h;
  }

  if (t.unsharp && t.unsharp.radius > 0 && t.unsharp.amount > 0) {
    // ImageMagick-style unsharp mask: differences below the threshold are left alone (m1 0).
    image.sharpen({
      sigma: t.unsharp.radius,
      m1: 0,
      m2: t.unsharp.amount * 2,
      x1: t.unsharp.threshold * 255,
    });
  }
  if (t.contrast) {
    const a = 1 + t.contrast / 100;
    image.linear(a, 128 * (1 - a));
  }
  if (t.brightness || t.saturation || t.hue) {
    image.modulate({
      brightness: 1 + (t.brightness ?? 0) / 100,
      saturation: 1 + (t.saturation ?? 0) / 100,
      hue: Math.round(t.hue ?? 0),
    });
  }
  if (t.blur) {
    // A percentage: blur_100 is a sigma of a twentieth of the output's short side.
    image.blur(Math.max(0.3, ((t.blur / 100) * Math.min(outW, outH)) / 20));
  }

  image.keepIccProfile();
  switch (format) {
    case 'jpeg':
      image.flatten({ background: '#ffffff' }).jpeg({ quality: t.quality ?? 80, progressive: !t.baseline });
      break;
    case 'png':
      image.png({ compressionLevel: 6 });
      break;
    case 'webp':
      image.webp({ quality: t.quality ?? 80, effort: 4 });
      break;
    case 'avif':
      // q_ is a JPEG-like scale (what Wix's clients mean by it); AVIF's own scale looks alike at about 0.6 of it
      // (libaom's q 48 is about a JPEG's 80), so the same q_ gives a like-looking, smaller picture.
      image.avif({ quality: Math.max(1, Math.round((t.quality ?? 80) * 0.6)), effort: 2 });
      break;
    case 'gif':
      image.gif();
      break;
  }
  try {
    return { data: await image.toBuffer(), format, mimeType: MIME[format] };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw new ApiError('INVALID_ARGUMENT', 'This image is too large to transform');
    }
    throw new ApiError('INVALID_ARGUMENT', 'This image could not be transformed');
  }
}
