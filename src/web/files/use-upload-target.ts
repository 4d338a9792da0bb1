import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { folderQueryOptions } from '../folders/api/folders';
import { AREAS, type Area } from '../folders/paths';
import type { ItemActions } from './api/mutations';
import { useFileDrop } from './file-drop';
import { isTyping } from './is-typing';
import { namePasted, useUploadHere } from './use-upload-here';
import type { ViewState } from './view-state';

/**
 * The folder on screen as the place uploads go: its name, whether it takes uploads (not the trash, not a
 * search), files dropped on the browser or pasted from the clipboard, and new folders made in it.
 */
export function useUploadTarget(area: Area, folderId: string, view: ViewState, actions: ItemActions) {
  const root = AREAS[area];
  const canUpload = area !== 'trash' && !view.search;
  const folderName =
    useQuery({ ...folderQueryOptions(folderId), enabled: folderId !== root.root }).data?.displayName ??
    root.name;
  const { uploadHere, createFolder } = useUploadHere(area, folderId, folderName, actions);
  const dropzone = useFileDrop((files) => void uploadHere(files), { disabled: !canUpload });

  // Paste files from the clipboard (screenshots, copied files) into the current folder.
  useEffect(() => {
    if (!canUpload) return;
    const onPaste = (event: ClipboardEvent) => {
      if (isTyping(event.target)) return;
      const files = [...(event.clipboardData?.files ?? [])];
      if (files.length === 0) return;
      event.preventDefault();
      void uploadHere(namePasted(files));
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [canUpload, uploadHere]);

  return { canUpload, folderName, createFolder, dropzone };
}
