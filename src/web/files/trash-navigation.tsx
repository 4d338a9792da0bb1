import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { folderPathQueryOptions, folderQueryOptions } from '../folders/api/folders';
import { AREAS, folderPath, rootFolderName, type Area } from '../folders/paths';
import { isApiError } from '../lib/api-client';

/**
 * Trash lists only what is in the trash: a live folder's trash listing (an old link, or a crumb of the live
 * path above a trashed folder) would say "The trash is empty" while the trash holds items. Such a URL goes to the
 * top of Trash instead.
 */
export function useLeaveLiveFolderInTrash(area: Area, folderId: string): void {
  const navigate = useNavigate();
  const inFolder = area === 'trash' && folderId !== AREAS.trash.root;
  const folder = useQuery({ ...folderQueryOptions(folderId), enabled: inFolder });
  // Only an answer fetched for this page counts: the cache may still hold the folder from before it was trashed
  // (opened live a moment ago), and acting on that would leave a trashed folder the owner just opened.
  const live = inFolder && folder.isFetchedAfterMount && !folder.isFetching && folder.data?.state === 'OK';
  useEffect(() => {
    if (live) void navigate(folderPath('trash', AREAS.trash.root), { replace: true });
  }, [live, navigate]);
}

/**
 * Where a trashed item was: the path of its folder from its area's root (`Site Files › Photos › 2024`). The
 * folder may be gone for good since: the item then restores to the top of Site Files.
 */
export function OriginalLocation({
  parentFolderId,
  short = false,
}: {
  parentFolderId: string;
  short?: boolean;
}) {
  const root = rootFolderName(parentFolderId);
  const path = useQuery({ ...folderPathQueryOptions(parentFolderId), enabled: root === null, retry: false });
  let text: string;
  if (root !== null) text = root;
  else if (path.data) {
    const names = path.data.folders.map((f) => f.displayName);
    const full = [rootFolderName(path.data.rootId) ?? 'Site Files', ...names];
    // A tile has room for the folder's own name only (`short`); the info panel shows the whole path.
    text = short ? (full.at(-1) ?? '') : full.join(' › ');
  } else if (path.isError) {
    text =
      isApiError(path.error) && path.error.status === 404
        ? short
          ? 'a deleted folder'
          : 'A folder since deleted forever (restores to Site Files)'
        : 'Unknown (could not load the folder)';
  } else text = '…';
  return <>{text}</>;
}
