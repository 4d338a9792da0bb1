import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../lib/api-client';
import type { FocalPointPercent } from './transform-url';

/** The extension endpoint (not in Wix's contract): docs/api.md, "Focal point". */
const EXT_FILES_PATH = '/site-media-ext/v1/files';

export const focalPointKeys = {
  all: ['focal-point'] as const,
  file: (fileId: string) => [...focalPointKeys.all, fileId] as const,
};

interface FocalPointBody {
  focalPoint: FocalPointPercent | null;
}

/** A file's focal point in percent, or null (the centre). */
export function focalPointQueryOptions(fileId: string) {
  return queryOptions({
    queryKey: focalPointKeys.file(fileId),
    queryFn: async () =>
      (await apiClient.get<FocalPointBody>(`${EXT_FILES_PATH}/${encodeURIComponent(fileId)}/focal-point`))
        .focalPoint,
    staleTime: 60_000,
  });
}

/**
 * Saves a focal point. The marker (and every URL built from it) moves at once; if the server refuses, the old
 * point comes back and the error goes to the caller's `onError`.
 */
export function useSetFocalPoint(fileId: string) {
  const client = useQueryClient();
  const key = focalPointKeys.file(fileId);
  return useMutation({
    mutationKey: key,
    mutationFn: async (focalPoint: FocalPointPercent | null) =>
      (
        await apiClient.request<FocalPointBody>(
          `${EXT_FILES_PATH}/${encodeURIComponent(fileId)}/focal-point`,
          { method: 'PUT', body: { focalPoint } },
        )
      ).focalPoint,
    onMutate: async (focalPoint) => {
      await client.cancelQueries({ queryKey: key });
      const previous = client.getQueryData<FocalPointPercent | null>(key);
      client.setQueryData(key, focalPoint);
      return { previous };
    },
    onError: (_error, _point, context) => {
      client.setQueryData(key, context?.previous ?? null);
    },
    // Only the last of several quick changes (arrow keys) refetches: an earlier answer must not move the marker
    // back while a later change is still on its way.
    onSettled: () => {
      if (client.isMutating({ mutationKey: key }) <= 1) void client.invalidateQueries({ queryKey: key });
    },
  });
}
