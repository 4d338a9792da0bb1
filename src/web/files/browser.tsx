import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import { useNavigate } from 'react-router';
import { FOLDER_NAME_MAX } from '../../contract';
import { Button } from '../components/ui/button';
import { ChoiceMenu } from '../components/ui/menu';
import { EmptyState, ErrorState, LoadingState } from '../components/ui/status';
import { useToast } from '../components/ui/toast';
import { folderQueryOptions } from '../folders/api/folders';
import { Breadcrumb } from '../folders/breadcrumb';
import { AREAS, folderPath, type Area } from '../folders/paths';
import { useDocumentTitle } from '../lib/use-document-title';
import { downloadFile, downloadFilesAsZip, downloadFolderAsZip, downloadSelectionAsZip } from './api/files';
import {
  fileItemKey,
  itemListQueryOptions,
  itemName,
  type Item,
  type ListingParams,
  type SortKey,
} from './api/items';
import { useItemActions } from './api/mutations';
import type { ActionResult } from './api/undo';
import { useFileDrop } from './file-drop';
import { LazyViewer } from '../preview/lazy-viewer';
import type { PanelActions } from './info-panel';
import {
  LazyConfirmDialog,
  LazyImportDialog,
  LazyInfoPanel,
  LazyMoveDialog,
  LazyNameDialog,
  LazyRenameDialog,
  LazyToolbarMoreMenu,
  LazyTrashRule,
  LazyUsedOnSiteWarning,
} from './lazy-parts';
import { ItemGrid } from './item-grid';
import { singleSelection, usePicker } from '../picker/picker-context';
import { MEDIA_TYPE_LABELS } from './media-labels';
import { useLeaveLiveFolderInTrash } from './trash-navigation';
import { ReviewBar } from '../moderation/index';
import {
  emptySelection,
  prune,
  selectAll,
  selectOnly,
  selectRange,
  selectedInOrder,
  toggle,
  type Selection,
} from './selection';
import { SEARCH_HINT, SearchHint, SEARCH_HINT_ID } from './search-hint';
import { useTouchSelection } from './use-touch-selection';
import { useDetailsOpen } from './use-details-open';
import { namePasted, useUploadHere } from './use-upload-here';
import { BulkPrivacyMenu, UploadOptionsMenu } from '../sharing';
import { defaultOrder, FILTERABLE_TYPES, useViewState } from './view-state';
import { usePendingPoll } from './use-pending-poll';
import { useLinkedItem } from './use-linked-item';
import { useResultToast } from './undo-toast';
import { useScrollRestoration } from './use-scroll-restoration';
import { useFarEnd } from './use-far-end';
import { FolderCount, SelectionCount, useWholeFolder, WholeFolderBar } from './whole-folder';

type Confirm = { kind: 'trash' | 'deleteForever' | 'emptyTrash'; items: Item[] } | null;

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

function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return (
    !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName))
  );
}

