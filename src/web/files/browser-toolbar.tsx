import { Button } from '../components/ui/button';
import { ChoiceMenu } from '../components/ui/menu';
import type { SortKey } from './api/items';
import { LazyToolbarMoreMenu } from './lazy-parts';
import { MEDIA_TYPE_LABELS } from './media-labels';
import { SEARCH_HINT, SearchHint, SEARCH_HINT_ID } from './search-hint';
import { UploadOptionsMenu } from '../sharing';
import type { BrowserDialogState } from './use-browser-dialogs';
import type { SearchBox } from './use-search-box';
import { defaultOrder, FILTERABLE_TYPES, type SetViewState, type ViewState } from './view-state';

/**
 * The browser's toolbar: search, sort, type filter, details and view switches, then the actions of the place
 * (New folder, Import, Upload; in the trash, Empty trash). On a phone the secondary ones move into the "More"
 * menu.
 */
export function BrowserToolbar({
  rootName,
  view,
  setView,
  search,
  detailsOpen,
  showDetails,
  inTrash,
  trashIsEmpty,
  canUpload,
  dialogs,
  onUpload,
}: {
  rootName: string;
  view: ViewState;
  setView: SetViewState;
  search: SearchBox;
  detailsOpen: boolean;
  showDetails: (open: boolean) => void;
  inTrash: boolean;
  trashIsEmpty: boolean;
  canUpload: boolean;
  dialogs: BrowserDialogState;
  onUpload: () => void;
}) {
  const sortLabel = { name: 'Name', updated: 'Last updated', size: 'Size' }[view.sort];
  return (
    <div className="toolbar" role="toolbar" aria-label="View and actions">
      <input
        ref={search.ref}
        type="search"
        className="toolbar__search"
        placeholder={`Search ${rootName}`}
        aria-label={`Search ${rootName}`}
        value={search.draft}
        maxLength={200}
        onChange={(event) => search.setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') search.submit();
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
              onChange: (sort) => setView({ sort: sort as SortKey, order: defaultOrder(sort as SortKey) }),
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
          <button type="button" aria-pressed={view.view === 'grid'} onClick={() => setView({ view: 'grid' })}>
            Grid
          </button>
          <button type="button" aria-pressed={view.view === 'list'} onClick={() => setView({ view: 'list' })}>
            List
          </button>
        </div>
      </div>
      <span className="toolbar__spacer" />
      {inTrash ? (
        <Button
          variant="danger"
          onClick={() => dialogs.setConfirm({ kind: 'emptyTrash', items: [] })}
          disabled={trashIsEmpty}
        >
          Empty trash
        </Button>
      ) : (
        <>
          <div className="toolbar__secondary">
            <SearchHint active={!!view.search} />
            <Button
              onClick={() => dialogs.setNewFolderOpen(true)}
              disabled={!!view.search}
              aria-describedby={view.search ? SEARCH_HINT_ID : undefined}
              title={view.search ? SEARCH_HINT : undefined}
            >
              New folder
            </Button>
            <Button
              onClick={() => dialogs.setImportOpen(true)}
              disabled={!canUpload}
              aria-describedby={view.search ? SEARCH_HINT_ID : undefined}
              title={view.search ? SEARCH_HINT : undefined}
            >
              Import
            </Button>
          </div>
          <Button
            variant="primary"
            onClick={onUpload}
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
        onNewFolder={inTrash || view.search ? null : () => dialogs.setNewFolderOpen(true)}
        onImport={canUpload ? () => dialogs.setImportOpen(true) : null}
        onChange={(change) => setView(change)}
        onDetails={showDetails}
      />
    </div>
  );
}
