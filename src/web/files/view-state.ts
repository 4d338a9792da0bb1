import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { MEDIA_TYPES, type MediaType } from '../../contract';
import type { SortKey, SortOrder } from './api/items';

export type ViewMode = 'grid' | 'list';

/** What the URL holds besides the folder: reload, back/forward and a pasted link restore the same view. */
export interface ViewState {
  search: string;
  sort: SortKey;
  order: SortOrder;
  type: MediaType | null;
  view: ViewMode;
  /** The item open in the info panel (`file:<id>` or `folder:<id>`). */
  item: string | null;
  /** Whether that item (a file) is open in the full-screen viewer. */
  viewer: boolean;
}

const VIEW_STORAGE_KEY = 'smm.view';
const SORTS: SortKey[] = ['name', 'updated', 'size'];
const FILTERABLE_TYPES: readonly MediaType[] = MEDIA_TYPES.filter((t) => t !== 'OTHER' && t !== 'UNKNOWN');

function rememberedView(): ViewMode {
  try {
    return localStorage.getItem(VIEW_STORAGE_KEY) === 'list' ? 'list' : 'grid';
  } catch {
    return 'grid';
  }
}

export function defaultOrder(sort: SortKey): SortOrder {
  return sort === 'name' ? 'asc' : 'desc';
}

export function parseViewState(params: URLSearchParams): ViewState {
  const sortParam = params.get('sort') as SortKey | null;
  const sort = sortParam && SORTS.includes(sortParam) ? sortParam : 'updated';
  const orderParam = params.get('order');
  const typeParam = params.get('type')?.toUpperCase() as MediaType | undefined;
  const viewParam = params.get('view');
  return {
    search: (params.get('q') ?? '').slice(0, 200),
    sort,
    order: orderParam === 'asc' || orderParam === 'desc' ? orderParam : defaultOrder(sort),
    type: typeParam && FILTERABLE_TYPES.includes(typeParam) ? typeParam : null,
    view: viewParam === 'list' || viewParam === 'grid' ? viewParam : rememberedView(),
    item: params.get('item'),
    viewer: params.get('viewer') === '1' && (params.get('item') ?? '').startsWith('file:'),
  };
}

/** The view state of the current URL, and a setter that writes changes back into it. */
export function useViewState(): [
  ViewState,
  (patch: Partial<ViewState>, options?: { replace?: boolean }) => void,
] {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseViewState(params), [params]);
  const update = useCallback(
    (patch: Partial<ViewState>, options: { replace?: boolean } = {}) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          const set = (key: string, value: string | null) =>
            value ? next.set(key, value) : next.delete(key);
          if ('search' in patch) set('q', patch.search ?? null);
          if ('sort' in patch) set('sort', patch.sort ?? null);
          if ('order' in patch) set('order', patch.order ?? null);
          if ('type' in patch) set('type', patch.type ? patch.type.toLowerCase() : null);
          if ('item' in patch) set('item', patch.item ?? null);
          if ('viewer' in patch) set('viewer', patch.viewer ? '1' : null);
          if (patch.view) {
            set('view', patch.view);
            try {
              localStorage.setItem(VIEW_STORAGE_KEY, patch.view);
            } catch {
              // Private mode: the URL still holds it.
            }
          }
          return next;
        },
        { replace: options.replace ?? false },
      );
    },
    [setParams],
  );
  return [state, update];
}

export { FILTERABLE_TYPES };

/** Changes some of the view state (in the URL); `replace` keeps it out of the history. */
export type SetViewState = ReturnType<typeof useViewState>[1];
