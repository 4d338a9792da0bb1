import { itemName, type Item } from './api/items';
import type { ItemActions } from './api/mutations';
import type { ActionResult } from './api/undo';
import { LazyConfirmDialog, LazyUsedOnSiteWarning } from './lazy-parts';
import type { Confirm } from './use-browser-dialogs';

function describeItems(items: readonly Item[]): string {
  if (items.length === 1 && items[0]) return `“${itemName(items[0])}”`;
  const folders = items.filter((i) => i.kind === 'folder').length;
  const files = items.length - folders;
  return [
    folders ? `${folders} folder${folders > 1 ? 's' : ''}` : '',
    files ? `${files} file${files > 1 ? 's' : ''}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
}

/**
 * Asks before moving items to the trash, deleting them forever or emptying the trash, saying what goes and
 * what breaks (pages that use the files), then acts and shows the result (with its undo, where there is one).
 */
export function ConfirmActionDialog({
  confirm,
  onClose,
  actions,
  showResult,
}: {
  confirm: NonNullable<Confirm>;
  onClose: () => void;
  actions: ItemActions;
  showResult: (result: ActionResult | string) => void;
}) {
  const confirmText = describeItems(confirm.items);
  return (
    <LazyConfirmDialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={
        confirm.kind === 'emptyTrash'
          ? 'Empty the trash?'
          : confirm.kind === 'deleteForever'
            ? `Delete ${confirmText} forever?`
            : `Move ${confirmText} to the trash?`
      }
      description={
        confirm.kind === 'emptyTrash' ? (
          'Everything in the trash is deleted forever, with its bytes. Pages that still use these files will break. This cannot be undone.'
        ) : confirm.kind === 'deleteForever' ? (
          `${confirmText} and everything inside will be deleted with their bytes. Pages that still use them will break. This cannot be undone.${confirm.items.some((i) => i.kind === 'folder') ? ' Items you moved to the trash on their own earlier stay in the trash.' : ''}`
        ) : (
          <>
            {`${confirmText} will go to the trash${confirm.items.some((i) => i.kind === 'folder') ? ' with everything inside' : ''}. Public files keep working on your site until the trash is emptied, and you can restore them from Trash.`}
            <LazyUsedOnSiteWarning items={confirm.items} />
          </>
        )
      }
      confirmLabel={
        confirm.kind === 'trash'
          ? 'Move to Trash'
          : confirm.kind === 'emptyTrash'
            ? 'Empty trash'
            : 'Delete forever'
      }
      destructive
      onConfirm={async () => {
        const work =
          confirm.kind === 'emptyTrash'
            ? actions.emptyTrash()
            : confirm.kind === 'deleteForever'
              ? actions.deleteForever(confirm.items)
              : actions.trash(confirm.items);
        showResult(await work);
      }}
    />
  );
}
