import { useState } from 'react';
import { FolderIcon } from '../components/ui/icons';
import { displayUrl, isTransformable } from '../images/transform-url';
import { useDevicePixelRatio } from '../images/use-device-pixel-ratio';
import type { Item } from './api/items';

/** CSS pixels a thumbnail's picture takes at most, when the caller does not know better. */
const THUMB_CSS_SIZE = { tile: 200, row: 32, panel: 290 } as const;

/**
 * A file's picture: public images through a transformation URL sized for the box and the screen (the path the
 * app offers to websites), with the server's thumbnail as the fallback (private files, or a server that refuses
 * transformations in its `presets` or `signed` mode); other files show their thumbnail or type icon.
 */
export function Thumbnail({
  item,
  size,
  cssSize,
}: {
  item: Item;
  size: 'tile' | 'row' | 'panel';
  cssSize?: number;
}) {
  const dpr = useDevicePixelRatio();
  const [failed, setFailed] = useState(false);
  const [transformFailed, setTransformFailed] = useState(false);
  if (item.kind === 'folder') {
    return (
      <span className={`thumb thumb--${size} thumb--folder`}>
        <FolderIcon width={size === 'row' ? 22 : 48} height={size === 'row' ? 22 : 48} />
      </span>
    );
  }
  const transformed = isTransformable(item.file) && !transformFailed;
  const src = transformed
    ? displayUrl(item.file, Math.max(cssSize || THUMB_CSS_SIZE[size], size === 'tile' ? 130 : 0), dpr)
    : item.file.thumbnailUrl;
  return (
    <span className={`thumb thumb--${size}`}>
      {failed ? null : (
        <img
          src={src}
          className={!transformed && src.includes('/icons/') ? undefined : 'thumb__picture'}
          alt=""
          loading="lazy"
          decoding="async"
          draggable={false}
          onError={() => (transformed ? setTransformFailed(true) : setFailed(true))}
        />
      )}
    </span>
  );
}
