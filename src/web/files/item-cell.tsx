import type { Item } from './api/items';
import { useDrag, useDropTarget } from './drag';
import { ListRowContent, TileContent } from './item-content';
import type { ItemGridProps } from './item-grid';
import { itemLabel } from './item-label';
import { REPLACE_DROP_HINT, useReplaceDrop } from './replace-file';
import { useLongPress } from './use-long-press';
import { isPickable, usePicker } from '../picker/picker-context';

/**
 * One item of the grid or list: selection, roving focus, click / double-click / long-press, drag of the item
 * (or the selection), drops onto folders, and Alt-drop of a desktop file onto a file to replace it.
 */
export function ItemCell({
  item,
  index,
  column,
  tileWidth,
  grid,
}: {
  item: Item;
  index: number;
  column: number;
  tileWidth: number;
  grid: ItemGridProps;
}) {
  const drag = useDrag();
  const longPress = useLongPress(
    grid.onItemLongPress ? () => grid.onItemLongPress?.(item, index) : undefined,
  );
  const isSelected = grid.selected.has(item.key);
  const isFocused = index === grid.focusIndex;
  const drop = useDropTarget(
    grid.droppable && item.kind === 'folder' ? { id: item.folder.id, name: item.folder.displayName } : null,
  );
  // In the media picker, files of types it was not asked for are shown but cannot be chosen.
  const picker = usePicker();
  // Alt-drop of a desktop file on a file's tile replaces its content (not in the trash, nor in the picker).
  const replaceDrop = useReplaceDrop(
    grid.droppable && !picker && item.kind === 'file' && item.file.state === 'OK' ? item.file : null,
  );
  const unpickable = !!picker && item.kind === 'file' && !isPickable(picker, item.file);
  const className = [
    grid.view === 'list' ? 'list-row' : 'tile',
    isSelected ? 'is-selected' : '',
    unpickable ? 'is-unpickable' : '',
    drop.active || replaceDrop.active ? 'is-drop-target' : '',
  ].join(' ');

  return (
    <div
      role="gridcell"
      aria-colindex={column}
      aria-selected={isSelected}
      aria-disabled={unpickable || undefined}
      aria-label={itemLabel(item)}
      title={replaceDrop.enabled ? REPLACE_DROP_HINT : undefined}
      tabIndex={isFocused ? 0 : -1}
      data-index={index}
      data-key={item.key}
      className={className}
      draggable
      onDragStart={(event) => drag.start(event, grid.dragItems(item))}
      onDragEnd={() => drag.end()}
      onFocus={() => {
        if (!isFocused) grid.onFocusIndex(index);
      }}
      onClick={(event) => {
        if (!longPress.consumeClick()) grid.onItemClick(event, item, index);
      }}
      onDoubleClick={() => grid.onItemOpen(item)}
      {...(item.kind === 'file' ? replaceDrop.props : drop.props)}
      {...longPress.handlers}
    >
      {grid.view === 'list' ? (
        <ListRowContent item={item} trashed={grid.dateColumn === 'Deleted'} />
      ) : (
        <TileContent item={item} tileWidth={tileWidth} trashed={grid.dateColumn === 'Deleted'} />
      )}
      {isSelected ? (
        <span className="check" aria-hidden="true">
          ✓
        </span>
      ) : null}
    </div>
  );
}
