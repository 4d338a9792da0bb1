import { useEffect, useRef, useState, type ChangeEvent, type DragEvent, type MouseEvent } from 'react';

// Files dragged from the desktop onto the page, without react-dropzone on the first screen: the events are
// handled here, and file-selector (which walks dropped folders and keeps each file's path in them) loads at the
// first drag. A drop's DataTransfer is emptied when the drop event ends, so what it carries is read during the
// event (`snapshotDrop`) and read out later, after file-selector has loaded: even the very first drag works.

/** True when a drag carries files from outside the page (not items of this app, not text). */
export const carriesFiles = (transfer: DataTransfer | null): boolean =>
  !!transfer && Array.from(transfer.types).includes('Files');

/** The parts of a DataTransferItem that file-selector reads, taken while the drop event lasts. */
interface ItemSnapshot {
  kind: 'file';
  type: string;
  getAsFile: () => File | null;
  webkitGetAsEntry?: () => FileSystemEntry | null;
}

export interface DropSnapshot {
  items: ItemSnapshot[];
  files: File[];
}

/** Reads a drop's files and folder entries now, while the event lasts. */
export function snapshotDrop(transfer: DataTransfer): DropSnapshot {
  const items: ItemSnapshot[] = [];
  for (const item of Array.from(transfer.items ?? [])) {
    if (item.kind !== 'file') continue;
    const file = item.getAsFile();
    const snapshot: ItemSnapshot = { kind: 'file', type: item.type, getAsFile: () => file };
    if (typeof item.webkitGetAsEntry === 'function') {
      const entry = item.webkitGetAsEntry();
      snapshot.webkitGetAsEntry = () => entry;
    }
    items.push(snapshot);
  }
  return { items, files: Array.from(transfer.files) };
}

const loadFileSelector = () => import('file-selector');

/** Starts loading file-selector (at the first drag over the page), so the drop rarely waits for it. */
export function preloadDropReader(): void {
  void loadFileSelector().catch(() => undefined);
}

/** The files of a drop, a dropped folder's files included with their paths (`path`, `relativePath`). */
export async function filesFromDrop(snapshot: DropSnapshot): Promise<File[]> {
  const { fromEvent } = await loadFileSelector();
  return (await fromEvent({ type: 'drop', dataTransfer: snapshot })) as File[];
}

/**
 * Makes an element a drop zone for files from the desktop, with a hidden file input for the Upload button:
 * `rootProps` go on the zone, `inputProps` on an `<input>` inside it, `open()` shows the file chooser, `active`
 * is true while files are dragged over the zone.
 */
export function useFileDrop(onFiles: (files: File[]) => void, options: { disabled: boolean }) {
  const { disabled } = options;
  const [active, setActive] = useState(false);
  const depth = useRef(0);
  const input = useRef<HTMLInputElement>(null);
  const latest = useRef(onFiles);
  latest.current = onFiles;

  useEffect(() => {
    // Files dropped beside the zone must not make the browser open them in place of the app; and a drop
    // anywhere (a folder tile takes its own drop and stops it there) ends the zone's highlight.
    const onDragOver = (event: globalThis.DragEvent) => {
      if (carriesFiles(event.dataTransfer)) event.preventDefault();
    };
    const onDrop = (event: globalThis.DragEvent) => {
      depth.current = 0;
      setActive(false);
      if (carriesFiles(event.dataTransfer)) event.preventDefault();
    };
    document.addEventListener('dragover', onDragOver);
    document.addEventListener('drop', onDrop, true);
    return () => {
      document.removeEventListener('dragover', onDragOver);
      document.removeEventListener('drop', onDrop, true);
    };
  }, []);
  useEffect(() => {
    if (!disabled) return;
    depth.current = 0;
    setActive(false);
  }, [disabled]);

  return {
    active,
    open: () => input.current?.click(),
    rootProps: {
      onDragEnter(event: DragEvent) {
        if (disabled || !carriesFiles(event.dataTransfer)) return;
        event.preventDefault();
        preloadDropReader();
        depth.current += 1;
        setActive(true);
      },
      onDragOver(event: DragEvent) {
        if (disabled || !carriesFiles(event.dataTransfer)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave(event: DragEvent) {
        if (disabled || !carriesFiles(event.dataTransfer)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setActive(false);
      },
      onDrop(event: DragEvent) {
        if (disabled || !carriesFiles(event.dataTransfer)) return;
        event.preventDefault();
        const snapshot = snapshotDrop(event.dataTransfer);
        void filesFromDrop(snapshot).then((files) => {
          if (files.length > 0) latest.current(files);
        });
      },
    },
    inputProps: {
      ref: input,
      type: 'file',
      multiple: true,
      tabIndex: -1,
      className: 'visually-hidden',
      onClick: (event: MouseEvent) => event.stopPropagation(),
      onChange(event: ChangeEvent<HTMLInputElement>) {
        const files = Array.from(event.target.files ?? []);
        event.target.value = ''; // choosing the same file again is a change too
        // No uploads where there is no folder to upload into (trash, search), as react-dropzone did.
        if (files.length > 0 && !disabled) latest.current(files);
      },
    },
  };
}
