import { queryOptions } from '@tanstack/react-query';
import type { DownloadUrl, FileDescriptor } from '../../../contract';
import { apiClient } from '../../lib/api-client';

const FILES_PATH = '/site-media/v1/files';

/** Query keys of preview URLs: signed inline URLs of a file's assets, and video stream URLs. */
export const previewKeys = {
  all: ['previews'] as const,
  asset: (fileId: string, assetKey: string) => [...previewKeys.all, 'asset', fileId, assetKey] as const,
  stream: (fileId: string) => [...previewKeys.all, 'stream', fileId] as const,
};

/** A signed URL showing one asset of a file inline (`src` or a rendition); refreshed well before it expires. */
export function assetUrlQueryOptions(fileId: string, assetKey: string) {
  return queryOptions({
    queryKey: previewKeys.asset(fileId, assetKey),
    queryFn: async () => {
      const response = await apiClient.post<{ downloadUrls: DownloadUrl[] }>(
        `${FILES_PATH}/generate-file-download-url`,
        { fileId, assetKeys: [assetKey], contentDisposition: 'INLINE', expirationInMinutes: 60 },
      );
      const first = response.downloadUrls[0];
      if (!first) throw new Error('The server gave no download URL');
      return first.url;
    },
    staleTime: 30 * 60_000,
  });
}

/** The signed HLS URL of a processed video (every segment request goes through the same signature). */
export function streamUrlQueryOptions(fileId: string) {
  return queryOptions({
    queryKey: previewKeys.stream(fileId),
    queryFn: async () =>
      (
        await apiClient.post<{ downloadUrl: DownloadUrl }>(`${FILES_PATH}/generate-video-stream-url`, {
          fileId,
          format: 'HLS',
          expirationInMinutes: 60,
        })
      ).downloadUrl.url,
    staleTime: 30 * 60_000,
  });
}

/** A rendition a file can be downloaded as, besides its original. */
export interface Rendition {
  assetKey: string;
  label: string;
}

/** The renditions processing made, as the file's `media` lists them. */
export function renditionsOf(file: FileDescriptor): Rendition[] {
  const out: Rendition[] = [];
  const image = file.media.image ?? file.media.vector;
  if (image?.previewImage) out.push({ assetKey: 'preview', label: 'Preview (WebP)' });
  const video = file.media.video;
  for (const resolution of video?.resolutions ?? []) {
    if (resolution.format.endsWith('.mp4')) {
      out.push({ assetKey: resolution.format, label: `${resolution.format.replace('.mp4', '')} MP4` });
    }
  }
  if (video?.posters?.length) out.push({ assetKey: 'poster', label: 'Poster (JPEG)' });
  for (const asset of file.media.audio?.assets ?? []) {
    out.push({ assetKey: asset.assetKey, label: asset.format.toUpperCase() });
  }
  if (file.media.document?.thumbnail) out.push({ assetKey: 'preview', label: 'First page (WebP)' });
  return out;
}

/**
 * Downloads one asset as a plain navigation to a signed URL (`Content-Disposition: attachment` keeps the page
 * where it is); the bytes never pass through JavaScript.
 */
export async function downloadAsset(fileId: string, assetKey: string): Promise<void> {
  const response = await apiClient.post<{ downloadUrls: DownloadUrl[] }>(
    `${FILES_PATH}/generate-file-download-url`,
    { fileId, assetKeys: [assetKey], contentDisposition: 'ATTACHMENT', expirationInMinutes: 10 },
  );
  const first = response.downloadUrls[0];
  if (!first) throw new Error('The server gave no download URL');
  window.location.assign(first.url);
}
