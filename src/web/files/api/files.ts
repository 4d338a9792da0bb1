import { queryOptions } from '@tanstack/react-query';
import type { DownloadUrl, FileDescriptor } from '../../../contract';
import { apiClient } from '../../lib/api-client';

export const FILES_PATH = '/site-media/v1/files';

/** Query keys of single files (the info panel). */
export const fileKeys = {
  all: ['files'] as const,
  detail: (fileId: string) => [...fileKeys.all, 'detail', fileId] as const,
};

/** GET /site-media/v1/files/get-file-by-id */
export function fileQueryOptions(fileId: string) {
  return queryOptions({
    queryKey: fileKeys.detail(fileId),
    queryFn: async ({ signal }) =>
      (
        await apiClient.get<{ file: FileDescriptor }>(`${FILES_PATH}/get-file-by-id`, {
          signal,
          query: { fileId },
        })
      ).file,
  });
}

async function signedUrl(
  fileId: string,
  disposition: 'INLINE' | 'ATTACHMENT',
  minutes: number,
): Promise<DownloadUrl> {
  const response = await apiClient.post<{ downloadUrls: DownloadUrl[] }>(
    `${FILES_PATH}/generate-file-download-url`,
    {
      fileId,
      contentDisposition: disposition,
      expirationInMinutes: minutes,
    },
  );
  const first = response.downloadUrls[0];
  if (!first) throw new Error('The server gave no download URL');
  return first;
}

/**
 * Downloads are plain navigations to signed URLs (Content-Disposition: attachment keeps the page where it is);
 * the bytes never pass through JavaScript.
 */
export async function downloadFile(fileId: string): Promise<void> {
  const { url } = await signedUrl(fileId, 'ATTACHMENT', 10);
  window.location.assign(url);
}

/** Several files: the zip URL of the contract. */
export async function downloadFilesAsZip(fileIds: string[]): Promise<void> {
  const { downloadUrl } = await apiClient.post<{ downloadUrl: string }>(
    `${FILES_PATH}/generate-download-url`,
    {
      fileIds,
    },
  );
  window.location.assign(downloadUrl);
}

/** A folder with its sub-folders, as a zip. */
export async function downloadFolderAsZip(folderId: string): Promise<void> {
  const { downloadUrl } = await apiClient.post<{ downloadUrl: string }>(
    `/site-media/v1/folders/${encodeURIComponent(folderId)}/generate-download-url`,
    { folderId },
  );
  window.location.assign(downloadUrl);
}

/**
 * Files and folders together (the server's `/site-media-ext/v1` extension: the contract zips either files or one folder):
 * the files at the top, each folder with its tree. A refusal (too many files...) comes before any download.
 */
export async function downloadSelectionAsZip(fileIds: string[], folderIds: string[]): Promise<void> {
  const { downloadUrl } = await apiClient.post<{ downloadUrl: string }>(
    '/site-media-ext/v1/zips/generate-download-url',
    {
      fileIds,
      folderIds,
    },
  );
  window.location.assign(downloadUrl);
}
