import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { useToast } from '../components/ui/toast';
import { folderPath, type Area } from '../folders/paths';
import type { PickerMode } from '../picker/picker-context';
import { downloadFile, downloadFilesAsZip, downloadFolderAsZip, downloadSelectionAsZip } from './api/files';
import type { Item } from './api/items';
import type { ItemActions } from './api/mutations';
import type { ActionResult } from './api/undo';
import type { PanelActions } from './info-panel';
import type { Selection } from './selection';
import { useResultToast } from './undo-toast';
import type { BrowserDialogState } from './use-browser-dialogs';
import type { SetViewState, ViewState } from './view-state';

/**
 * What can be done to items from the grid, the bulk bar and the details panel: open (a folder is entered, a
 * file shown in the viewer; in the picker a file is chosen), download (one file as it is, else a zip), and
 * the actions that ask first or open a dialog. Failures show as toasts.
 */
export function useItemCommands({
  area,
  picker,
  view,
  setView,
  selection,
  selectedItems,
  dialogs,
  actions,
}: {
  area: Area;
  picker: PickerMode | null;
  view: ViewState;
  setView: SetViewState;
  selection: Selection;
  selectedItems: Item[];
  dialogs: BrowserDialogState;
  actions: ItemActions;
}) {
  const navigate = useNavigate();
  const toast = useToast();
  const showResult = useResultToast();

  const run = useCallback(
    (work: Promise<ActionResult | string>, failure: string) =>
      work.then(
        (result) => showResult(result),
        (error: unknown) =>
          toast({
            title: failure,
            description: error instanceof Error ? error.message : undefined,
            variant: 'error',
          }),
      ),
    [toast, showResult],
  );

  const openItem = useCallback(
    (item: Item) => {
      if (item.kind === 'folder') {
        if (picker) picker.openFolder(area, item.folder.id);
        else void navigate(folderPath(area, item.folder.id) + (view.view === 'list' ? '?view=list' : ''));
      } else if (picker) {
        picker.choose(selection.selected.has(item.key) ? selectedItems : [item]);
      } else {
        // Its own history entry: Back closes the viewer.
        setView({ item: item.key, viewer: true });
      }
    },
    [area, navigate, setView, view.view, picker, selection, selectedItems],
  );

  const download = useCallback(
    (targets: Item[]) => {
      const [first] = targets;
      const work =
        targets.length === 1 && first
          ? first.kind === 'file'
            ? downloadFile(first.file.id)
            : downloadFolderAsZip(first.folder.id)
          : targets.some((i) => i.kind === 'folder')
            ? downloadSelectionAsZip(
                targets.flatMap((i) => (i.kind === 'file' ? [i.file.id] : [])),
                targets.flatMap((i) => (i.kind === 'folder' ? [i.folder.id] : [])),
              )
            : downloadFilesAsZip(targets.flatMap((i) => (i.kind === 'file' ? [i.file.id] : [])));
      work.catch((error: unknown) =>
        toast({
          title: 'Could not download',
          description: error instanceof Error ? error.message : undefined,
          variant: 'error',
        }),
      );
    },
    [toast],
  );

  const panelActions: PanelActions = {
    // The picker's info panel previews a file ("View") instead of choosing it.
    open: (item) =>
      picker && item.kind === 'file' ? setView({ item: item.key, viewer: true }) : openItem(item),
    rename: dialogs.setRenaming,
    move: dialogs.setMoving,
    trash: (targets) => dialogs.setConfirm({ kind: 'trash', items: targets }),
    restore: (targets) => void run(actions.restore(targets), 'Could not restore'),
    deleteForever: (targets) => dialogs.setConfirm({ kind: 'deleteForever', items: targets }),
    download,
  };

  return { openItem, download, panelActions };
}
