import { useQuery } from '@tanstack/react-query';
import { folderPathQueryOptions } from '../folders/api/folders';
import { rootFolderName } from '../folders/paths';

/** Where a file is, as a path: "Site Files / Holiday / Day 1". */
export function FileLocation({ parentFolderId }: { parentFolderId: string }) {
  const root = rootFolderName(parentFolderId);
  const path = useQuery({ ...folderPathQueryOptions(parentFolderId), enabled: root === null });
  if (root !== null) return <>{root}</>;
  if (!path.data) return <>…</>;
  const rootName = rootFolderName(path.data.rootId) ?? '';
  return <>{[rootName, ...path.data.folders.map((f) => f.displayName)].join(' / ')}</>;
}
