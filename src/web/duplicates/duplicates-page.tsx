import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { DuplicateGroup } from '../../contract';
import { Button } from '../components/ui/button';
import { ConfirmDialog } from '../components/ui/confirm-dialog';
import { EmptyState, ErrorState, LoadingState } from '../components/ui/status';
import { useToast } from '../components/ui/toast';
import type { Item } from '../files/api/items';
import { UsedOnSiteWarning } from '../files/used-on-site';
import { areaOfRoot, folderPath, isRootId } from '../folders/paths';
import { formatBytes, formatDate } from '../lib/format';
import { useDocumentTitle } from '../lib/use-document-title';
import { duplicateGroupsQueryOptions, useMergeDuplicates } from './api';
import { FileLocation } from './file-location';
import './duplicates.css';

/**
 * The Duplicates view (`/duplicates`): groups of identical live files (same SHA-256), largest first, with the
 * space each group wastes. "Merge…" keeps the file the owner picks (the oldest unless changed) and moves the
 * others to the trash, where they can be restored; it warns first when a site uses one of those.
 */
export function DuplicatesPage() {
  useDocumentTitle('Duplicates');
  const groups = useInfiniteQuery(duplicateGroupsQueryOptions());
  const list = groups.data?.pages.flatMap((page) => page.groups) ?? [];

  return (
    <div className="duplicates-page">
      <header className="duplicates-page__header">
        <h1>Duplicates</h1>
        <p className="muted">
          Files with exactly the same content. Merge a group to keep one file and move the others to the trash
          (you can restore them from there).
        </p>
      </header>
      {groups.isPending ? (
        <LoadingState label="Looking for duplicates…" />
      ) : groups.isError ? (
        <ErrorState
          title="Could not load duplicates"
          message={groups.error.message}
          onRetry={() => void groups.refetch()}
          retrying={groups.isFetching}
        />
      ) : list.length === 0 ? (
        <EmptyState title="No duplicates">Every file in your library has its own content.</EmptyState>
      ) : (
        <>
          <ul className="duplicate-groups" aria-label="Groups of identical files">
            {list.map((group) => (
              <DuplicateGroupCard key={group.hash} group={group} />
            ))}
          </ul>
          {groups.hasNextPage ? (
            <Button onClick={() => void groups.fetchNextPage()} disabled={groups.isFetchingNextPage}>
              {groups.isFetchingNextPage ? 'Loading…' : 'Show more groups'}
            </Button>
          ) : null}
        </>
      )}
    </div>
  );
}

function DuplicateGroupCard({ group }: { group: DuplicateGroup }) {
  const [keepId, setKeepId] = useState(group.files[0]?.id ?? '');
  const [confirming, setConfirming] = useState(false);
  const merge = useMergeDuplicates();
  const toast = useToast();
  const kept = group.files.find((f) => f.id === keepId) ?? group.files[0];
  const removed = group.files.filter((f) => f.id !== kept?.id);
  const removedItems: Item[] = removed.map((file) => ({ key: file.id, kind: 'file', file }));
  const titleId = `duplicate-group-${group.hash}`;
  const name = kept?.displayName ?? '';

  return (
    <li className="duplicate-group" aria-labelledby={titleId} data-testid="duplicate-group">
      <div className="duplicate-group__header">
        <div>
          <h2 className="duplicate-group__title" id={titleId}>
            {group.fileCount} copies of {name}
          </h2>
          <span className="muted small">
            {formatBytes(group.sizeInBytes)} each · <strong>{formatBytes(group.wastedBytes)} wasted</strong>
            {group.fileCount > group.files.length ? ` · the oldest ${group.files.length} shown` : ''}
          </span>
        </div>
        <Button variant="primary" onClick={() => setConfirming(true)} disabled={merge.isPending}>
          Merge…
        </Button>
      </div>
      <fieldset>
        <legend className="visually-hidden">File to keep</legend>
        {group.files.map((file) => (
          <label key={file.id} className="duplicate-file">
            <input
              type="radio"
              name={`keep-${group.hash}`}
              value={file.id}
              checked={file.id === kept?.id}
              onChange={() => setKeepId(file.id)}
            />
            <img className="duplicate-file__thumb" src={file.thumbnailUrl} alt="" loading="lazy" />
            <span className="duplicate-file__text">
              <span className="duplicate-file__name">{file.displayName}</span>
              <span className="muted small">
                {' '}
                · added {formatDate(file.createdDate)} ·{' '}
                <Link to={placeOf(file.parentFolderId)}>
                  <FileLocation parentFolderId={file.parentFolderId} />
                </Link>
              </span>
            </span>
            {file.id === kept?.id ? <span className="duplicate-file__keep small">Keep</span> : null}
          </label>
        ))}
      </fieldset>
      {confirming ? (
        <ConfirmDialog
          open={confirming}
          onOpenChange={setConfirming}
          title="Merge duplicates?"
          description={
            <>
              Keep <strong>{name}</strong> and move{' '}
              {removed.length === 1 ? 'the other copy' : `the other ${removed.length} copies`} to the trash.
              You can restore them from the trash.
              <UsedOnSiteWarning items={removedItems} />
            </>
          }
          confirmLabel={`Move ${removed.length} to trash`}
          destructive
          onConfirm={async () => {
            if (!kept) return;
            const result = await merge.mutateAsync({
              keepFileId: kept.id,
              fileIds: removed.map((f) => f.id),
            });
            toast({
              title: `Kept ${name}`,
              description: `${result.trashedFileIds.length} moved to the trash · ${formatBytes(group.wastedBytes)} freed once the trash is emptied`,
            });
          }}
        />
      ) : null}
    </li>
  );
}

/** The folder page a file is in. */
function placeOf(parentFolderId: string): string {
  if (isRootId(parentFolderId)) return folderPath(areaOfRoot(parentFolderId), parentFolderId);
  // A folder's area is not known from its id alone; Site Files' URL opens any folder (its tree follows).
  return folderPath('files', parentFolderId);
}
