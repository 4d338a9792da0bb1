import { createContext, useContext } from 'react';
import type { FileDescriptor, MediaType } from '../../contract';
import type { Item } from '../files/api/items';
import { emptySelection, selectOnly, type Selection } from '../files/selection';
import type { Area } from '../folders/paths';

/**
 * What the shared browser components need to know when they run inside the media picker (`/picker`): which
 * files may be chosen, and where "open" goes. Absent (null) in the admin app.
 */
export interface PickerMode {
  multiple: boolean;
  /** The media types that can be chosen; null: every type. */
  types: ReadonlySet<MediaType> | null;
  /** Opening a folder stays in the picker (its URL) instead of going to the admin pages. */
  openFolder: (area: Area, folderId: string) => void;
  /** Choose these items (folders and files of other types are left out); nothing happens when none is left. */
  choose: (items: readonly Item[]) => void;
  /** The browser's current selection, for the picker's Choose button. */
  setSelection: (items: readonly Item[]) => void;
}

export const PickerContext = createContext<PickerMode | null>(null);

/** The picker mode, or null outside the picker. */
export function usePicker(): PickerMode | null {
  return useContext(PickerContext);
}

/** Whether the picker may return this file. */
export function isPickable(picker: PickerMode, file: FileDescriptor): boolean {
  return (picker.types === null || picker.types.has(file.mediaType)) && file.state !== 'DELETED';
}

/** The files among `items` the picker may return, at most one unless `multiple`. */
export function pickableFiles(picker: PickerMode, items: readonly Item[]): FileDescriptor[] {
  const files = items.flatMap((i) => (i.kind === 'file' && isPickable(picker, i.file) ? [i.file] : []));
  return picker.multiple ? files : files.slice(0, 1);
}

/** A single-choice picker shows at most one selected item: the last one clicked or toggled. */
export function singleSelection(selection: Selection): Selection {
  if (selection.selected.size <= 1) return selection;
  return selection.anchor && selection.selected.has(selection.anchor)
    ? selectOnly(selection.anchor)
    : emptySelection;
}
