import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Metadata, Sharp, SharpOptions } from 'sharp';
import type { Color, ImageInfo } from '../../../contract/index.ts';
import { RefusedInputError } from './media-containers.ts';
import { assetUrl, type ProcessInput, type Processed, type Rendition } from './processed.ts';

/** Grid tiles are at most ~240 CSS px: 480 px covers 2x screens. */
const THUMBNAIL_PX = 480;
/** The info panel and the viewer: big enough for a full-screen view on most screens, far smaller than a photo. */
export const PREVIEW_PX = 1600;
/**
 * Photos larger than this on their long side get a scaled copy for image transformations (`scaledCopy`): most
 * renders a page asks for (tiles, cards, srcset widths up to about 1000 px) are then made from it.
 */
export const SCALED_SOURCE_MIN_PX = 3000;
/** The scaled copy's long side. */
export const SCALED_PX = 2048;
/** Decoding bombs: images over this many pixels are refused (sharp's own default guard, set explicitly). */
export const MAX_PIXELS = 268_402_689;
/** An SVG is rendered from memory (see `processImage`): bigger ones are refused. */
const MAX_SVG_BYTES = 32 * 1024 * 1024;
/** What libvips may find in a file declared as a raster image: never SVG, PDF or its other loaders. */
const RASTER_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'heif', 'avif', 'tiff']);

/** sharp (libvips), loaded at the first image processed: the server starts without its memory. */
export async function loadSharp() {
  return (await import('sharp')).default;
}

const hex = (n: number) => n.toString(16).padStart(2, '0');
const colorOf = (r: number, g: number, b: number): Color => ({
  hex: `#${hex(r)}${hex(g)}${hex(b)}`,
  rgb: { r, g, b },
});

/**
 * A palette of up to five colours: the image scaled down to 48 px, its pixels bucketed by their top three bits
 * per channel, and the mean colour of the most populated buckets.
 */
