import { Breadcrumb } from '../folders/breadcrumb';
import { AREAS, type Area } from '../folders/paths';
import { useDocumentTitle } from '../lib/use-document-title';
import { ReviewBar } from '../moderation/index';
import { usePicker } from '../picker/picker-context';
import { LazyViewer } from '../preview/lazy-viewer';
import { fileItemKey } from './api/items';
import { useItemActions } from './api/mutations';
import { BrowserDialogs } from './browser-dialogs';
import { BrowserToolbar } from './browser-toolbar';
import { BulkBar } from './bulk-bar';
import { ItemGrid } from './item-grid';
import { LazyInfoPanel, LazyTrashRule } from './lazy-parts';
import { ListingStates } from './listing-states';
import { useLeaveLiveFolderInTrash } from './trash-navigation';
import { useResultToast } from './undo-toast';
import { useBrowserDialogs } from './use-browser-dialogs';
import { useBrowserListing } from './use-browser-listing';
import { useBrowserSelection } from './use-browser-selection';
import { useDetailsOpen } from './use-details-open';
import { useGridKeyboard } from './use-grid-keyboard';
import { useItemCommands } from './use-item-commands';
import { useItemFocus } from './use-item-focus';
import { useLinkedItem } from './use-linked-item';
import { useScrollRestoration } from './use-scroll-restoration';
import { useSearchBox } from './use-search-box';
import { useUploadTarget } from './use-upload-target';
import { useViewState } from './view-state';
import { FolderCount, useWholeFolder, WholeFolderBar } from './whole-folder';

/**
 * The file browser of an area: toolbar, breadcrumb, virtualised grid or list, info panel, bulk actions. This
 * component only wires together the hooks and parts of the `files` feature (listing, focus, selection, keys,
 * upload target, dialogs) that each do one of those jobs.
 */
export function Browser({ area, folderId }: { area: Area; folderId: string }) {
  const showResult = useResultToast();
  const actions = useItemActions();
  // In the media picker (src/web/picker): opening a file chooses it, and the admin actions are left out.
  const picker = usePicker();
  const [view, setView] = useViewState();
  const inTrash = area === 'trash';
  const root = AREAS[area];

  const listing = useBrowserListing(area, folderId, view);
  const { params, listingKey, farEnd, items, order, byKey } = listing;
  const { focusIndex, focusedItem, focusRequest, focus } = useItemFocus(
    items,
    order,
    byKey,
    view.item,
    setView,
  );
  const selecting = useBrowserSelection({ picker, listingKey, order, byKey, focus });
  const { selection, setSelection, selectedItems } = selecting;
  const dialogs = useBrowserDialogs();
  // The details column stays in place whatever is focused, so a click never reflows the grid under the pointer.
  const [detailsOpen, showDetails] = useDetailsOpen(view.item);
  const upload = useUploadTarget(area, folderId, view, actions);
  const title = view.search ? `Search: ${view.search}` : upload.folderName;
  useDocumentTitle(title);
  const search = useSearchBox(view, setView);

  const whole = useWholeFolder({ params, listingKey, order, selection, setSelection });
  // Back/Forward bring back the scroll position and selection; a link opens its item even past the first page.
  const linked = useLinkedItem(view.item, byKey, params);
  const place = useScrollRestoration({
    listingKey,
    listing: listing.listing,
    order,
    selection: selecting.anySelection,
    setSelection,
    item: view.item,
    membership: linked.membership,
  });
  // A linked item not loaded (yet, or not in this listing) still opens in the details panel.
  const panelItem = focusedItem ?? linked.item;

  const { openItem, download, panelActions } = useItemCommands({
    area,
    picker,
    view,
    setView,
    selection,
    selectedItems,
    dialogs,
    actions,
  });
  const onGridKeyDown = useGridKeyboard({
    items,
    order,
    focusIndex,
    focusedItem,
    focus,
    farEnd,
    setSelection,
    actOnSelection: () => (selectedItems.length > 0 ? selectedItems : focusedItem ? [focusedItem] : []),
    openItem,
    picker,
    inTrash,
    onDelete: (targets) => dialogs.setConfirm({ kind: inTrash ? 'deleteForever' : 'trash', items: targets }),
    onRename: dialogs.setRenaming,
  });

  // Known only for the top of the trash as it is, unfiltered: elsewhere (inside a folder, a search) assume not.
  const trashIsEmpty =
    inTrash &&
    folderId === root.root &&
    !view.search &&
    !view.type &&
    listing.listing.isSuccess &&
    items.length === 0 &&
    !listing.listing.hasNextPage;
  useLeaveLiveFolderInTrash(area, folderId);

  const { dropzone } = upload;
  return (
    <div className="browser">
      <div className="browser__main" {...dropzone.rootProps}>
        <h1 className="visually-hidden">{title}</h1>
        <input {...dropzone.inputProps} aria-label="Files to upload" />
        {dropzone.active ? (
          <div className="drop-overlay" aria-hidden="true">
            Drop files to upload to {upload.folderName}
          </div>
        ) : null}
        <BrowserToolbar
          rootName={root.name}
          view={view}
          setView={setView}
          search={search}
          detailsOpen={detailsOpen}
          showDetails={showDetails}
          inTrash={inTrash}
          trashIsEmpty={trashIsEmpty}
          canUpload={upload.canUpload}
          dialogs={dialogs}
          onUpload={dropzone.open}
        />

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
            folderName={upload.folderName}
            onClear={selecting.clear}
          />
        ) : selectedItems.length > 0 && !picker ? (
          <BulkBar
            selectedItems={selectedItems}
            whole={whole}
            inTrash={inTrash}
            dialogs={dialogs}
            onRestore={panelActions.restore}
            onDownload={download}
            onClear={selecting.clear}
          />
        ) : null}

        <div className="browser__content" onClick={selecting.clearOnEmptySpace}>
          <ListingStates listing={listing} view={view} inTrash={inTrash} canUpload={upload.canUpload}>
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
              onItemClick={selecting.onItemClick}
              onItemOpen={openItem}
              onKeyDown={onGridKeyDown}
              onFocusIndex={(index) => focus(index, false)}
              dragItems={(item) => (selection.selected.has(item.key) ? selectedItems : [item])}
              droppable={!inTrash}
              dateColumn={inTrash ? 'Deleted' : 'Updated'}
              onItemLongPress={selecting.onItemLongPress}
              sort={{ sort: view.sort, order: view.order, onSort: (sort, order) => setView({ sort, order }) }}
            />
          </ListingStates>
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

      <BrowserDialogs
        dialogs={dialogs}
        moveArea={area === 'visitor' ? 'visitor' : 'files'}
        folderId={folderId}
        actions={actions}
        showResult={showResult}
        createFolder={upload.createFolder}
        onImported={() => void listing.listing.refetch()}
      />
    </div>
  );
}
