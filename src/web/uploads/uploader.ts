import Uppy, { type Meta, type UppyFile } from '@uppy/core';
import GoldenRetriever, { type GoldenRetrieverOptions } from '@uppy/golden-retriever';
import Tus from '@uppy/tus';
import type { QueryClient } from '@tanstack/react-query';
import type { FileDescriptor } from '../../contract';
import { folderKeys } from '../folders/api/folders';
import { fileKeys } from '../files/api/files';
import { itemKeys } from '../files/api/items';
import { apiClient, isApiError } from '../lib/api-client';
import { chooseForDuplicates } from './duplicate-question';
import { PlainPutUploader } from './plain-put-uploader';

/** Files up to this size go by one plain PUT; larger ones by tus, resumable. */
export const PLAIN_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

export interface UploadMeta extends Meta {
  /** Folder the file goes into. */
  parentFolderId?: string;
  /** Folders to create below it (a dropped directory's structure), e.g. `/holiday/day 1`. */
  filePath?: string;
  /** Uploaded private (the uploader's "Upload as private" when it was queued). */
  private?: boolean;
  /** The file whose content this upload replaces (Replace): same id and URL, new bytes. */
  replaceFileId?: string;
  /** Set once the server has handed out a URL for this file (kept across reloads by Golden Retriever). */
  token?: string;
  uploadUrl?: string;
  filename?: string;
  contentType?: string;
}

interface UploadBody extends Record<string, unknown> {
  file?: FileDescriptor;
}

export type AppUppy = Uppy<UploadMeta, UploadBody>;
export type AppUppyFile = UppyFile<UploadMeta, UploadBody>;

/** A replace always goes by plain PUT (its URL is a plain upload's, whatever the size). */
const isPlain = (file: AppUppyFile) =>
  !!file.meta.replaceFileId || (file.size ?? 0) <= PLAIN_UPLOAD_MAX_BYTES;

/** The contract's error message hidden in a tus-js-client error ("... response text: {json} ..."). */
export function uploadErrorMessage(error: unknown): string {
  if (isApiError(error)) return error.message;
  const text = error instanceof Error ? error.message : String(error);
  const match = /response text: (\{.*\})(?:, request id|$)/s.exec(text);
  if (match?.[1]) {
    try {
      const body = JSON.parse(match[1]) as { message?: string };
      if (body.message) return body.message;
    } catch {
      // Not JSON after all: fall through.
    }
  }
  if (/failed to fetch|network|ERR_|connection/i.test(text))
    return 'The connection was lost. Retry to continue.';
  return text;
}

/**
 * The app's one Uppy instance. Before uploading, each file gets its URL from the server (generate-upload-url, or
 * generate-resumable-upload-url for tus); after a tus upload the server is asked to finalize it. Golden
 * Retriever keeps unfinished uploads across a reload; tus then resumes from the server's offset.
 */
