import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import { Button } from '../components/ui/button';
import { useToast } from '../components/ui/toast';
import { TRASH_ROOT_ID } from '../../contract';
import { canUndo, undoBulkOperation, type BulkAction } from './api/bulk-operations';
import { downloadFolderAsZip } from './api/files';
import { itemCountQueryOptions, totalOf, type ItemCount } from './api/folder-contents';
import type { ListingParams } from './api/items';
import { BulkProgress, bulkResultMessage } from './bulk-progress';
import { LazyConfirmDialog, LazyMoveDialog } from './lazy-parts';
import { useBulkOperation } from './use-bulk-operation';
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
          {number.format(selected)} loaded {selected === 1 ? 'item' : 'items'} selected, of{' '}
          {number.format(whole.total)}
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
 * The bulk bar while the whole folder is selected: each action is one request that starts a bulk operation on
 * the server over every item of the listing (its type filter included), loaded or not; the bar shows its
 * progress, then a toast says how it ended and the lists refresh.
 */
export function WholeFolderBar(props: {
  whole: WholeFolder;
  params: ListingParams;
  folderName: string;
  onClear: () => void;
}) {
  const { whole, params, folderName, onClear } = props;
  const toast = useToast();
  const client = useQueryClient();
  const bulk = useBulkOperation((operation) => {
    const message = bulkResultMessage(operation);
    // Undo runs on the server over what the operation changed; this bar is gone by then (the selection ends).
    const undo = () =>
      void undoBulkOperation(client, operation.id).then(
        (undone) => toast(bulkResultMessage(undone)),
        (error: unknown) =>
          toast({
            title: 'Could not undo',
            description: error instanceof Error ? error.message : undefined,
            variant: 'error',
          }),
      );
    toast(canUndo(operation) ? { ...message, action: { label: 'Undo', undo: true, run: undo } } : message);
    onClear();
  });
  const [confirming, setConfirming] = useState<'TRASH' | 'DELETE_FOREVER' | null>(null);
  const [moving, setMoving] = useState(false);
  const inTrash = params.area === 'trash';
  const label = whole.count ? countText(whole.count) : 'every item';
  const where = inTrash && params.folderId === TRASH_ROOT_ID ? 'the trash' : folderName;

  const start = async (action: BulkAction, destinationFolderId?: string) => {
    try {
      await bulk.start(params, action, destinationFolderId);
    } catch (error) {
      toast({
        title: 'Could not start',
        description: error instanceof Error ? error.message : undefined,
        variant: 'error',
      });
    }
  };

  if (bulk.operation && bulk.operation.status === 'RUNNING') {
    return (
      <div className="bulk-bar" role="region" aria-label="Selection">
        <BulkProgress operation={bulk.operation} />
      </div>
    );
  }

  return (
    <div className="bulk-bar" role="region" aria-label="Selection">
      <span className="bulk-bar__count" aria-live="polite">
        All {label} of {where} selected
      </span>
      {inTrash ? (
        <>
          <Button onClick={() => void start('RESTORE')}>Restore all</Button>
          <Button variant="danger" onClick={() => setConfirming('DELETE_FOREVER')}>
            Delete all forever
          </Button>
        </>
      ) : (
        <>
          <Button onClick={() => setMoving(true)}>Move all to…</Button>
          {/* A zip of the whole folder is the folder's own zip (its limits apply); by type there is none. */}
          {params.type ? null : (
            <Button
              onClick={() =>
                downloadFolderAsZip(params.folderId).catch((error: unknown) =>
                  toast({
                    title: 'Could not download',
                    description: error instanceof Error ? error.message : undefined,
                    variant: 'error',
                  }),
                )
              }
            >
              Download all
            </Button>
          )}
          <Button variant="danger" onClick={() => setConfirming('TRASH')}>
            Move to Trash
          </Button>
        </>
      )}
      <Button variant="ghost" onClick={onClear}>
        Clear
      </Button>
      {/* The dialog (Radix) loads when first asked for, not with the first screen. */}
      {confirming !== null ? (
        <LazyConfirmDialog
          open
          onOpenChange={(open) => !open && setConfirming(null)}
          title={
            confirming === 'DELETE_FOREVER'
              ? `Delete all ${label} of ${where} forever?`
              : `Move all ${label} of ${folderName} to the trash?`
          }
          description={
            confirming === 'DELETE_FOREVER'
              ? `Every matching item in ${where} is deleted for good, with what was trashed with it, including items not loaded yet. Their links stop working. This cannot be undone.`
              : `Everything in ${folderName}${params.type ? ' of this type' : ''} goes to the trash, with the contents of its folders, including items not loaded yet. Public files keep working on your site until the trash is emptied, and you can restore them from Trash.`
          }
          confirmLabel={confirming === 'DELETE_FOREVER' ? 'Delete forever' : 'Move to Trash'}
          destructive
          onConfirm={async () => {
            if (confirming) await start(confirming);
          }}
        />
      ) : null}
      {moving ? (
        <LazyMoveDialog
          items={[]}
          area={params.area === 'visitor' ? 'visitor' : 'files'}
          title={`Move all ${label} of ${folderName} to…`}
          onClose={() => setMoving(false)}
          onMove={(target) => bulk.start(params, 'MOVE', target.id)}
        />
      ) : null}
    </div>
  );
}
