import { useState } from 'react';
import type { Item } from './api/items';

/** An action waiting for the user to confirm it (all of them cannot be undone or reach the site). */
export type Confirm = { kind: 'trash' | 'deleteForever' | 'emptyTrash'; items: Item[] } | null;

/** Which of the browser's dialogs is open, and for what: new folder, import, rename, move, confirm. */
export function useBrowserDialogs() {
  const [renaming, setRenaming] = useState<Item | null>(null);
  const [moving, setMoving] = useState<Item[] | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [newFolderOpen, setNewFolderOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  return {
    renaming,
    setRenaming,
    moving,
    setMoving,
    confirm,
    setConfirm,
    newFolderOpen,
    setNewFolderOpen,
    importOpen,
    setImportOpen,
  };
}

export type BrowserDialogState = ReturnType<typeof useBrowserDialogs>;
