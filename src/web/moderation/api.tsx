import { queryOptions, useQuery } from '@tanstack/react-query';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Folder } from '../../contract';
import { apiClient } from '../lib/api-client';

/** The review of visitor uploads (the server's extension, docs/api.md "Review of visitor uploads"). */
export const MODERATION_PATH = '/site-media-ext/v1/visitor-uploads/moderation';

/** New files the Visitor Uploads page learns about: their tiles say "New", and Review walks them. */
export const QUEUE_LIMIT = 1000;

/** How often the new count is asked for again while the app is open (actions refresh it at once). */
const POLL_MS = 30_000;

export interface ModerationState {
  newCount: number;
  fileIds: string[];
  approveFolder: Folder | null;
}

/**
 * Under `['items']`, so every change the app makes to items (move, trash, restore, upload...) refreshes the count
 * and the queue along with the listings.
 */
export const moderationKeys = {
  all: ['items', 'visitor-moderation'] as const,
  state: (limit: number) => [...moderationKeys.all, limit] as const,
};

/** The new count, and the first `limit` new files (oldest upload first). */
export function moderationQueryOptions(limit: number) {
  return queryOptions({
    queryKey: moderationKeys.state(limit),
    queryFn: ({ signal }) => apiClient.get<ModerationState>(MODERATION_PATH, { signal, query: { limit } }),
    refetchInterval: POLL_MS,
  });
}

/** "3 new" beside Visitor Uploads in the sidebar; nothing when none are waiting. */
export function NewUploadsBadge() {
  const { data } = useQuery(moderationQueryOptions(0));
  const count = data?.newCount ?? 0;
  if (count === 0) return null;
  const label = `${count} new`;
  return (
    <span className="count-badge" title={`${count} new visitor ${count === 1 ? 'upload' : 'uploads'}`}>
      <span aria-hidden="true">{count > 999 ? '999+' : count}</span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

const NewFiles = createContext<ReadonlySet<string>>(new Set());

/** Gives the Visitor Uploads page the ids of new files (the first `QUEUE_LIMIT` of them). */
export function NewFilesProvider({ children }: { children: ReactNode }) {
  const { data } = useQuery(moderationQueryOptions(QUEUE_LIMIT));
  const ids = useMemo(() => new Set(data?.fileIds ?? []), [data]);
  return <NewFiles.Provider value={ids}>{children}</NewFiles.Provider>;
}

/** The "New" badge of a file's tile or row (only inside Visitor Uploads). */
export function NewBadge({ fileId }: { fileId: string }) {
  return useContext(NewFiles).has(fileId) ? <span className="badge badge--new">New</span> : null;
}
