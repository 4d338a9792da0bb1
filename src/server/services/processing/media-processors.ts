import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Sharp, SharpOptions } from 'sharp';
import type { Color, FileMedia, ImageInfo, VideoResolution } from '../../../contract/index.ts';
import {
  checkProbedFormat,
  MP4_RENDITION,
  pinnedInput,
  RefusedInputError,
  sniffContainer,
  type Container,
} from './media-containers.ts';
import { runCommand } from './run-command.ts';

/** One file processing made: the asset key it is downloaded as, and where it is until it is stored. */
export interface Rendition {
  assetKey: string;
  /** A local file, or for `hls` the directory holding the playlist and its segments. */
  path: string;
  mimeType: string;
  width?: number;
  height?: number;
  /** `hls`: the directory's files, playlist first. */
  files?: string[];
}

/**
 * What processing learnt about a file. URLs in `media` are placeholders the serializer resolves per request:
 * `''` is the original, `asset:<key>` a rendition (both empty for private files).
 */
export interface Processed {
  media: FileMedia;
  renditions: Rendition[];
}

export interface ProcessInput {
  fileId: string;
  fileName: string;
  mimeType: string;
  /** The original, as a local file. */
  path: string;
  /** An empty directory for the renditions. */
  workDir: string;
  signal?: AbortSignal | undefined;
  /** Told the media's duration once probed: long videos may take longer (see `PROCESSING_TIMEOUT_SECONDS`). */
  mediaSeconds?: ((seconds: number) => void) | undefined;
}

/** The asset URL placeholder of `media` (see `Processed`). */
export const assetUrl = (assetKey: string): string => `asset:${assetKey}`;

/** Grid tiles are at most ~240 CSS px: 480 px covers 2x screens. */
const THUMBNAIL_PX = 480;
/** The info panel and the viewer: big enough for a full-screen view on most screens, far smaller than a photo. */
const PREVIEW_PX = 1600;
/** MP4 renditions by their short side, never above the source's. */
const VIDEO_TARGETS = [480, 720] as const;
const MINUTE = 60_000;
/** Decoding bombs: images over this many pixels are refused (sharp's own default guard, set explicitly). */
const MAX_PIXELS = 268_402_689;
/** An SVG is rendered from memory (see `processImage`): bigger ones are refused. */
const MAX_SVG_BYTES = 32 * 1024 * 1024;
/** What libvips may find in a file declared as a raster image: never SVG, PDF or its other loaders. */
const RASTER_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'heif', 'avif', 'tiff']);

/** sharp (libvips), loaded at the first image processed: the server starts without its memory. */
async function loadSharp() {
  return (await import('sharp')).default;
}

/** Which files processing handles; every other file is READY at ingest, with an icon for a thumbnail. */
export function isProcessable(mediaType: string, mimeType: string): boolean {
  switch (mediaType) {
    case 'IMAGE':
      return [
        'image/jpeg',
        'image/png',
        'image/webp',
        'image/gif',
        'image/avif',
        'image/tiff',
        'image/heif',
      ].includes(mimeType);
    case 'VECTOR':
      return mimeType === 'image/svg+xml';
    case 'VIDEO':
    case 'AUDIO':
      return true;
    case 'DOCUMENT':
      return mimeType === 'application/pdf';
    default:
      return false;
  }
}

