import { Button } from '../components/ui/button';
import { BulkPrivacyMenu } from '../sharing';
import type { Item } from './api/items';
import type { BrowserDialogState } from './use-browser-dialogs';
import { SelectionCount, type WholeFolder } from './whole-folder';

/** What can be done to the selected items at once: in the trash restore or delete; elsewhere move, download, make private or public, trash. */
export function BulkBar({
  selectedItems,
  whole,
  inTrash,
  dialogs,
  onRestore,
  onDownload,
  onClear,
}: {
  selectedItems: Item[];
  whole: WholeFolder;
  inTrash: boolean;
  dialogs: BrowserDialogState;
  onRestore: (items: Item[]) => void;
  onDownload: (items: Item[]) => void;
  onClear: () => void;
}) {
  return (
    <div className="bulk-bar" role="region" aria-label="Selection">
      <SelectionCount whole={whole} selected={selectedItems.length} />
      {inTrash ? (
        <>
          <Button onClick={() => onRestore(selectedItems)}>Restore</Button>
          <Button
            variant="danger"
            onClick={() => dialogs.setConfirm({ kind: 'deleteForever', items: selectedItems })}
          >
            Delete forever
          </Button>
        </>
      ) : (
        <>
          <Button onClick={() => dialogs.setMoving(selectedItems)}>Move to…</Button>
          <Button onClick={() => onDownload(selectedItems)}>Download</Button>
          <BulkPrivacyMenu fileIds={selectedItems.flatMap((i) => (i.kind === 'file' ? [i.file.id] : []))} />
          <Button
            variant="danger"
            onClick={() => dialogs.setConfirm({ kind: 'trash', items: selectedItems })}
          >
            Move to Trash
          </Button>
        </>
      )}
      <Button variant="ghost" onClick={onClear}>
        Clear
      </Button>
    </div>
  );
}
