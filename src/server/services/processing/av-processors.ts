import fsp from 'node:fs/promises';
import path from 'node:path';
import type { VideoResolution } from '../../../contract/index.ts';
import { loadSharp, MAX_PIXELS, stills } from './image-processor.ts';
import {
  checkProbedFormat,
  MP4_RENDITION,
  pinnedInput,
  sniffContainer,
  type Container,
} from './media-containers.ts';
import { assetUrl, MINUTE, type ProcessInput, type Processed, type Rendition } from './processed.ts';
import { runCommand } from './run-command.ts';

/** MP4 renditions by their short side, never above the source's. */
const VIDEO_TARGETS = [480, 720] as const;

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
export async function processVideo(input: ProcessInput): Promise<Processed> {
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
export async function processAudio(input: ProcessInput): Promise<Processed> {
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