export async function processFile(mediaType: string, input: ProcessInput): Promise<Processed> {
  switch (mediaType) {
    case 'IMAGE':
      return processImage(input, 'image');
    case 'VECTOR':
      return processImage(input, 'vector');
    case 'VIDEO':
      return processVideo(input);
    case 'AUDIO':
      return processAudio(input);
    case 'DOCUMENT':
      return processPdf(input);
    default:
      throw new Error(`No processing for ${mediaType}`);
  }
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
async function stills(image: Sharp, workDir: string): Promise<Rendition[]> {
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
 * Images (sharp): width and height as displayed (EXIF orientation applied), thumbnail and preview (first
 * frame of an animation; the original keeps its animation), prominent colour and palette. SVGs are rasterised
 * for their renditions; the SVG itself is only ever served under a sandboxing CSP or as an attachment.
 */
async function processImage(input: ProcessInput, kind: 'image' | 'vector'): Promise<Processed> {
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
  const image = source.clone().autoOrient();
  const renditions = await stills(image, input.workDir);
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

interface Probe {
  streams?: {
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    side_data_list?: { rotation?: number }[];
    tags?: { rotate?: string };
  }[];
  format?: { duration?: string; bit_rate?: string; format_name?: string };
}

/**
 * The container (refused unless it is a media file: see `media-containers.ts`) and what ffprobe reads in it,
 * through that container's demuxer only.
 */
async function probe(
  input: ProcessInput,
  kind: 'video' | 'audio',
): Promise<{ container: Container; info: Probe }> {
  const container = await sniffContainer(input.path, kind);
  const out = await runCommand(
    'ffprobe',
    [
      ...['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format'],
      ...pinnedInput(container, input.path),
    ],
    { signal: input.signal, timeoutMs: 2 * MINUTE },
  );
  const info = JSON.parse(out) as Probe;
  checkProbedFormat(container, info.format?.format_name, kind);
  input.mediaSeconds?.(Number(info.format?.duration ?? 0) || 0);
  return { container, info };
}

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/**
 * Video (ffprobe, ffmpeg): duration and displayed dimensions; a poster (with thumbnail and preview); H.264/AAC
 * MP4 renditions at 480p and 720p by the short side, never upscaled (a smaller source gets one at its own
 * size); and an HLS rendition cut from the largest MP4 without re-encoding (2 s keyframes, 4 s segments).
 */
async function processVideo(input: ProcessInput): Promise<Processed> {
  const { container, info } = await probe(input, 'video');
  const video = info.streams?.find((s) => s.codec_type === 'video');
  if (!video?.width || !video.height) throw new Error('No video stream in this file');
  const hasAudio = info.streams?.some((s) => s.codec_type === 'audio') ?? false;
  const rotation = Number(
    video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? video.tags?.rotate ?? 0,
  );
  const turned = Math.abs(rotation) % 180 === 90;
  const width = turned ? video.height : video.width;
  const height = turned ? video.width : video.height;
  const duration = Number(info.format?.duration ?? 0);
  const short = Math.min(width, height);
  const targets = VIDEO_TARGETS.filter((t) => t <= short);
  const sizes = (targets.length > 0 ? [...targets] : [even(short)]).map((target) => {
    const ratio = target / short;
    return { label: `${target}p`, width: even(width * ratio), height: even(height * ratio) };
  });

  const renditions: Rendition[] = [];
  const resolutions: VideoResolution[] = [];
  for (const size of sizes) {
    const file = path.join(input.workDir, `${size.label}.mp4`);
    await runCommand(
      'ffmpeg',
      [
        ...['-hide_banner', '-nostdin', '-v', 'error', '-y', ...pinnedInput(container, input.path)],
        ...['-map', '0:v:0', ...(hasAudio ? ['-map', '0:a:0'] : [])],
        ...[
          '-vf',
          `scale=${size.width}:${size.height}`,
          '-c:v',
          'libx264',
          '-preset',
          'veryfast',
          '-crf',
          '23',
        ],
        ...['-pix_fmt', 'yuv420p', '-force_key_frames', 'expr:gte(t,n_forced*2)'],
        ...(hasAudio ? ['-c:a', 'aac', '-b:a', '128k'] : []),
        ...['-movflags', '+faststart', file],
      ],
      { signal: input.signal },
    );
    const assetKey = `${size.label}.mp4`;
    renditions.push({ assetKey, path: file, mimeType: 'video/mp4', width: size.width, height: size.height });
    resolutions.push({ url: assetUrl(assetKey), width: size.width, height: size.height, format: assetKey });
  }

  const largest = renditions.at(-1)!;
  const hlsDir = path.join(input.workDir, 'hls');
  await fsp.mkdir(hlsDir);
  await runCommand(
    'ffmpeg',
    [
      ...['-hide_banner', '-nostdin', '-v', 'error', '-y', ...pinnedInput(MP4_RENDITION, largest.path)],
      '-c',
      'copy',
      ...['-f', 'hls', '-hls_time', '4', '-hls_playlist_type', 'vod'],
      ...['-hls_segment_filename', path.join(hlsDir, 'segment-%04d.ts'), path.join(hlsDir, 'index.m3u8')],
    ],
    { signal: input.signal },
  );
  const segments = (await fsp.readdir(hlsDir)).filter((name) => name.endsWith('.ts')).sort();
  renditions.push({
    assetKey: 'hls',
    path: hlsDir,
    mimeType: 'application/vnd.apple.mpegurl',
    width: largest.width!,
    height: largest.height!,
    files: ['index.m3u8', ...segments],
  });
  resolutions.push({ url: assetUrl('hls'), width: largest.width!, height: largest.height!, format: 'hls' });

  const posterFile = path.join(input.workDir, 'poster.jpg');
  await runCommand(
    'ffmpeg',
    [
      ...['-hide_banner', '-nostdin', '-v', 'error', '-y', '-ss', String(Math.min(1, duration / 4))],
      ...pinnedInput(MP4_RENDITION, largest.path),
      ...['-frames:v', '1', '-q:v', '3', posterFile],
    ],
    { signal: input.signal },
  );
  const sharp = await loadSharp();
  const poster = sharp(posterFile, { failOn: 'error', limitInputPixels: MAX_PIXELS });
  const posterMeta = await poster.metadata();
  renditions.push(
    {
      assetKey: 'poster',
      path: posterFile,
      mimeType: 'image/jpeg',
      width: posterMeta.width,
      height: posterMeta.height,
    },
    ...(await stills(poster, input.workDir)),
  );
  return {
    media: {
      video: {
        id: input.fileId,
        filename: input.fileName,
        resolutions,
        posters: [
          {
            id: `${input.fileId}/poster`,
            url: assetUrl('poster'),
            width: posterMeta.width,
            height: posterMeta.height,
            filename: `${path.parse(input.fileName).name}.jpg`,
          },
        ],
        durationInSeconds: Math.round(duration * 1000) / 1000,
        width,
        height,
      },
    },
    renditions,
  };
}

/** Audio (ffprobe, ffmpeg): duration, bitrate (bits per second), container format, and an MP3 asset. */
async function processAudio(input: ProcessInput): Promise<Processed> {
  const { container, info } = await probe(input, 'audio');
  const audio = info.streams?.find((s) => s.codec_type === 'audio');
  if (!audio) throw new Error('No audio stream in this file');
  const file = path.join(input.workDir, 'audio.mp3');
  await runCommand(
    'ffmpeg',
    [
      ...['-hide_banner', '-nostdin', '-v', 'error', '-y', ...pinnedInput(container, input.path)],
      ...['-map', '0:a:0'],
      // An MP3 source is kept as it is (no second lossy pass).
      ...(audio.codec_name === 'mp3' ? ['-c:a', 'copy'] : ['-c:a', 'libmp3lame', '-b:a', '192k']),
      file,
    ],
    { signal: input.signal },
  );
  const format = info.format?.format_name?.split(',')[0] ?? '';
  return {
    media: {
      audio: {
        id: input.fileId,
        assets: [
          {
            id: `${input.fileId}/mp3`,
            url: assetUrl('mp3'),
            filename: `${path.parse(input.fileName).name}.mp3`,
            assetKey: 'mp3',
            format: 'mp3',
          },
        ],
        bitrate: Number(info.format?.bit_rate ?? 0),
        format,
        duration: Math.round(Number(info.format?.duration ?? 0) * 1000) / 1000,
      },
    },
    renditions: [{ assetKey: 'mp3', path: file, mimeType: 'audio/mpeg' }],
  };
}

/**
 * PDFs (poppler's pdftoppm): the first page rendered, as thumbnail and preview. pdftoppm reads the one file
 * (poppler opens no URL and no other file but system fonts); one page, its long side scaled to the preview
 * size whatever the page's declared size, so neither page count nor a huge MediaBox costs more.
 */
async function processPdf(input: ProcessInput): Promise<Processed> {
  const base = path.join(input.workDir, 'page');
  await runCommand(
    'pdftoppm',
    ['-f', '1', '-l', '1', '-singlefile', '-png', '-scale-to', String(PREVIEW_PX), input.path, base],
    { signal: input.signal, timeoutMs: 2 * MINUTE },
  );
  const sharp = await loadSharp();
  const page = sharp(`${base}.png`, { failOn: 'error', limitInputPixels: MAX_PIXELS });
  const renditions = await stills(page, input.workDir);
  const thumbnail = renditions.find((r) => r.assetKey === 'thumbnail')!;
  return {
    media: {
      document: {
        id: input.fileId,
        url: '',
        filename: input.fileName,
        sizeInBytes: '0',
        thumbnail: {
          id: `${input.fileId}/thumbnail`,
          url: assetUrl('thumbnail'),
          width: thumbnail.width ?? 0,
          height: thumbnail.height ?? 0,
          filename: `${path.parse(input.fileName).name}.webp`,
        },
      },
    },
    renditions,
  };
}
