import { useQuery } from '@tanstack/react-query';
import { trashRetentionQueryOptions } from './api/file-extras';
import type { Item } from './api/items';
import { OriginalLocation } from './trash-navigation';

const DAY_MS = 24 * 60 * 60_000;

/** The retention in days (0: kept until deleted), or undefined while it loads. */
export function useTrashRetentionDays(): number | undefined {
  return useQuery(trashRetentionQueryOptions()).data;
}

/** When an item was trashed: its `updatedDate` (a trashed item cannot change, so that is the moment). */
export function trashedDateOf(item: Item): string {
  return item.kind === 'folder' ? item.folder.updatedDate : item.file.updatedDate;
}

/** Whole days left before the cleanup deletes an item trashed at `trashedAt` (0 once due). */
export function daysLeft(trashedAt: string, retentionDays: number, now = Date.now()): number {
  const due = Date.parse(trashedAt) + retentionDays * DAY_MS;
  return Math.max(0, Math.ceil((due - now) / DAY_MS));
}

/** "Deleted forever in 27 days" (or "today", or nothing while the rule loads or when the trash is kept). */
export function purgeText(trashedAt: string, retentionDays: number | undefined): string | null {
  if (retentionDays === undefined || retentionDays === 0) return null;
  const days = daysLeft(trashedAt, retentionDays);
  if (days === 0) return 'Deleted forever today';
  return `Deleted forever in ${days} ${days === 1 ? 'day' : 'days'}`;
}

/** The Trash page's rule, in one line. */
export function TrashRule() {
  const days = useTrashRetentionDays();
  if (days === undefined) return null;
  return (
    <p className="trash-rule muted small" data-testid="trash-rule">
      {days === 0
        ? 'Items stay in the trash until you delete them forever.'
        : `Items in the trash are deleted forever ${days} ${days === 1 ? 'day' : 'days'} after they were deleted.`}
    </p>
  );
}

const SHORT_DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/**
 * A trash tile's lines under the name: when it was deleted, where from, and when it goes for good (the size is
 * in the list view and the details).
 */
export function TrashedTileMeta({ item }: { item: Item }) {
  const days = useTrashRetentionDays();
  const trashedAt = trashedDateOf(item);
  const parent = item.kind === 'folder' ? item.folder.parentFolderId : item.file.parentFolderId;
  const purge = purgeText(trashedAt, days);
  return (
    <span className="tile__meta tile__meta--trash">
      <span className="tile__from">Deleted {SHORT_DATE.format(Date.parse(trashedAt))}</span>
      <span className="tile__from">
        From <OriginalLocation parentFolderId={parent} short />
      </span>
      {purge ? <span className="tile__purge">{purge}</span> : null}
    </span>
  );
}

/** A trash list row's second line under the name: where the item came from. */
export function TrashedFrom({ item }: { item: Item }) {
  const parent = item.kind === 'folder' ? item.folder.parentFolderId : item.file.parentFolderId;
  return (
    <span className="list-row__from small muted">
      From <OriginalLocation parentFolderId={parent} short />
    </span>
  );
}

/** The list row's date cell in Trash: when it was deleted, and when it goes for good. */
export function TrashedDateCell({ item, formatted }: { item: Item; formatted: string }) {
  const purge = purgeText(trashedDateOf(item), useTrashRetentionDays());
  return (
    <span className="muted trash-date" title={purge ?? undefined}>
      <span className="trash-date__when">{formatted}</span>
      {purge ? (
        <span className="trash-date__purge small">{purge.replace('Deleted forever', 'Forever')}</span>
      ) : null}
    </span>
  );
}

/** The info panel's "Deleted forever" fact of a trashed item. */
export function PurgeFact({ trashedAt }: { trashedAt: string }) {
  const days = useTrashRetentionDays();
  if (days === undefined) return null;
  const text =
    days === 0
      ? 'Never (kept until you delete it)'
      : (purgeText(trashedAt, days) ?? '').replace('Deleted forever ', '');
  return (
    <div className="facts__row">
      <dt>Deleted forever</dt>
      <dd data-testid="purge-fact">{text}</dd>
    </div>
  );
}