/** The file browser of an area: toolbar, breadcrumb, virtualised grid or list, info panel, bulk actions. */
export function Browser({ area, folderId }: { area: Area; folderId: string }) {
  const navigate = useNavigate();
  const toast = useToast();
  const showResult = useResultToast();
  const actions = useItemActions();
  // In the media picker (src/web/picker): opening a file chooses it, and the admin actions are left out.
  const picker = usePicker();
  const [view, setView] = useViewState();
  const inTrash = area === 'trash';
  const root = AREAS[area];

  const params: ListingParams = {
    area,
    folderId,
    search: view.search,
    sort: view.sort,
    order: view.order,
    type: view.type,
  };
  const listing = useInfiniteQuery(itemListQueryOptions(params));
  // A big folder is read from both ends: the scrollbar dragged to the bottom shows the end at once.
  const farEnd = useFarEnd(params, listing);
  const items = farEnd.items;
  usePendingPoll(params, items);
  const order = useMemo(() => items.map((i) => i.key), [items]);
  const byKey = useMemo(() => new Map(items.map((i) => [i.key, i])), [items]);

  const [anySelection, setSelection] = useState<Selection>(emptySelection);
  const selection = picker && !picker.multiple ? singleSelection(anySelection) : anySelection;
  const [focusKey, setFocusKey] = useState<string | null>(view.item);
  const focusRequest = useRef(false);
  const [renaming, setRenaming] = useState<Item | null>(null);
  const [moving, setMoving] = useState<Item[] | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [newFolderOpen, setNewFolderOpen] = useState(false);
  const [searchDraft, setSearchDraft] = useState(view.search);
  const [importOpen, setImportOpen] = useState(false);
  // The details column stays in place whatever is focused, so a click never reflows the grid under the pointer.
  const [detailsOpen, showDetails] = useDetailsOpen(view.item);
  const canUpload = !inTrash && !view.search;
  const folderName =
    useQuery({ ...folderQueryOptions(folderId), enabled: folderId !== root.root }).data?.displayName ??
    root.name;
  const { uploadHere, createFolder } = useUploadHere(area, folderId, folderName, actions);
  const title = view.search ? `Search: ${view.search}` : folderName;
  useDocumentTitle(title);
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
  const searchRef = useRef<HTMLInputElement>(null);

  // A new folder or listing starts with nothing selected.
  const listingKey = JSON.stringify(params);
  useEffect(() => {
    setSelection(emptySelection);
  }, [listingKey]);
  // Items that left the listing (moved, deleted) leave the selection too.
  useEffect(() => setSelection((current) => prune(current, order)), [order]);
  const whole = useWholeFolder({ params, listingKey, order, selection, setSelection });
  // Back/Forward bring back the scroll position and selection; a link opens its item even past the first page.
  const linked = useLinkedItem(view.item, byKey, params);
  const place = useScrollRestoration({
    listingKey,
    listing,
    order,
    selection: anySelection,
    setSelection,
    item: view.item,
    membership: linked.membership,
  });
  useEffect(() => setSearchDraft(view.search), [view.search]);
  useEffect(() => setFocusKey(view.item), [view.item]);

  // Debounced search: the URL (and with it the listing) follows the box 300 ms after the last key.
  useEffect(() => {
    if (searchDraft === view.search) return;
    const timer = setTimeout(() => setView({ search: searchDraft, item: null }, { replace: true }), 300);
    return () => clearTimeout(timer);
  }, [searchDraft, view.search, setView]);

  const focusIndex = focusKey ? order.indexOf(focusKey) : -1;
  const focusedItem = focusKey ? byKey.get(focusKey) : undefined;
  // A linked item not loaded (yet, or not in this listing) still opens in the details panel.
  const panelItem = focusedItem ?? linked.item;
  const selectedItems = useMemo(
    () =>
      selectedInOrder(selection, order)
        .map((key) => byKey.get(key))
        .filter((i): i is Item => !!i),
    [selection, order, byKey],
  );
  useEffect(() => picker?.setSelection(selectedItems), [picker, selectedItems]);

  const focus = useCallback(
    (index: number, fromKeyboard: boolean) => {
      const item = items[Math.max(0, Math.min(index, items.length - 1))];
      if (!item) return;
      focusRequest.current = fromKeyboard;
      setFocusKey(item.key);
      setView({ item: item.key }, { replace: true });
    },
    [items, setView],
  );
  // End pressed before the end was loaded: focus the last item once it is.
  const [endWanted, setEndWanted] = useState(false);
  useEffect(() => {
    if (!endWanted || !farEnd.lastLoaded) return;
    setEndWanted(false);
    focus(items.length - 1, true);
  }, [endWanted, farEnd.lastLoaded, items.length, focus]);

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
    rename: setRenaming,
    move: setMoving,
    trash: (targets) => setConfirm({ kind: 'trash', items: targets }),
    restore: (targets) => void run(actions.restore(targets), 'Could not restore'),
    deleteForever: (targets) => setConfirm({ kind: 'deleteForever', items: targets }),
    download,
  };

  const touch = useTouchSelection(selection, setSelection);
  const onItemClick = (event: MouseEvent, item: Item, index: number) => {
    if (touch.selecting) {
      setSelection((current) => toggle(current, item.key));
      return;
    }
    if (event.shiftKey) {
      setSelection((current) => selectRange(current, item.key, order, event.ctrlKey || event.metaKey));
    } else if (event.ctrlKey || event.metaKey) {
      setSelection((current) => toggle(current, item.key));
    } else {
      setSelection(selectOnly(item.key));
    }
    focus(index, false);
  };

  // A click on the grid's empty space (not on a tile, not with a modifier) clears the selection.
  const clearOnEmptySpace = (event: MouseEvent) => {
    const target = event.target as HTMLElement;
    if (event.shiftKey || event.ctrlKey || event.metaKey) return;
    if (target.closest('[role="gridcell"][data-key], [role="columnheader"], button, a, input')) return;
    setSelection(emptySelection);
  };

  const actOnSelection = () => (selectedItems.length > 0 ? selectedItems : focusedItem ? [focusedItem] : []);

  const onGridKeyDown = (event: KeyboardEvent, columns: number) => {
    if (isTyping(event.target)) return;
    const mod = event.ctrlKey || event.metaKey;
    const current = focusIndex < 0 ? 0 : focusIndex;
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: columns,
      ArrowUp: -columns,
      Home: -current,
      End: items.length - 1 - current,
      PageDown: columns * 4,
      PageUp: -columns * 4,
    };
    const step = moves[event.key];
    if (event.key === 'End' && !farEnd.lastLoaded && farEnd.gap) {
      // The end is not loaded: read it from the other end, then focus the last item (the effect below).
      event.preventDefault();
      farEnd.loadEnd();
      setEndWanted(true);
      return;
    }
    if (step !== undefined) {
      event.preventDefault();
      let next = Math.max(0, Math.min(items.length - 1, focusIndex < 0 ? 0 : current + step));
      // Arrows and pages stop at the edge of the unloaded middle (it loads as it comes into view).
      const gapAt = farEnd.gap?.at;
      if (gapAt !== undefined && event.key !== 'Home' && event.key !== 'End') {
        if (current < gapAt && next >= gapAt) next = gapAt - 1;
        else if (current >= gapAt && next < gapAt) next = gapAt;
      }
      const target = items[next];
      if (event.shiftKey && target)
        setSelection((s) =>
          selectRange(s.anchor ? s : selectOnly(items[current]?.key ?? target.key), target.key, order),
        );
      focus(next, true);
      return;
    }
    const target = focusedItem;
    switch (event.key) {
      case ' ':
        if (target) setSelection((s) => toggle(s, target.key));
        break;
      case 'Enter':
        if (target) openItem(target);
        break;
      case 'Escape':
        if (picker) return; // The picker's Esc cancels it.
        setSelection(emptySelection);
        break;
      case 'Delete':
      case 'Backspace':
        if (picker || actOnSelection().length === 0) return;
        setConfirm({ kind: inTrash ? 'deleteForever' : 'trash', items: actOnSelection() });
        break;
      case 'F2':
        if (target && !inTrash && !picker) setRenaming(target);
        break;
      case 'a':
      case 'A':
        if (!mod) return;
        setSelection(selectAll(order));
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  // `/` jumps to the search box.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (document.querySelector('[role="dialog"], [role="alertdialog"]')) return;
      if (event.key === '/') {
        event.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Known only for the top of the trash as it is, unfiltered: elsewhere (inside a folder, a search) assume not.
  const trashIsEmpty =
    inTrash &&
    folderId === root.root &&
    !view.search &&
    !view.type &&
    listing.isSuccess &&
    items.length === 0 &&
    !listing.hasNextPage;
  useLeaveLiveFolderInTrash(area, folderId);

  const sortLabel = { name: 'Name', updated: 'Last updated', size: 'Size' }[view.sort];
  const confirmText = confirm && describeItems(confirm.items);

  let content;
  if (listing.isPending) {
    content = <LoadingState label="Loading…" />;
  } else if (listing.isError && !listing.data) {
    content = (
      <ErrorState
        title={
          listing.error && 'status' in listing.error && listing.error.status === 404
            ? 'This folder does not exist'
            : 'Could not load this folder'
        }
        message={listing.error instanceof Error ? listing.error.message : undefined}
        retrying={listing.isFetching}
        onRetry={() => void listing.refetch()}
      />
    );
  } else if (items.length === 0 && farEnd.endLoaded) {
    content = (
      <EmptyState
        title={
          view.search || view.type
            ? 'Nothing matches'
            : inTrash
              ? 'The trash is empty'
              : 'This folder is empty'
        }
      >
        <p className="muted">
          {view.search || view.type
            ? 'Try other words, or clear the search and the type filter.'
            : inTrash
              ? 'Deleted files and folders stay here until they are deleted forever.'
              : canUpload
                ? 'Drop files here or use Upload. You can also create a folder with “New folder”.'
                : 'Create a folder with “New folder”, or move files here from another folder.'}
        </p>
      </EmptyState>
    );
  } else {
    content = (
      <ItemGrid
        key={listingKey}
        place={place}
        items={items}
        view={view.view}
        label={view.search ? `Search results for ${view.search}` : `Contents of ${title}`}
        selected={selection.selected}
        focusIndex={focusIndex < 0 ? 0 : focusIndex}
        focusRequest={focusRequest}
        gap={farEnd.gap}
        endLoaded={farEnd.endLoaded}
        isFetching={farEnd.isFetching}
        ensureLoaded={farEnd.ensureLoaded}
        onItemClick={onItemClick}
        onItemOpen={openItem}
        onKeyDown={onGridKeyDown}
        onFocusIndex={(index) => focus(index, false)}
        dragItems={(item) => (selection.selected.has(item.key) ? selectedItems : [item])}
        droppable={!inTrash}
        dateColumn={inTrash ? 'Deleted' : 'Updated'}
        onItemLongPress={touch.onLongPress}
        sort={{ sort: view.sort, order: view.order, onSort: (sort, order) => setView({ sort, order }) }}
      />
    );
  }

  return (
    <div className="browser">
      <div className="browser__main" {...dropzone.rootProps}>
        <h1 className="visually-hidden">{title}</h1>
        <input {...dropzone.inputProps} aria-label="Files to upload" />
        {dropzone.active ? (
          <div className="drop-overlay" aria-hidden="true">
            Drop files to upload to {folderName}
          </div>
        ) : null}
        <div className="toolbar" role="toolbar" aria-label="View and actions">
          <input
            ref={searchRef}
            type="search"
            className="toolbar__search"
            placeholder={`Search ${root.name}`}
            aria-label={`Search ${root.name}`}
            value={searchDraft}
            maxLength={200}
            onChange={(event) => setSearchDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') setView({ search: searchDraft, item: null }, { replace: true });
            }}
          />
          <div className="toolbar__secondary">
            <ChoiceMenu<string>
              label={`Sort: ${sortLabel}`}
              ariaLabel={`Sort by ${sortLabel}, ${view.order === 'asc' ? 'ascending' : 'descending'}`}
              groups={[
                {
                  label: 'Sort by',
                  value: view.sort,
                  options: [
                    { value: 'name', label: 'Name' },
                    { value: 'updated', label: 'Last updated' },
                    { value: 'size', label: 'Size' },
                  ],
                  onChange: (sort) =>
                    setView({ sort: sort as SortKey, order: defaultOrder(sort as SortKey) }),
                },
                {
                  label: 'Order',
                  value: view.order,
                  options: [
                    { value: 'asc', label: 'Ascending' },
                    { value: 'desc', label: 'Descending' },
                  ],
                  onChange: (order) => setView({ order: order as 'asc' | 'desc' }),
                },
              ]}
            />
            <ChoiceMenu<string>
              label={view.type ? MEDIA_TYPE_LABELS[view.type] : 'All types'}
              ariaLabel={`Type filter: ${view.type ? MEDIA_TYPE_LABELS[view.type] : 'all types'}`}
              groups={[
                {
                  value: view.type ?? 'ALL',
                  options: [
                    { value: 'ALL', label: 'All types' },
                    ...FILTERABLE_TYPES.map((type) => ({ value: type, label: MEDIA_TYPE_LABELS[type] })),
                  ],
                  onChange: (type) => setView({ type: type === 'ALL' ? null : (type as typeof view.type) }),
                },
              ]}
            />
            <button
              type="button"
              className="button button--secondary"
              aria-pressed={detailsOpen}
              onClick={() => showDetails(!detailsOpen)}
            >
              Details
            </button>
            <div className="segmented" role="group" aria-label="View">
              <button
                type="button"
                aria-pressed={view.view === 'grid'}
                onClick={() => setView({ view: 'grid' })}
              >
                Grid
              </button>
              <button
                type="button"
                aria-pressed={view.view === 'list'}
                onClick={() => setView({ view: 'list' })}
              >
                List
              </button>
            </div>
          </div>
          <span className="toolbar__spacer" />
          {inTrash ? (
            <Button
              variant="danger"
              onClick={() => setConfirm({ kind: 'emptyTrash', items: [] })}
              disabled={trashIsEmpty}
            >
              Empty trash
            </Button>
          ) : (
            <>
              <div className="toolbar__secondary">
                <SearchHint active={!!view.search} />
                <Button
                  onClick={() => setNewFolderOpen(true)}
                  disabled={!!view.search}
                  aria-describedby={view.search ? SEARCH_HINT_ID : undefined}
                  title={view.search ? SEARCH_HINT : undefined}
                >
                  New folder
                </Button>
                <Button
                  onClick={() => setImportOpen(true)}
                  disabled={!canUpload}
                  aria-describedby={view.search ? SEARCH_HINT_ID : undefined}
                  title={view.search ? SEARCH_HINT : undefined}
                >
                  Import
                </Button>
              </div>
              <Button
                variant="primary"
                onClick={dropzone.open}
                disabled={!canUpload}
                aria-describedby={view.search ? SEARCH_HINT_ID : undefined}
                title={view.search ? SEARCH_HINT : undefined}
              >
                Upload
              </Button>
              <UploadOptionsMenu disabled={!canUpload} />
            </>
          )}
          <LazyToolbarMoreMenu
            sort={view.sort}
            order={view.order}
            type={view.type}
            view={view.view}
            detailsOpen={detailsOpen}
            onNewFolder={inTrash || view.search ? null : () => setNewFolderOpen(true)}
            onImport={canUpload ? () => setImportOpen(true) : null}
            onChange={(change) => setView(change)}
            onDetails={showDetails}
          />
        </div>

        {view.search ? (
          <p className="browser__heading" role="status">
            Results in all of {root.name} for “{view.search}”
          </p>
        ) : (
          <Breadcrumb area={area} folderId={folderId} />
        )}
        {inTrash ? <LazyTrashRule /> : null}
        {area === 'visitor' ? <ReviewBar /> : null}
        <FolderCount whole={whole} loaded={items.length} />

        {whole.active ? (
          <WholeFolderBar
            whole={whole}
            params={params}
            folderName={folderName}
            onClear={() => setSelection(emptySelection)}
          />
        ) : selectedItems.length > 0 && !picker ? (
          <div className="bulk-bar" role="region" aria-label="Selection">
            <SelectionCount whole={whole} selected={selectedItems.length} />
            {inTrash ? (
              <>
                <Button onClick={() => panelActions.restore(selectedItems)}>Restore</Button>
                <Button
                  variant="danger"
                  onClick={() => setConfirm({ kind: 'deleteForever', items: selectedItems })}
                >
                  Delete forever
                </Button>
              </>
            ) : (
              <>
                <Button onClick={() => setMoving(selectedItems)}>Move to…</Button>
                <Button onClick={() => download(selectedItems)}>Download</Button>
                <BulkPrivacyMenu
                  fileIds={selectedItems.flatMap((i) => (i.kind === 'file' ? [i.file.id] : []))}
                />
                <Button variant="danger" onClick={() => setConfirm({ kind: 'trash', items: selectedItems })}>
                  Move to Trash
                </Button>
              </>
            )}
            <Button variant="ghost" onClick={() => setSelection(emptySelection)}>
              Clear
            </Button>
          </div>
        ) : null}

        <div className="browser__content" onClick={clearOnEmptySpace}>
          {content}
        </div>
      </div>

      {view.viewer && focusedItem?.kind === 'file' ? (
        <LazyViewer
          files={items.flatMap((i) => (i.kind === 'file' ? [i.file] : []))}
          fileId={focusedItem.file.id}
          onNavigate={(fileId) => {
            const index = items.findIndex((i) => i.key === fileItemKey(fileId));
            if (index >= 0) focus(index, false);
          }}
          onClose={() => setView({ viewer: false }, { replace: true })}
        />
      ) : null}

      {detailsOpen && panelItem && view.item ? (
        <LazyInfoPanel
          item={panelItem}
          inTrash={inTrash}
          actions={panelActions}
          onClose={() => {
            showDetails(false);
            setView({ item: null }, { replace: true });
          }}
        />
      ) : detailsOpen ? (
        <aside className="info-panel info-panel--empty" aria-label="Details">
          <p className="muted">Select a file or folder to see its details.</p>
        </aside>
      ) : null}

      {newFolderOpen ? (
        <LazyNameDialog
          open={newFolderOpen}
          onOpenChange={setNewFolderOpen}
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
          onOpenChange={setImportOpen}
          parentFolderId={folderId}
          onImported={() => void listing.refetch()}
        />
      ) : null}
      {renaming ? (
        <LazyRenameDialog
          item={renaming}
          onClose={() => setRenaming(null)}
          onRename={async (item, name) => showResult(await actions.rename(item, name))}
        />
      ) : null}
      {moving ? (
        <LazyMoveDialog
          items={moving}
          area={area === 'visitor' ? 'visitor' : 'files'}
          onClose={() => setMoving(null)}
          onMove={async (target) => showResult(await actions.move(moving ?? [], target))}
        />
      ) : null}
      {confirm ? (
        <LazyConfirmDialog
          open={confirm !== null}
          onOpenChange={(open) => !open && setConfirm(null)}
          title={
            confirm?.kind === 'emptyTrash'
              ? 'Empty the trash?'
              : confirm?.kind === 'deleteForever'
                ? `Delete ${confirmText} forever?`
                : `Move ${confirmText} to the trash?`
          }
          description={
            confirm?.kind === 'emptyTrash' ? (
              'Everything in the trash is deleted forever, with its bytes. Pages that still use these files will break. This cannot be undone.'
            ) : confirm?.kind === 'deleteForever' ? (
              `${confirmText} and everything inside will be deleted with their bytes. Pages that still use them will break. This cannot be undone.${confirm.items.some((i) => i.kind === 'folder') ? ' Items you moved to the trash on their own earlier stay in the trash.' : ''}`
            ) : (
              <>
                {`${confirmText} will go to the trash${confirm?.items.some((i) => i.kind === 'folder') ? ' with everything inside' : ''}. Public files keep working on your site until the trash is emptied, and you can restore them from Trash.`}
                <LazyUsedOnSiteWarning items={confirm.items} />
              </>
            )
          }
          confirmLabel={
            confirm?.kind === 'trash'
              ? 'Move to Trash'
              : confirm?.kind === 'emptyTrash'
                ? 'Empty trash'
                : 'Delete forever'
          }
          destructive
          onConfirm={async () => {
            if (!confirm) return;
            const work =
              confirm.kind === 'emptyTrash'
                ? actions.emptyTrash()
                : confirm.kind === 'deleteForever'
                  ? actions.deleteForever(confirm.items)
                  : actions.trash(confirm.items);
            showResult(await work);
          }}
        />
      ) : null}
    </div>
  );
}
