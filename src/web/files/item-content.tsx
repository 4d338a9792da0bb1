import { formatBytes, formatDate } from '../lib/format';
import { NewBadge } from '../moderation/index';
import type { Item } from './api/items';
import { LazyTrashedDateCell, LazyTrashedFrom, LazyTrashedTileMeta } from './lazy-parts';
import { MEDIA_TYPE_LABELS } from './media-labels';
import { Thumbnail } from './thumbnail';

/* What a tile or a list row shows of its item: picture, name, size or type, badges, dates. */

function StatusBadge({ item }: { item: Item }) {
  if (item.kind !== 'file') return null;
  const { operationStatus } = item.file;
  return (
    <>
      {operationStatus === 'PENDING' ? <span className="badge badge--pending">Processing</span> : null}
      {operationStatus === 'FAILED' ? <span className="badge badge--failed">Failed</span> : null}
      {item.file.private ? <span className="badge">Private</span> : null}
      <NewBadge fileId={item.file.id} />
    </>
  );
}

export function TileContent({
  item,
  tileWidth,
  trashed,
}: {
  item: Item;
  tileWidth: number;
  trashed: boolean;
}) {
  const name = item.kind === 'folder' ? item.folder.displayName : item.file.displayName;
  return (
    <>
      <Thumbnail item={item} size="tile" cssSize={tileWidth} />
      <span className="tile__name" title={name}>
        {name}
      </span>
      {trashed ? (
        <LazyTrashedTileMeta item={item} />
      ) : (
        <span className="tile__meta">
          {item.kind === 'folder' ? 'Folder' : formatBytes(item.file.sizeInBytes)}
          <StatusBadge item={item} />
        </span>
      )}
    </>
  );
}

function dimensions(item: Item): string {
  if (item.kind !== 'file') return '';
  const image = item.file.media.image?.image ?? item.file.media.vector?.image;
  if (image && image.width > 0) return `${image.width} × ${image.height}`;
  const video = item.file.media.video;
  if (video?.width) return `${video.width} × ${video.height ?? 0}`;
  return '';
}

export function ListRowContent({ item, trashed }: { item: Item; trashed: boolean }) {
  const name = item.kind === 'folder' ? item.folder.displayName : item.file.displayName;
  const updated = item.kind === 'folder' ? item.folder.updatedDate : item.file.updatedDate;
  return (
    <>
      <span className="list-row__name">
        <Thumbnail item={item} size="row" />
        <span className="list-row__text" title={name}>
          {name}
          {trashed ? <LazyTrashedFrom item={item} /> : null}
        </span>
        <StatusBadge item={item} />
      </span>
      <span className="muted">
        {item.kind === 'folder' ? 'Folder' : MEDIA_TYPE_LABELS[item.file.mediaType]}
      </span>
      <span className="muted">{item.kind === 'folder' ? '—' : formatBytes(item.file.sizeInBytes)}</span>
      <span className="muted">{dimensions(item) || '—'}</span>
      {trashed ? (
        <LazyTrashedDateCell item={item} formatted={formatDate(updated)} />
      ) : (
        <span className="muted">{formatDate(updated)}</span>
      )}
    </>
  );
}
