import { queryOptions, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { BULK_FILE_IDS_MAX } from '../../contract';
import { fileKeys } from '../files/api/files';
import { itemKeys } from '../files/api/items';
import { apiClient } from '../lib/api-client';

const EXT_FILES_PATH = '/site-media-ext/v1/files';

/** The expiries the server offers, with what the owner reads. */
export const SHARE_EXPIRIES = [
  { value: 'HOUR', label: '1 hour' },
  { value: 'DAY', label: '1 day' },
  { value: 'WEEK', label: '1 week' },
  { value: 'MONTH', label: '1 month' },
  { value: 'YEAR', label: '1 year' },
] as const;
export type ShareExpiry = (typeof SHARE_EXPIRIES)[number]['value'];

export interface ShareLink {
  id: string;
  fileId: string;
  url: string;
  createdDate: string;
  expiresDate: string;
}

export const shareKeys = {
  all: ['share-links'] as const,
  of: (fileId: string) => [...shareKeys.all, fileId] as const,
};

const linksPath = (fileId: string) => `${EXT_FILES_PATH}/${encodeURIComponent(fileId)}/share-links`;

/** GET /site-media-ext/v1/files/{fileId}/share-links: the file's live links. */
export function shareLinksQueryOptions(fileId: string) {
  return queryOptions({
    queryKey: shareKeys.of(fileId),
    queryFn: async ({ signal }) =>
      (await apiClient.get<{ shareLinks: ShareLink[] }>(linksPath(fileId), { signal })).shareLinks,
  });
}

/** Creating and revoking links, and marking files private or public; each refreshes what it changed. */
export function useSharingActions() {
  const client = useQueryClient();
  return useMemo(
    () => ({
      async createLink(fileId: string, expiresIn: ShareExpiry): Promise<ShareLink> {
        const { shareLink } = await apiClient.post<{ shareLink: ShareLink }>(linksPath(fileId), {
          expiresIn,
        });
        await client.invalidateQueries({ queryKey: shareKeys.of(fileId) });
        return shareLink;
      },
      async revokeLink(fileId: string, linkId: string): Promise<void> {
        try {
          await apiClient.delete(`${linksPath(fileId)}/${encodeURIComponent(linkId)}`);
        } finally {
          await client.invalidateQueries({ queryKey: shareKeys.of(fileId) });
        }
      },
      /** In requests of at most BULK_FILE_IDS_MAX files; the listings and details refetch afterwards. */
      async setPrivate(fileIds: readonly string[], isPrivate: boolean): Promise<number> {
        let updated = 0;
        try {
          for (let i = 0; i < fileIds.length; i += BULK_FILE_IDS_MAX) {
            const { updatedFiles } = await apiClient.post<{ updatedFiles: number }>(
              `${EXT_FILES_PATH}/set-private`,
              { fileIds: fileIds.slice(i, i + BULK_FILE_IDS_MAX), private: isPrivate },
            );
            updated += updatedFiles;
          }
        } finally {
          // The thumbnail URLs change too (a private file's is signed): listings and details refetch.
          await Promise.all([
            client.invalidateQueries({ queryKey: itemKeys.all }),
            client.invalidateQueries({ queryKey: fileKeys.all }),
          ]);
        }
        return updated;
      },
    }),
    [client],
  );
}
