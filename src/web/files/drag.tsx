import { createContext, useContext, useMemo, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useToast } from '../components/ui/toast';
import { useUpload } from '../uploads/uploader-context';
import { useItemActions } from './api/mutations';
import { useResultToast } from './undo-toast';
import type { Item } from './api/items';
import { filesFromDrop, preloadDropReader, snapshotDrop } from './file-drop';

/** Marks drags that carry items of this app (not files from the desktop). */
export const ITEM_DRAG_TYPE = 'application/x-site-media-items';

interface DragApi {
  start(event: DragEvent, items: Item[]): void;
  end(): void;
  /** Moves the dragged items into a folder. */
  drop(target: { id: string; name: string }): void;
  dragged(): Item[];
}

const DragContext = createContext<DragApi | null>(null);

/** Holds what is being dragged, so any folder on the page (tile, tree node, breadcrumb) can take it. */
export function DragProvider({ children }: { children: ReactNode }) {
  const draggedRef = useRef<Item[]>([]);
  const actions = useItemActions();
  const toast = useToast();
  const showResult = useResultToast();
  const api = useMemo<DragApi>(
    () => ({
      start(event, items) {
        draggedRef.current = items;
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData(ITEM_DRAG_TYPE, JSON.stringify(items.map((i) => i.key)));
        event.dataTransfer.setData(
          'text/plain',
          items.map((i) => (i.kind === 'folder' ? i.folder.displayName : i.file.displayName)).join('\n'),
        );
      },
      end() {
        draggedRef.current = [];
      },
      drop(target) {
        const items = draggedRef.current;
        draggedRef.current = [];
        if (items.length === 0) return;
        if (items.some((i) => i.kind === 'folder' && i.folder.id === target.id)) {
          toast({ title: 'A folder cannot be moved into itself', variant: 'error' });
          return;
        }
        actions.move(items, target).then(
          (result) => showResult(result),
          (error: unknown) =>
            toast({
              title: 'Could not move',
              description: error instanceof Error ? error.message : undefined,
              variant: 'error',
            }),
        );
      },
      dragged: () => draggedRef.current,
    }),
    [actions, toast, showResult],
  );
  return <DragContext.Provider value={api}>{children}</DragContext.Provider>;
}

export function useDrag(): DragApi {
  const api = useContext(DragContext);
  if (!api) throw new Error('useDrag needs a DragProvider');
  return api;
}

const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

/**
 * Props that make an element a drop target: items dragged inside the app move into the folder, files dragged
 * from the desktop upload into it (a dropped directory keeps its structure). `active` is true while hovered.
 */
export function useDropTarget(target: { id: string; name: string } | null) {
  const drag = useDrag();
  const upload = useUpload();
  const toast = useToast();
  const [active, setActive] = useState(false);
  const accepts = (event: DragEvent) =>
    target !== null && (event.dataTransfer.types.includes(ITEM_DRAG_TYPE) || hasFiles(event));
  return {
    active,
    props: {
      onDragOver(event: DragEvent) {
        if (!accepts(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        if (!active && hasFiles(event)) preloadDropReader();
        if (!active) setActive(true);
      },
      onDragLeave() {
        setActive(false);
      },
      onDrop(event: DragEvent) {
        if (!accepts(event) || !target) return;
        event.preventDefault();
        event.stopPropagation();
        setActive(false);
        if (!hasFiles(event)) {
          drag.drop(target);
          return;
        }
        void filesFromDrop(snapshotDrop(event.dataTransfer)).then((files) => {
          const count = upload(files, { parentFolderId: target.id });
          if (count > 0) toast({ title: `Uploading ${count} file${count > 1 ? 's' : ''} to ${target.name}` });
        });
      },
    },
  };
}
