// Types of https://<your media server>/picker.js (served as /picker.d.ts). Protocol: docs/picker.md.

export type PickerMediaType = 'image' | 'video' | 'audio' | 'document' | 'vector' | 'archive' | 'model3d';

export interface OpenMediaPickerOptions {
  /** Let the user choose several files (default: one). */
  multiple?: boolean;
  /** Media types that can be chosen; others are shown disabled. Default: all. */
  types?: PickerMediaType[] | string;
  /** Folder id the picker starts in (default: the root of Site Files). */
  folder?: string;
  /** `iframe` (default): a dialog over the page; `popup`: a window of its own (open it from a click). */
  mode?: 'popup' | 'iframe';
  /**
   * Return public images at this size: `url` becomes the transformation URL (`/media/<id>/v1/fill/...`), the
   * original stays in `originalUrl`. `fill` crops to exactly width x height; `fit` fits inside. Sides are
   * integers 1-5000; invalid values are ignored (original URLs, with a console warning in the picker).
   */
  transform?: { mode: 'fill' | 'fit'; width: number; height: number };
  /** Called when the picker has loaded and can be used (`site-media:ready`). */
  onReady?: () => void;
}

/** One chosen file, as in the `site-media:picked` message. */
export interface PickedMediaItem {
  id: string;
  displayName: string;
  /** The contract's media type: `IMAGE`, `VIDEO`, `AUDIO`, `DOCUMENT`, ... */
  mediaType: string;
  mimeType: string;
  /** Decimal string (Int64), as in the Site Media API. */
  sizeInBytes: string;
  /**
   * Public URL; for a private file a signed URL that stops working at `expiresAt`. For a public image picked
   * with `transform`, the transformation URL of that size.
   */
  url: string;
  /** The original's public URL; only when `url` is a transformation URL (`transform`). */
  originalUrl?: string;
  /** ISO 8601; only for private files. */
  expiresAt?: string;
  /** `wix:image://v1/<id>/<name>#originWidth=..&originHeight=..` (or `wix:video://`, `wix:document://`, ...). */
  mediaUri: string;
  /** Pixels; null when the file has none (documents, audio) or is still being processed. */
  width: number | null;
  height: number | null;
  thumbnailUrl: string;
}

/** Resolves with the chosen items; rejects with an `AbortError` when the user cancels. */
export declare function openMediaPicker(options?: OpenMediaPickerOptions): Promise<PickedMediaItem[]>;

/** `<site-media-picker multiple types="image" mode="popup">Choose</site-media-picker>`; fires `change`. */
export declare class SiteMediaPickerElement extends HTMLElement {
  /** The items of the last choice. */
  value: PickedMediaItem[];
  /** Opens the picker; resolves with the items, or null when cancelled (after a `cancel` event). */
  open(): Promise<PickedMediaItem[] | null>;
}

declare global {
  interface HTMLElementTagNameMap {
    'site-media-picker': SiteMediaPickerElement;
  }
}
