import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { MEDIA_ROOT_ID, VISITOR_UPLOADS_ROOT_ID } from '../../contract';
import { sessionQueryOptions } from '../auth/api/session';
import { SignInPage } from '../auth/sign-in-page';
import { Button } from '../components/ui/button';
import { LoadingState } from '../components/ui/status';
import { useToast } from '../components/ui/toast';
import type { Item } from '../files/api/items';
import { Browser } from '../files/browser';
import { DragProvider } from '../files/drag';
import { folderPathQueryOptions } from '../folders/api/folders';
import { FolderTree } from '../folders/folder-tree';
import { AREAS, isRootId, type Area } from '../folders/paths';
import { UploaderProvider } from '../uploads/uploader-context';
import { PickerContext, pickableFiles, type PickerMode } from './picker-context';
import { parsePickerParams, PICKER_MESSAGES, postToHost, toPickedItem, type PickerParams } from './protocol';
import './picker.css';

export const PICKER_PATH = '/picker';

/** `/picker`: the media browser as a picker for other sites' pages (docs/picker.md). Signs in in place. */
export function PickerPage() {
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const params = useMemo(() => parsePickerParams(searchParams), [searchParams]);
  const session = useQuery(sessionQueryOptions());
  // Bad `transform`/`w`/`h` are ignored (originals are returned); the host's developer finds why here.
  useEffect(() => {
    if (params.transformWarning) console.warn(params.transformWarning);
  }, [params.transformWarning]);

  if (session.isPending) {
    return (
      <div className="page-message">
        <LoadingState />
      </div>
    );
  }
  if (!session.data?.authenticated) {
    // In the frame itself: the sign-in page comes back here, to the same picker URL.
    return <SignInPage next={`${location.pathname}${location.search}`} />;
  }
  return <SignedInPicker params={params} />;
}

/** Whether the picker runs in a popup of its own (closed when done) rather than a frame. */
function inPopup(): boolean {
  return window.parent === window && !!window.opener;
}

function typesLabel(types: PickerParams['types']): string {
  if (!types) return 'Choose media';
  const names = [...types].map((t) => t.toLowerCase());
  return `Choose ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`}`;
}

function SignedInPicker({ params }: { params: PickerParams }) {
  const toast = useToast();
  const [, setSearchParams] = useSearchParams();
  const folderId = params.folder ?? MEDIA_ROOT_ID;
  const path = useQuery({ ...folderPathQueryOptions(folderId), enabled: !isRootId(folderId) });
  const rootId = isRootId(folderId) ? folderId : path.data?.rootId;
  const area: Area = rootId === VISITOR_UPLOADS_ROOT_ID ? 'visitor' : 'files';
  const [selected, setSelected] = useState<readonly Item[]>([]);
  const [sending, setSending] = useState(false);
  const done = useRef(false);

  const finish = useCallback(
    (message: { type: string; [key: string]: unknown }) => {
      done.current = true;
      postToHost(params.origin, message);
      if (inPopup()) window.close();
    },
    [params.origin],
  );
  const cancel = useCallback(() => finish({ type: PICKER_MESSAGES.cancelled }), [finish]);

  const mode = useMemo<PickerMode>(() => {
    const partial: PickerMode = {
      multiple: params.multiple,
      types: params.types,
      openFolder: (_area, id) =>
        setSearchParams((current) => {
          const next = new URLSearchParams(current);
          next.set('folder', id);
          for (const key of ['q', 'item', 'viewer']) next.delete(key);
          return next;
        }),
      setSelection: setSelected,
      choose: (items) => {
        const files = pickableFiles(partial, items);
        if (files.length === 0 || done.current) return;
        setSending(true);
        Promise.all(files.map((file) => toPickedItem(file, params.transform))).then(
          (picked) => finish({ type: PICKER_MESSAGES.picked, items: picked }),
          (error: unknown) => {
            setSending(false);
            toast({
              title: 'Could not choose',
              description: error instanceof Error ? error.message : undefined,
              variant: 'error',
            });
          },
        );
      },
    };
    return partial;
  }, [params.multiple, params.types, params.transform, setSearchParams, finish, toast]);

  useEffect(() => {
    postToHost(params.origin, { type: PICKER_MESSAGES.ready });
  }, [params.origin]);

  // Esc cancels, unless it closes something of the picker's own first (a dialog, a menu, the viewer).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (document.querySelector('[role="dialog"], [role="alertdialog"], [role="menu"]')) return;
      event.preventDefault();
      cancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [cancel]);

  const choosable = pickableFiles(mode, selected);
  const go = (target: Area) => (folder: { id: string }) => mode.openFolder(target, folder.id);

  return (
    <PickerContext.Provider value={mode}>
      <UploaderProvider>
        <DragProvider>
          <div className="picker">
            <header className="picker__header">
              <h1 className="picker__title">{typesLabel(params.types)}</h1>
              <span className="picker__spacer" />
              <Button variant="ghost" onClick={cancel} aria-label="Cancel (Esc)">
                ✕
              </Button>
            </header>
            <div className="picker__body">
              <nav className="picker__sidebar" aria-label="Folders">
                <FolderTree
                  rootId={AREAS.files.root}
                  rootName={AREAS.files.name}
                  selectedId={area === 'files' ? folderId : null}
                  expandIds={area === 'files' ? (path.data?.folders.map((f) => f.id) ?? []) : []}
                  onSelect={go('files')}
                  label="Site Files folders"
                />
                <FolderTree
                  rootId={AREAS.visitor.root}
                  rootName={AREAS.visitor.name}
                  selectedId={area === 'visitor' ? folderId : null}
                  expandIds={area === 'visitor' ? (path.data?.folders.map((f) => f.id) ?? []) : []}
                  onSelect={go('visitor')}
                  label="Visitor Uploads folders"
                />
              </nav>
              <main className="picker__main" id="main">
                {rootId === undefined && path.isPending ? (
                  <LoadingState />
                ) : (
                  <Browser key={area} area={area} folderId={folderId} />
                )}
              </main>
            </div>
            <footer className="picker__footer">
              <span className="picker__status muted" aria-live="polite">
                {choosable.length > 0
                  ? `${choosable.length} selected`
                  : params.multiple
                    ? 'Select files, then Choose (Enter). Ctrl/Shift-click selects several.'
                    : 'Select a file, then Choose (Enter or double-click).'}
              </span>
              <Button onClick={cancel}>Cancel</Button>
              <Button
                variant="primary"
                disabled={choosable.length === 0 || sending}
                onClick={() => mode.choose(selected)}
              >
                {sending ? 'Choosing…' : choosable.length > 1 ? `Choose ${choosable.length}` : 'Choose'}
              </Button>
            </footer>
          </div>
        </DragProvider>
      </UploaderProvider>
    </PickerContext.Provider>
  );
}
