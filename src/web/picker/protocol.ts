import {
  MEDIA_TYPES,
  type DownloadUrl,
  type FileDescriptor,
  type MediaType,
  mediaUri as contractMediaUri,
} from '../../contract';
import type { PickedMediaItem } from '../../../public/picker';
import { apiClient } from '../lib/api-client';
import { buildTransformUrl, extensionFor, isTransformable, MAX_SIDE } from '../images/transform-url';

/**
 * The picker's side of the postMessage protocol (docs/picker.md). The names are a public contract: pages of other
 * sites depend on them.
 */
export const PICKER_MESSAGES = {
  ready: 'site-media:ready',
  picked: 'site-media:picked',
  cancelled: 'site-media:cancelled',
} as const;

/**
 * One chosen file: the public type that hosts compile against (`/picker.d.ts`), so the page and the published
 * declaration cannot drift apart.
 */
export type PickedItem = PickedMediaItem & { mediaType: MediaType };

export interface PickerParams {
  multiple: boolean;
  types: ReadonlySet<MediaType> | null;
  folder: string | null;
  /** The host page's origin: the only one messages go to (the server refused to render for others). */
  origin: string | null;
  /** The size the host wants picked public images at (`transform=fill|fit&w=..&h=..`); null: the originals. */
  transform: PickerTransform | null;
  /** Why `transform`, `w` or `h` were ignored (the page logs it as a console warning); null when fine. */
  transformWarning: string | null;
}

export interface PickerTransform {
  mode: 'fill' | 'fit';
  width: number;
  height: number;
}

/** A side of 1..MAX_SIDE pixels written as plain digits, else null. */
function side(value: string | null): number | null {
  if (!value || !/^\d{1,5}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= MAX_SIDE ? n : null;
}

/**
 * `transform`, `w` and `h`: all valid, or all ignored (the originals are returned) with a warning, so a host's
 * typo never silently yields some other size.
 */
export function parsePickerTransform(params: URLSearchParams): {
  transform: PickerTransform | null;
  transformWarning: string | null;
} {
  const mode = params.get('transform');
  if (mode === null || mode === '') return { transform: null, transformWarning: null };
  const width = side(params.get('w'));
  const height = side(params.get('h'));
  if ((mode !== 'fill' && mode !== 'fit') || width === null || height === null) {
    return {
      transform: null,
      transformWarning:
        `Site Media picker: ignoring transform=${mode}&w=${params.get('w') ?? ''}&h=${params.get('h') ?? ''}` +
        ` (transform must be fill or fit, w and h integers 1-${MAX_SIDE}); returning original URLs`,
    };
  }
  return { transform: { mode, width, height }, transformWarning: null };
}

export function parsePickerParams(params: URLSearchParams): PickerParams {
  const typeList = (params.get('types') ?? '')
    .split(',')
    .map((t) => t.trim().toUpperCase())
    .filter((t): t is MediaType => (MEDIA_TYPES as readonly string[]).includes(t));
  let origin: string | null = null;
  try {
    origin = params.get('origin') ? new URL(params.get('origin') ?? '').origin : null;
  } catch {
    origin = null;
  }
  return {
    multiple: params.get('multiple') === '1' || params.get('multiple') === 'true',
    types: typeList.length > 0 ? new Set(typeList) : null,
    folder: params.get('folder') || null,
    origin,
    ...parsePickerTransform(params),
  };
}

/** The window that opened the picker: the frame's parent, or the popup's opener. */
function hostWindow(): Window | null {
  if (window.parent !== window) return window.parent;
  return (window.opener as Window | null) ?? null;
}

/** Posts a message to the host page, to its origin only (a page of another origin receives nothing). */
export function postToHost(
  origin: string | null,
  message: { type: string; [key: string]: unknown },
): boolean {
  const host = hostWindow();
  if (!host || !origin) return false;
  host.postMessage(message, origin);
  return true;
}

/** A private file's URL is signed: it works for a year, the longest the contract allows. */
const PRIVATE_URL_MINUTES = 525_600;

const URI_KIND: Partial<Record<MediaType, 'image' | 'video' | 'document' | 'audio'>> = {
  IMAGE: 'image',
  VECTOR: 'image',
  VIDEO: 'video',
  AUDIO: 'audio',
};

function dimensions(file: FileDescriptor): { width: number | null; height: number | null } {
  const image = file.media.image?.image ?? file.media.vector?.image;
  if (image) return { width: image.width, height: image.height };
  const video = file.media.video;
  if (video?.width && video.height) return { width: video.width, height: video.height };
  return { width: null, height: null };
}

/** The contract's media URI; images carry their size the way Wix's do (`#originWidth=..&originHeight=..`). */
export function pickedMediaUri(file: FileDescriptor): string {
  const uri = contractMediaUri(URI_KIND[file.mediaType] ?? 'document', file.id, file.displayName);
  const { width, height } = dimensions(file);
  return file.mediaType === 'IMAGE' && width && height
    ? `${uri}#originWidth=${width}&originHeight=${height}`
    : uri;
}

async function signedUrl(file: FileDescriptor): Promise<{ url: string; expiresAt: string }> {
  const issued = Date.now();
  const response = await apiClient.post<{ downloadUrls: DownloadUrl[] }>(
    '/site-media/v1/files/generate-file-download-url',
    { fileId: file.id, contentDisposition: 'INLINE', expirationInMinutes: PRIVATE_URL_MINUTES },
  );
  const url = response.downloadUrls[0]?.url;
  if (!url) throw new Error('The server gave no URL for this private file');
  return { url, expiresAt: new Date(issued + PRIVATE_URL_MINUTES * 60_000).toISOString() };
}

/**
 * The item for a file whose private URL (if any) is already signed. Pure. With a `transform`, a public image's
 * `url` is that transformation URL (in the original's format, JPEG or PNG, without `enc_auto`, so the bytes do
 * not depend on the browser that loads it) and `originalUrl` the original; other files are unchanged.
 */
export function buildPickedItem(
  file: FileDescriptor,
  signed: { url: string; expiresAt: string } | null,
  transform: PickerTransform | null = null,
): PickedItem {
  const transformed =
    transform && !signed && file.mediaType === 'IMAGE' && isTransformable(file)
      ? buildTransformUrl(file, {
          ...transform,
          format: extensionFor('auto', file.mimeType) === 'png' ? 'png' : 'jpg',
        })
      : null;
  return {
    id: file.id,
    displayName: file.displayName,
    mediaType: file.mediaType,
    mimeType: file.mimeType,
    sizeInBytes: String(file.sizeInBytes),
    url: transformed ?? signed?.url ?? file.url,
    ...(transformed ? { originalUrl: file.url } : {}),
    ...(signed ? { expiresAt: signed.expiresAt } : {}),
    mediaUri: pickedMediaUri(file),
    ...dimensions(file),
    thumbnailUrl: file.thumbnailUrl,
  };
}

/** The message's item for a file. */
export async function toPickedItem(
  file: FileDescriptor,
  transform: PickerTransform | null = null,
): Promise<PickedItem> {
  return buildPickedItem(file, file.private ? await signedUrl(file) : null, transform);
}
