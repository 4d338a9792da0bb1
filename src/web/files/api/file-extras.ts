import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { FileDescriptor } from '../../../contract';
import { apiClient } from '../../lib/api-client';
import { fileKeys } from './files';
import { itemKeys } from './items';

/** The server's extension endpoints (not in Wix's contract): docs/api.md, "Trash retention", "Alt text". */
const EXT = '/site-media-ext/v1';

/** `TRASH_RETENTION_DAYS`: a trashed item is deleted forever this many days after it was trashed; 0: never. */
export function trashRetentionQueryOptions() {
  return queryOptions({
    queryKey: ['trash-retention'] as const,
    queryFn: async ({ signal }) =>
      (await apiClient.get<{ retentionDays: number }>(`${EXT}/trash-bin/retention`, { signal }))
        .retentionDays,
    staleTime: Infinity,
  });
}

/** What sites using a file say about it (the contract's `externalInfo`): the site, and the pages using it. */
export interface FileReferences {
  id: string;
  displayName: string;
  externalInfo: { origin?: string; externalIds?: string[] };
}

export const referenceKeys = {
  all: ['file-references'] as const,
  of: (fileIds: readonly string[]) => [...referenceKeys.all, [...fileIds].sort()] as const,
};

/** Of these files (up to 1000), those that sites say they use. */
export function fileReferencesQueryOptions(fileIds: readonly string[]) {
  return queryOptions({
    queryKey: referenceKeys.of(fileIds),
    queryFn: async ({ signal }) =>
      (
        await apiClient.post<{ files: FileReferences[] }>(
          `${EXT}/files/external-references`,
          { fileIds: fileIds.slice(0, 1000) },
          { signal },
        )
      ).files,
    enabled: fileIds.length > 0,
    staleTime: 10_000,
  });
}

function withAltText(file: FileDescriptor, altText: string | null): FileDescriptor {
  const image = file.media.image;
  if (!image) return file;
  return { ...file, media: { ...file.media, image: { ...image, image: { ...image.image, altText } } } };
}

/**
 * Saves an image's alt text. The info panel shows it at once; if the server refuses, the old text comes back and
 * the error goes to the caller.
 */
export function useSetAltText(fileId: string) {
  const client = useQueryClient();
  const key = fileKeys.detail(fileId);
  return useMutation({
    mutationKey: ['alt-text', fileId],
    mutationFn: async (altText: string | null) =>
      (
        await apiClient.request<{ file: FileDescriptor }>(
          `${EXT}/files/${encodeURIComponent(fileId)}/alt-text`,
          { method: 'PUT', body: { altText } },
        )
      ).file,
    onMutate: async (altText) => {
      await client.cancelQueries({ queryKey: key });
      const previous = client.getQueryData<FileDescriptor>(key);
      if (previous) client.setQueryData(key, withAltText(previous, altText));
      return { previous };
    },
    onError: (_error, _text, context) => {
      if (context?.previous) client.setQueryData(key, context.previous);
    },
    onSuccess: (file) => {
      client.setQueryData(key, file);
      // Listings hold the descriptor too (its updatedDate changed).
      void client.invalidateQueries({ queryKey: itemKeys.all });
    },
  });
}
