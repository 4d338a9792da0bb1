import type { FileMedia } from '../../../contract/index.ts';
import { assetOf, assetsOf, type StoredAsset } from '../processing/assets.ts';
import { resizedSize } from './render-image.ts';
import type { Transform } from './transform-grammar.ts';

/** A file's scaled copy and the size of the image it is a copy of. */
export interface ScaledSource {
  asset: StoredAsset;
  scaledFrom: { width: number; height: number };
}

/**
 * The file's scaled copy (made at processing for large photos, see `scaledCopy`) when `t` may be rendered from it:
 * a `fit` or `fill` without a crop (a crop's coordinates are the original's pixels) that shrinks the copy at
 * least twofold both ways, so it is rendered from more than twice the pixels it shows, as from the original.
 */
export function scaledSourceFor(
  t: Transform,
  file: { assets: string; media: string },
): ScaledSource | undefined {
  if (t.crop || !t.resize) return undefined;
  const asset = assetOf(assetsOf(file), 'scaled');
  if (!asset?.width || !asset.height) return undefined;
  const image = (JSON.parse(file.media) as FileMedia).image?.image;
  if (!image?.width || !image.height) return undefined;
  const size = resizedSize(t.resize, image.width, image.height);
  if (size.width * 2 > asset.width || size.height * 2 > asset.height) return undefined;
  return { asset, scaledFrom: { width: image.width, height: image.height } };
}
