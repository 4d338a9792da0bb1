import type { Item } from './api/items';

/**
 * A tile's accessible name: its name, then what its badges show ("flyer.jpg, private, processing failed"), so a
 * screen reader hears what a sighted user sees on the tile. "Processing" is left out: it passes by itself.
 */
export function itemLabel(item: Item): string {
  if (item.kind === 'folder') return item.folder.displayName;
  const { displayName, operationStatus } = item.file;
  return [
    displayName,
    item.file.private ? 'private' : '',
    operationStatus === 'FAILED' ? 'processing failed' : '',
  ]
    .filter(Boolean)
    .join(', ');
}
