import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import { Button } from '../components/ui/button';
import { useToast } from '../components/ui/toast';
import { itemCountQueryOptions, totalOf, trashFolderContents, type ItemCount } from './api/folder-contents';
import type { ListingParams } from './api/items';
import { LazyConfirmDialog } from './lazy-parts';
import { selectAll, type Selection } from './selection';

const number = new Intl.NumberFormat('en-US');
const plural = (n: number, word: string) => `${number.format(n)} ${word}${n === 1 ? '' : 's'}`;

function countText(count: ItemCount): string {
  return `${plural(totalOf(count), 'item')}${count.estimated ? ' or more' : ''}`;
}

/**
 * A big folder as a whole: its item count (from the server, not from what is loaded), and "Select all N", a
 * selection of everything in the folder, loaded or not, that the bulk actions carry out on the server.
 */
export function useWholeFolder(options: {
  params: ListingParams;
  listingKey: string;
  order: readonly string[];
  selection: Selection;
  setSelection: Dispatch<SetStateAction<Selection>>;
}) {
  const { params, listingKey, order, selection, setSelection } = options;
  const count = useQuery(itemCountQueryOptions(params)).data;
  const [active, setActive] = useState(false);
  useEffect(() => setActive(false), [listingKey]);
  const allLoadedSelected = order.length > 0 && selection.selected.size === order.length;
  // While everything is selected, pages loaded later are selected too; unselecting any item ends it.
  useEffect(() => {
    if (active)
      setSelection((current) => (current.selected.size === order.length ? current : selectAll(order)));
  }, [active, order, setSelection]);
  useEffect(() => {
    if (active && selection.selected.size < order.length && selection.selected.size !== 0) setActive(false);
    if (active && selection.selected.size === 0) setActive(false);
    // Only a change of the selection ends it (not new pages, which the effect above selects).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selection]);

  const total = count ? totalOf(count) : null;
  return {
    count,
    total,
    active,
    /** Everything loaded is selected, and the folder holds more than that: offer the whole folder. */
    canSelectAll: !active && allLoadedSelected && total !== null && total > order.length && !params.search,
    selectAll: () => {
      setSelection(selectAll(order));
      setActive(true);
    },
    clear: () => setActive(false),
  };
}

export type WholeFolder = ReturnType<typeof useWholeFolder>;

/** The folder's size, under the breadcrumb. */
export function FolderCount({ whole, loaded }: { whole: WholeFolder; loaded: number }) {
  if (!whole.count) return null;
  const shown = whole.total !== null && whole.total > loaded ? ` · ${number.format(loaded)} loaded` : '';
  return (
    <p className="browser__count muted" data-testid="folder-count">
      {countText(whole.count)}
      {shown}
    </p>
  );
}

/** The bulk bar's count: says when a selection covers only what is loaded, and offers the whole folder. */
export function SelectionCount({ whole, selected }: { whole: WholeFolder; selected: number }) {
  if (whole.canSelectAll && whole.total !== null) {
    return (
      <>
        <span className="bulk-bar__count" aria-live="polite">
          {number.format(selected)} loaded items selected, of {number.format(whole.total)}
        </span>
        <Button variant="ghost" onClick={whole.selectAll}>
          Select all {number.format(whole.total)}
        </Button>
      </>
    );
  }
  return (
    <span className="bulk-bar__count" aria-live="polite">
      {number.format(selected)} selected
    </span>
  );
}

/**
 * The bulk bar while the whole folder is selected: its actions go to the server as one request each, for every
 * item of the folder but those unselected (none: unselecting one ends the whole-folder selection).
 */
export function WholeFolderBar(props: {
  whole: WholeFolder;
  params: ListingParams;
  folderName: string;
  onClear: () => void;
}) {
  const { whole, params, folderName, onClear } = props;
  const client = useQueryClient();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const inTrash = params.area === 'trash';
  const label = whole.count ? countText(whole.count) : 'every item';
  return (
    <div className="bulk-bar" role="region" aria-label="Selection">
      <span className="bulk-bar__count" aria-live="polite">
        All {label} of {folderName} selected
      </span>
      {inTrash ? null : (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Move to Trash
        </Button>
      )}
      <Button variant="ghost" onClick={onClear}>
        Clear
      </Button>
      {/* The dialog (Radix) loads when first asked for, not with the first screen. */}
      {confirming ? (
        <LazyConfirmDialog
          open={confirming}
          onOpenChange={setConfirming}
          title={`Move all ${label} of ${folderName} to the trash?`}
          description={`Everything in ${folderName} goes to the trash, with the contents of its folders, including items not loaded yet. Public files keep working on your site until the trash is emptied, and you can restore them from Trash.`}
          confirmLabel="Move to Trash"
          destructive
          onConfirm={async () => {
            const result = await trashFolderContents(client, params, { folderIds: [], fileIds: [] });
            onClear();
            toast({
              title: `Moved ${plural(result.trashedFolders + result.trashedFiles, 'item')} to the trash`,
            });
          }}
        />
      ) : null}
    </div>
  );
}
