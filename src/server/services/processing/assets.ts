import type { FileRow } from '../../stores/schema.ts';

/** A stored rendition of a file, as kept in the `assets` column. */
export interface StoredAsset {
  /** Blob key; for `hls`, the prefix its `files` live under. */
  key: string;
  mimeType: string;
  /** Bytes (for `hls`, of the playlist). */
  size: number;
  width?: number | undefined;
  height?: number | undefined;
  /** `hls`: the playlist and its segments, playlist first. */
  files?: string[] | undefined;
}

/** The renditions of a file by asset key (`thumbnail`, `preview`, `poster`, `480p.mp4`, `hls`, `mp3`). */
export type FileAssets = Record<string, StoredAsset>;

/**
 * Where a file's renditions live in the blob store. A replaced file's (revision > 0) go below a folder of their
 * revision, so rendering the new bytes never overwrites what the trashed version still shows.
 */
export function renditionPrefix(fileId: string, revision = 0): string {
  const base = `renditions/${fileId.slice(0, 2)}/${fileId}/`;
  return revision > 0 ? `${base}r${revision}/` : base;
}

export function assetsOf(row: Pick<FileRow, 'assets'>): FileAssets {
  return JSON.parse(row.assets) as FileAssets;
}

/**
 * One rendition by asset key. The key comes from a URL, so only the record's own keys count: `constructor` or
 * `__proto__` would otherwise find `Object.prototype`'s members.
 */
export function assetOf(assets: FileAssets, assetKey: string): StoredAsset | undefined {
  return Object.hasOwn(assets, assetKey) ? assets[assetKey] : undefined;
}

/** Every blob key of a file's renditions. */
export function assetBlobKeys(assets: FileAssets): string[] {
  return Object.values(assets).flatMap((asset) =>
    asset.files ? asset.files.map((name) => `${asset.key}${name}`) : [asset.key],
  );
}

/** Every blob key a file owns: its original and its renditions. */
export function blobKeysOf(row: Pick<FileRow, 'blob_key' | 'assets'>): string[] {
  return [row.blob_key, ...assetBlobKeys(assetsOf(row))];
}

/** `originals/ab/<id>` (`originalKey` in file-rows.ts) and `renditions/ab/<id>/...` (`renditionPrefix`). */
const OWNED_KEY = /^(?:originals\/([^/]{2})\/([^/]+)|renditions\/([^/]{2})\/([^/]+)\/.+)$/;

/**
 * The id of the file a blob key belongs to by the key layout, or undefined for a key of no known layout (which
 * maintenance then leaves alone: it cannot tell whose it is).
 */
export function fileIdOfBlobKey(key: string): string | undefined {
  const match = OWNED_KEY.exec(key);
  if (!match) return undefined;
  const shard = match[1] ?? match[3];
  const id = match[2] ?? match[4];
  return id !== undefined && id.slice(0, 2) === shard ? id : undefined;
}
