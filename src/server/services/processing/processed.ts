import type { FileMedia } from '../../../contract/index.ts';

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

export const MINUTE = 60_000;
