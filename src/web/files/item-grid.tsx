import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
} from 'react';
import type { Item } from './api/items';
import { ItemCell } from './item-cell';
import { ListHeader, type ListSort } from './list-header';
import type { ViewMode } from './view-state';
import type { Gap } from './use-far-end';
import { useFixedRows } from './use-fixed-rows';

/** Narrow screens get smaller tiles, so a phone shows two columns. */
const tileMinWidth = (width: number) => (width < 640 ? 140 : 168);
const GAP = 12;
const TILE_HEIGHT = 196;
/** Trash tiles have two more lines: where the item came from, and when it is deleted forever. */
const TRASH_TILE_HEIGHT = 250;
const ROW_HEIGHT = 48;
/** The list view's sticky header row (`.list-header` in styles.css). */
const LIST_HEADER_HEIGHT = 36;

export interface ItemGridProps {
  items: Item[];
  view: ViewMode;
  label: string;
  selected: ReadonlySet<string>;
  focusIndex: number;
  /** Set when the focused item should take DOM focus (after a key press, not after a data refresh). */
  focusRequest: RefObject<boolean>;
  /** The unloaded middle of a big folder read from both ends (use-far-end.ts): placeholders stand in for it. */
  gap: Gap | null;
  /** Whether `items` reach the end of the listing; else a loader row follows them. */
  endLoaded: boolean;
  isFetching: boolean;
  /** Asks for the items of these grid positions (gap included) to be loaded. */
  ensureLoaded: (first: number, last: number) => void;
  onItemClick: (event: MouseEvent, item: Item, index: number) => void;
  onItemOpen: (item: Item) => void;
  onKeyDown: (event: KeyboardEvent, columns: number) => void;
  onFocusIndex: (index: number) => void;
  /** Items dragged when dragging `item` (the selection if it is selected, else just it). */
  dragItems: (item: Item) => Item[];
  /** Folder tiles take dropped items (not in the trash). */
  droppable: boolean;
  /** The heading of the list's date column: in Trash the date is when the item was deleted. */
  dateColumn?: 'Updated' | 'Deleted';
  /** The list view's sortable column headers. */
  sort?: ListSort;
  /** A touch device's long-press on a tile (enters selection mode). */
  onItemLongPress?: (item: Item, index: number) => void;
  /** Where the grid is scrolled to, saved and restored per history entry (use-scroll-restoration.ts). */
  place?: GridPlace;
}

/**
 * The grid's scroll position as "the row of item `index`, `offset` px scrolled past its top": unlike a bare
 * scrollTop it survives a different number of columns.
 */
export interface GridPlaceValue {
  index: number;
  /** Pixels scrolled past the top of the item's row; null: bring the item's row to the top. */
  offset: number | null;
}

export interface GridPlace {
  /** A place to scroll to once the grid is measured and holds that item; `onRestored` is called then. */
  target: GridPlaceValue | null;
  onRestored: () => void;
  onScroll: (place: { index: number; offset: number }) => void;
}

/**
 * The virtualised grid (tiles) or list (rows) of a folder. Only the rows in view (and a few around them) are in
 * the DOM; more pages load as the end comes into view. Roving tabindex: one item is in the tab order, arrow keys
 * move it (the parent handles keys and tells which index is focused).
 */