async function paletteOf(image: Sharp): Promise<Color[]> {
  const { data, info } = await image
    .clone()
    .resize(48, 48, { fit: 'inside' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const buckets = new Map<number, { n: number; r: number; g: number; b: number }>();
  for (let i = 0; i + 2 < data.length; i += info.channels) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    const key = ((r >> 5) << 6) | ((g >> 5) << 3) | (b >> 5);
    const bucket = buckets.get(key) ?? { n: 0, r: 0, g: 0, b: 0 };
    bucket.n++;
    bucket.r += r;
    bucket.g += g;
    bucket.b += b;
    buckets.set(key, bucket);
  }
  return [...buckets.values()]
    .sort((a, b) => b.n - a.n)
    .slice(0, 5)
    .map((c) => colorOf(Math.round(c.r / c.n), Math.round(c.g / c.n), Math.round(c.b / c.n)));
}

/** Writes a WebP of `image` fitted inside `px` (never enlarged); resolves with its size. */
async function webpInside(image: Sharp, px: number, file: string) {
  const info = await image
    .clone()
    .resize(px, px, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toFile(file);
  return { width: info.width, height: info.height };
}

/** Thumbnail and preview renditions of a still image (a photo, a rasterised SVG, a poster, a PDF page). */
export async function stills(image: Sharp, workDir: string): Promise<Rendition[]> {
  const thumbnail = path.join(workDir, 'thumbnail.webp');
  const preview = path.join(workDir, 'preview.webp');
  const t = await webpInside(image, THUMBNAIL_PX, thumbnail);
  const p = await webpInside(image, PREVIEW_PX, preview);
  return [
    { assetKey: 'thumbnail', path: thumbnail, mimeType: 'image/webp', ...t },
    { assetKey: 'preview', path: preview, mimeType: 'image/webp', ...p },
  ];
}

/**
 * A JPEG of a large opaque still image fitted inside `SCALED_PX`, EXIF orientation applied, ICC profile kept,
 * for image transformations that shrink it at least twofold (`scaledSourceFor` in `images/`). Decoding is most of
 * the cost of a render, and it grows with the encoded bytes even when libjpeg decodes at 1/2-1/8 scale: a 640x480
 * fill of a 12 MP photo renders about 2.4x faster from this copy (`bench/image-transforms.ts`), with a mean
 * difference under one level of 255 against the same fill of the original. Quality 92, baseline (decodes faster
 * than progressive).
 *
 * Whether an image gets one: a large still opaque 8-bit image.
 */
export function hasScaledCopy(meta: Metadata): boolean {
  const longSide = Math.max(meta.autoOrient.width, meta.autoOrient.height);
  // Like the original in every way but size: an animation, transparency, CMYK or more than 8 bits would not be.
  const plain = (meta.pages ?? 1) === 1 && !meta.hasAlpha && meta.space !== 'cmyk' && meta.depth === 'uchar';
  return plain && longSide >= SCALED_SOURCE_MIN_PX;
}

/** The scaled copy of `image` (orientation applied), to be written out. */
export function scaledCopyOf(image: Sharp): Sharp {
  return image
    .clone()
    .resize(SCALED_PX, SCALED_PX, { fit: 'inside', withoutEnlargement: true })
    .keepIccProfile()
    .jpeg({ quality: 92 });
}

async function scaledCopy(image: Sharp, meta: Metadata, workDir: string): Promise<Rendition[]> {
  if (!hasScaledCopy(meta)) return [];
  const file = path.join(workDir, 'scaled.jpg');
  const info = await scaledCopyOf(image).toFile(file);
  return [{ assetKey: 'scaled', path: file, mimeType: 'image/jpeg', width: info.width, height: info.height }];
}

/**
 * Images (sharp): width and height as displayed (EXIF orientation applied), thumbnail and preview (first
 * frame of an animation; the original keeps its animation), prominent colour and palette. SVGs are rasterised
 * for their renditions; the SVG itself is only ever served under a sandboxing CSP or as an attachment.
 */
export async function processImage(input: ProcessInput, kind: 'image' | 'vector'): Promise<Processed> {
  const sharp = await loadSharp();
  const options: SharpOptions = {
    failOn: 'error',
    limitInputPixels: MAX_PIXELS,
    // SVGs declare small sizes: render them at 2x so thumbnails stay sharp.
    ...(kind === 'vector' ? { density: 144 } : {}),
  };
  // An SVG read from a file may draw files next to it (librsvg resolves `href`s below the file's directory);
  // read from memory it has no base, and librsvg fetches no file and no URL (only `data:` images draw).
  const source = sharp(kind === 'vector' ? await svgBytes(input.path) : input.path, options);
  const meta = await source.metadata();
  // libvips picks its loader from the bytes: a "PNG" must not be rendered by another (SVG, PDF...) loader.
  const expected = kind === 'vector' ? meta.format === 'svg' : RASTER_FORMATS.has(meta.format);
  if (!expected) {
    throw new RefusedInputError(
      `This ${kind === 'vector' ? 'SVG' : 'image'} could not be processed: its content is ${meta.format}, not ${input.mimeType}`,
    );
  }
  const scale = kind === 'vector' ? 0.5 : 1;
  const oriented = meta.autoOrient;
  const width = Math.round(oriented.width * scale);
  const height = Math.round(oriented.height * scale);
  if (!width || !height) throw new Error('The image has no dimensions');
  const displayed = source.clone().autoOrient();
  const scaled = kind === 'image' ? await scaledCopy(displayed, meta, input.workDir) : [];
  // A large photo's renditions and colours come from its scaled copy: the original is decoded whole once, not
  // for each of them (the statistics read every pixel).
  const image = scaled[0] ? sharp(scaled[0].path, { failOn: 'error' }) : displayed;
  const renditions = [...(await stills(image, input.workDir)), ...scaled];
  const { dominant } = await image.clone().stats();
  const palette = await paletteOf(image);
  const preview = renditions.find((r) => r.assetKey === 'preview')!;
  const info: ImageInfo = {
    id: input.fileId,
    url: '',
    width,
    height,
    filename: input.fileName,
    altText: null,
  };
  const media = {
    image: info,
    colors: { prominent: colorOf(dominant.r, dominant.g, dominant.b), palette },
    faces: [],
    previewImage: {
      id: `${input.fileId}/preview`,
      url: assetUrl('preview'),
      width: preview.width ?? 0,
      height: preview.height ?? 0,
      filename: `${path.parse(input.fileName).name}.webp`,
    },
  };
  return { media: kind === 'image' ? { image: media } : { vector: media }, renditions };
}

async function svgBytes(file: string): Promise<Buffer> {
  const { size } = await fsp.stat(file);
  if (size > MAX_SVG_BYTES) {
    throw new RefusedInputError(
      `This SVG image is too large to be processed (over ${MAX_SVG_BYTES >> 20} MiB)`,
    );
  }
  return fsp.readFile(file);
}
