import type { SortKey, SortOrder } from './api/items';
import { defaultOrder } from './view-state';

export interface ListSort {
  sort: SortKey;
  order: SortOrder;
  onSort: (sort: SortKey, order: SortOrder) => void;
}

function SortHeader({ label, field, sort }: { label: string; field: SortKey; sort: ListSort }) {
  const active = sort.sort === field;
  const ariaSort = active ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none';
  // The first click sorts the column its natural way (names A-Z, newest and biggest first); the next reverses.
  const next: SortOrder = active ? (sort.order === 'asc' ? 'desc' : 'asc') : defaultOrder(field);
  return (
    <span role="columnheader" aria-sort={ariaSort}>
      <button type="button" className="list-header__sort" onClick={() => sort.onSort(field, next)}>
        {label}
        <span aria-hidden="true" className="list-header__arrow">
          {active ? (sort.order === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </span>
  );
}

/** The list view's header row: Name, Size and Updated sort the listing (the URL keeps the sort). */
export function ListHeader({
  sort,
  dateColumn = 'Updated',
}: {
  sort: ListSort | undefined;
  /** In Trash the date is when the item was deleted. */
  dateColumn?: 'Updated' | 'Deleted';
}) {
  return (
    <div role="row" className="list-header" aria-rowindex={1}>
      {sort ? <SortHeader label="Name" field="name" sort={sort} /> : <span role="columnheader">Name</span>}
      <span role="columnheader">Type</span>
      {sort ? <SortHeader label="Size" field="size" sort={sort} /> : <span role="columnheader">Size</span>}
      <span role="columnheader">Dimensions</span>
      {sort ? (
        <SortHeader label={dateColumn} field="updated" sort={sort} />
      ) : (
        <span role="columnheader">{dateColumn}</span>
      )}
    </div>
  );
}