export function createUploader(queryClient: QueryClient): AppUppy {
  const uppy = new Uppy<UploadMeta, UploadBody>({
    id: 'site-media',
    autoProceed: true,
    allowMultipleUploadBatches: true,
  });

  // Small files by one plain PUT, large ones by tus. The plain uploader goes first: tus leaves the files it has
  // finished or failed alone (see `plain-put-uploader.ts`).
  uppy.use(PlainPutUploader<UploadMeta, UploadBody>, {
    accepts: isPlain,
    url: (file) => file.meta.uploadUrl ?? '',
    limit: 4,
    // Say why the server refused, in its own words (too big, wrong type, quota...).
    errorOf: (_status, text) => new Error(uploadErrorMessage(`response text: ${text}`)),
  });
  uppy.use(Tus, {
    endpoint: '/upload/v1/tus',
    limit: 3,
    allowedMetaFields: ['filename', 'contentType', 'token'],
    removeFingerprintOnSuccess: true,
  });
  // Golden Retriever keeps a file's bytes in IndexedDB only up to `maxFileSize` (10 MiB by default): exactly the
  // files that go by plain PUT, which cannot resume anyway. Raise it so the tus uploads (above 10 MB) survive a
  // reload too; a file bigger still comes back as a ghost that must be chosen again.
  // (The plugin passes `indexedDB` on to its IndexedDB store, whose limits its typings do not list yet.)
  const indexedDB = { maxFileSize: 2 * 1024 ** 3, maxTotalSize: 4 * 1024 ** 3 } as NonNullable<
    GoldenRetrieverOptions['indexedDB']
  >;
  uppy.use(GoldenRetriever, { indexedDB });

  // Ask the server for each file's URL. A refusal (too big, wrong type, quota) fails that file with the
  // server's reason; the others go on.
  uppy.addPreProcessor(async (fileIDs) => {
    // Bytes already in the library: asked before anything goes up (duplicate-question.ts).
    const fresh = fileIDs
      .map((id) => uppy.getFile(id))
      .filter((file) => file && !file.meta.uploadUrl && file.data instanceof Blob);
    const duplicates = await chooseForDuplicates(
      fresh.map((file) => ({ id: file.id, name: file.name ?? '', data: file.data as Blob })),
    );
    await Promise.all(
      fileIDs.map(async (id) => {
        const file = uppy.getFile(id);
        if (!file || file.meta.uploadUrl) return;
        const onDuplicate = duplicates.get(id);
        // With a choice, the extension's endpoints (Wix's take no such flag).
        const api = onDuplicate ? '/site-media-ext/v1' : '/site-media/v1';
        const body = {
          mimeType: file.type || 'application/octet-stream',
          fileName: file.name,
          sizeInBytes: String(file.size ?? 0),
          parentFolderId: file.meta.parentFolderId,
          ...(file.meta.filePath ? { filePath: file.meta.filePath } : {}),
          ...(file.meta.private ? { private: true } : {}),
          ...(onDuplicate ? { onDuplicate } : {}),
        };
        try {
          if (file.meta.replaceFileId) {
            const { uploadUrl } = await apiClient.post<{ uploadUrl: string }>(
              `/site-media-ext/v1/files/${encodeURIComponent(file.meta.replaceFileId)}/replace-upload-url`,
              { mimeType: body.mimeType, sizeInBytes: body.sizeInBytes },
            );
            uppy.setFileMeta(id, { uploadUrl });
          } else if (isPlain(file)) {
            const { uploadUrl } = await apiClient.post<{ uploadUrl: string }>(
              `${api}/files/generate-upload-url`,
              body,
            );
            uppy.setFileMeta(id, { uploadUrl });
          } else {
            const { uploadUrl, uploadToken } = await apiClient.post<{
              uploadUrl: string;
              uploadToken: string;
            }>(`${api}/files/generate-resumable-upload-url`, { ...body, uploadProtocol: 'TUS' });
            uppy.setFileMeta(id, {
              uploadUrl,
              token: uploadToken,
              filename: file.name,
              contentType: body.mimeType,
            });
            uppy.setFileState(id, { tus: { endpoint: uploadUrl } });
          }
        } catch (error) {
          uppy.emit('upload-error', uppy.getFile(id), new Error(uploadErrorMessage(error)));
        }
      }),
    );
  });

  // A completed tus upload becomes a file only when finalized: PUT {uploadUrl}/{uploadToken}?filename=.
  uppy.addPostProcessor(async (fileIDs) => {
    await Promise.all(
      fileIDs.map(async (id) => {
        const file = uppy.getFile(id);
        if (
          !file ||
          isPlain(file) ||
          !file.progress.uploadComplete ||
          file.error ||
          file.response?.body?.file
        )
          return;
        const { uploadUrl, token } = file.meta;
        try {
          const response = await fetch(
            `${uploadUrl}/${token}?filename=${encodeURIComponent(file.name ?? '')}`,
            {
              method: 'PUT',
            },
          );
          const body = (await response.json()) as UploadBody & { message?: string };
          if (!response.ok) throw new Error(body.message ?? `The server answered ${response.status}`);
          uppy.setFileState(id, {
            response: { status: response.status, body, uploadURL: file.response?.uploadURL },
          });
        } catch (error) {
          uppy.emit('upload-error', uppy.getFile(id), new Error(uploadErrorMessage(error)));
        }
      }),
    );
  });

  // New files show in the grid as soon as they exist, without a reload.
  let refresh: ReturnType<typeof setTimeout> | undefined;
  const refreshListings = () => {
    clearTimeout(refresh);
    refresh = setTimeout(() => {
      void queryClient.invalidateQueries({ queryKey: itemKeys.all });
      void queryClient.invalidateQueries({ queryKey: folderKeys.all });
    }, 250);
  };
  uppy.on('upload-success', refreshListings);
  // A replaced file's details (the panel) show its new content.
  uppy.on('upload-success', (file) => {
    const replaced = file?.meta.replaceFileId;
    if (replaced) void queryClient.invalidateQueries({ queryKey: fileKeys.detail(replaced) });
  });
  uppy.on('complete', refreshListings);
  return uppy;
}

export interface UploadTarget {
  parentFolderId: string;
  /** The batch goes up private. */
  private?: boolean;
  /** The one file given replaces this file's content (Replace). */
  replaceFileId?: string;
}

/** A file as it comes from a drop, a picker or the clipboard; `path` is its place in a dropped directory. */
export type IncomingFile = File & { path?: string; relativePath?: string };

/** Queues files for upload into a folder, keeping a dropped directory's structure as `filePath`. */
export function addFiles(uppy: AppUppy, files: readonly IncomingFile[], target: UploadTarget): number {
  let added = 0;
  for (const file of files) {
    const relative = (file.relativePath || file.path || file.webkitRelativePath || '').replace(/^\.?\/+/, '');
    const directory = relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '';
    try {
      uppy.addFile({
        name: file.name,
        type: file.type,
        data: file,
        source: 'local',
        meta: {
          parentFolderId: target.parentFolderId,
          filePath: directory ? `/${directory}` : '',
          private: target.private ?? false,
          ...(target.replaceFileId ? { replaceFileId: target.replaceFileId } : {}),
          // Part of Uppy's file id: the same file may go to two folders (or replace a file's content).
          relativePath: `${target.replaceFileId ? `replace:${target.replaceFileId}` : target.parentFolderId}/${relative || file.name}`,
        },
      });
      added++;
    } catch (error) {
      // Uppy refuses a file it already holds; if that one is done, upload again.
      const existing = uppy
        .getFiles()
        .find(
          (f) =>
            f.data === file ||
            (f.name === file.name &&
              f.size === file.size &&
              f.meta.parentFolderId === target.parentFolderId &&
              f.meta.replaceFileId === target.replaceFileId),
        );
      if (existing?.progress.uploadComplete) {
        uppy.removeFile(existing.id);
        added += addFiles(uppy, [file], target);
      } else {
        uppy.log(error instanceof Error ? error.message : String(error), 'warning');
      }
    }
  }
  return added;
}