export function ItemGrid(props: ItemGridProps) {
  const { items, view, focusIndex, gap, endLoaded, ensureLoaded } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry?.contentRect.width ?? 0));
    observer.observe(element);
    setWidth(element.clientWidth);
    return () => observer.disconnect();
  }, []);

  const columns = view === 'list' ? 1 : Math.max(1, Math.floor((width - GAP) / (tileMinWidth(width) + GAP)));
  // Grid positions ("slots"): the loaded items, with the gap's placeholders between those from the top and
  // those from the end. Item indexes (focus, clicks, data-index) stay indexes into `items`.
  const gapSize = gap?.size ?? 0;
  const slotCount = items.length + gapSize;
  const slotOf = (index: number) => (gap && index >= gap.at ? index + gapSize : index);
  const itemIndexAt = (slot: number) =>
    !gap || slot < gap.at ? slot : slot < gap.at + gapSize ? -1 : slot - gapSize;
  const rowCount = Math.ceil(slotCount / columns);
  const loaderRow = !gap && !endLoaded;
  const tileHeight = props.dateColumn === 'Deleted' ? TRASH_TILE_HEIGHT : TILE_HEIGHT;
  const rowHeight = view === 'list' ? ROW_HEIGHT : tileHeight + GAP;
  // What a tile's picture can take up: its thumbnails are asked for at this size (times the pixel ratio).
  const tileWidth = Math.max(0, (width - GAP) / columns - GAP);

  const virtual = useFixedRows({
    scrollRef,
    count: rowCount + (loaderRow ? 1 : 0),
    rowHeight,
    overscan: 3,
    stickyTop: view === 'list' ? LIST_HEADER_HEIGHT : 0,
  });

  // Load what is in view (and two rows around it): the next page as the end of what is loaded nears, or, in the
  // gap, a page from whichever end is nearer.
  const { first, last } = virtual.range;
  useEffect(() => {
    if (last < 0) return;
    ensureLoaded((first - 2) * columns, (last + 3) * columns - 1);
  }, [first, last, columns, items.length, gapSize, endLoaded, props.isFetching, ensureLoaded]);

  // Back/Forward or a link: go to the saved place (or the linked item) once the grid knows its columns.
  const placeTarget = props.place?.target ?? null;
  useEffect(() => {
    const element = scrollRef.current;
    if (!placeTarget || !element || width === 0 || placeTarget.index >= items.length) return;
    const row = Math.floor(slotOf(placeTarget.index) / columns);
    // A linked item's row goes to the top: on a phone the details sheet covers the lower half.
    if (placeTarget.offset === null) virtual.scrollToRow(row, 'start');
    else element.scrollTop = row * rowHeight + placeTarget.offset;
    props.place?.onRestored();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [placeTarget, width, columns, items.length]);

  // When the user moves the focus with the keyboard, bring that item into view and give it DOM focus. Only
  // then: a page loading in while the user scrolls must never pull the view back to the focused item.
  const focusSlot = slotOf(focusIndex);
  useEffect(() => {
    if (!props.focusRequest.current || focusIndex < 0 || focusIndex >= items.length) return;
    virtual.scrollToRow(Math.floor(focusSlot / columns), 'auto');
    const frame = requestAnimationFrame(() => {
      const element = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${focusIndex}"]`);
      if (element) {
        element.focus({ preventScroll: true });
        props.focusRequest.current = false;
      }
    });
    return () => cancelAnimationFrame(frame);
    // Again when the rows in view change: the focused item's row may not be rendered until the scroll lands.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusIndex, focusSlot, columns, items.length, first, last]);

  return (
    <div
      ref={scrollRef}
      className={`grid-scroll grid-scroll--${view}`}
      role="grid"
      aria-label={props.label}
      aria-multiselectable="true"
      aria-rowcount={loaderRow ? -1 : rowCount + (view === 'list' ? 1 : 0)}
      aria-colcount={columns}
      aria-busy={gap ? true : undefined}
      onKeyDown={(event) => props.onKeyDown(event, columns)}
      onScroll={(event) => {
        const top = event.currentTarget.scrollTop;
        const row = Math.floor(top / rowHeight);
        // The place is kept as a loaded item: in the gap, the last one loaded from the top.
        const index = itemIndexAt(row * columns);
        props.place?.onScroll({
          index: index >= 0 ? index : Math.max(0, (gap?.at ?? 1) - 1),
          offset: top - row * rowHeight,
        });
      }}
    >
      {view === 'list' ? <ListHeader sort={props.sort} dateColumn={props.dateColumn} /> : null}
      <div style={{ height: virtual.totalSize, position: 'relative' }}>
        {virtual.rows.map((row) => {
          if (row.index >= rowCount) {
            return (
              <div
                key="loader"
                className="grid-loader"
                style={{ position: 'absolute', top: row.start, height: rowHeight, left: 0, right: 0 }}
                role="row"
              >
                <span role="gridcell" className="muted">
                  {props.isFetching ? 'Loading more…' : ''}
                </span>
              </div>
            );
          }
          const start = row.index * columns;
          const slots = Array.from({ length: Math.min(columns, slotCount - start) }, (_, i) => start + i);
          return (
            <div
              key={row.index}
              role="row"
              aria-rowindex={row.index + (view === 'list' ? 2 : 1)}
              className={view === 'list' ? 'list-row-wrap' : 'tile-row'}
              style={{
                position: 'absolute',
                top: row.start,
                left: 0,
                right: 0,
                height: view === 'list' ? ROW_HEIGHT : tileHeight,
                gridTemplateColumns: view === 'list' ? undefined : `repeat(${columns}, minmax(0, 1fr))`,
              }}
            >
              {slots.map((slot, offset) => {
                const index = itemIndexAt(slot);
                const item = index >= 0 ? items[index] : undefined;
                return item ? (
                  <ItemCell
                    key={item.key}
                    item={item}
                    index={index}
                    column={offset + 1}
                    tileWidth={tileWidth}
                    grid={props}
                  />
                ) : (
                  <div
                    key={`slot:${slot}`}
                    role="gridcell"
                    aria-colindex={offset + 1}
                    aria-busy="true"
                    aria-label="Loading"
                    className={view === 'list' ? 'list-row is-placeholder' : 'tile is-placeholder'}
                  />
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}
