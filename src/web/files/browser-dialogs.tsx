import { FOLDER_NAME_MAX } from '../../contract';
import type { ItemActions } from './api/mutations';
import type { ActionResult } from './api/undo';
import { ConfirmActionDialog } from './confirm-action-dialog';
import { LazyImportDialog, LazyMoveDialog, LazyNameDialog, LazyRenameDialog } from './lazy-parts';
import type { BrowserDialogState } from './use-browser-dialogs';

/** The browser's dialogs (each loaded when first opened): new folder, import, rename, move, confirm. */
export function BrowserDialogs({
  dialogs,
  moveArea,
  folderId,
  actions,
  showResult,
  createFolder,
  onImported,
}: {
  dialogs: BrowserDialogState;
  /** Where the move dialog's tree starts: visitor uploads move within theirs, the rest within Site Files. */
  moveArea: 'files' | 'visitor';
  folderId: string;
  actions: ItemActions;
  showResult: (result: ActionResult | string) => void;
  createFolder: (name: string) => Promise<unknown>;
  onImported: () => void;
}) {
  const { renaming, moving, confirm, newFolderOpen, importOpen } = dialogs;
  return (
    <>
      {newFolderOpen ? (
        <LazyNameDialog
          open={newFolderOpen}
          onOpenChange={dialogs.setNewFolderOpen}
          title="New folder"
          label="Folder name"
          initial=""
          max={FOLDER_NAME_MAX}
          submitLabel="Create"
          onSubmit={createFolder}
        />
      ) : null}
      {importOpen ? (
        <LazyImportDialog
          open={importOpen}
          onOpenChange={dialogs.setImportOpen}
          parentFolderId={folderId}
          onImported={onImported}
        />
      ) : null}
      {renaming ? (
        <LazyRenameDialog
          item={renaming}
          onClose={() => dialogs.setRenaming(null)}
          onRename={async (item, name) => showResult(await actions.rename(item, name))}
        />
      ) : null}
      {moving ? (
        <LazyMoveDialog
          items={moving}
          area={moveArea}
          onClose={() => dialogs.setMoving(null)}
          onMove={async (target) => showResult(await actions.move(moving ?? [], target))}
        />
      ) : null}
      {confirm ? (
        <ConfirmActionDialog
          confirm={confirm}
          onClose={() => dialogs.setConfirm(null)}
          actions={actions}
          showResult={showResult}
        />
      ) : null}
    </>
  );
}
