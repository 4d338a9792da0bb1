import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { FileDescriptor } from '../../contract';
import { CopyField } from './copy-field';
import { focalPointQueryOptions } from './focal-point-api';
import {
  buildTransformUrl,
  DEFAULT_QUALITY,
  focalInCrop,
  imageSize,
  imgSnippet,
  MAX_SIDE,
  type CropRegion,
  type SnippetKind,
  type TransformFormat,
  type TransformMode,
} from './transform-url';
import { SizeFields, CropFields } from './builder-fields';
import { VariantPreview } from './variant-preview';
import './image-delivery.css';

const PRESET_WIDTHS = [320, 640, 1024, 1920] as const;
/** Edits settle before the preview asks the server for a new variant (each new one counts in its hourly cap). */
const PREVIEW_DELAY_MS = 400;

function useSettled<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/**
 * "Image URL for websites": builds a transformation URL of a public image (size, fit/fill/crop, format,
 * quality), shows what it renders and weighs, and offers the URL and an `<img srcset>` snippet to copy.
 * `fill` and crops use the file's focal point (set on the preview above).
 */
export function ImageUrlBuilder({ file }: { file: FileDescriptor }) {
  const original = imageSize(file) ?? { width: 1600, height: 1200 };
  const focal = useQuery(focalPointQueryOptions(file.id)).data ?? null;
  const [mode, setMode] = useState<TransformMode>('fill');
  const [preset, setPreset] = useState<string>('640');
  const [width, setWidth] = useState(640);
  const [height, setHeight] = useState(Math.round((640 * original.height) / original.width));
  const [format, setFormat] = useState<TransformFormat>('auto');
  const [quality, setQuality] = useState(DEFAULT_QUALITY);
  const [crop, setCrop] = useState<CropRegion>(() => ({
    x: Math.round(original.width / 4),
    y: Math.round(original.height / 4),
    w: Math.max(1, Math.round(original.width / 2)),
    h: Math.max(1, Math.round(original.height / 2)),
  }));
  const [snippetKind, setSnippetKind] = useState<SnippetKind>('density');

  /** A preset width keeps the proportions of what is shown: the crop's, else the original's. */
  const applyPreset = (value: string, region: CropRegion = crop, m: TransformMode = mode) => {
    setPreset(value);
    if (value === 'custom') return;
    const w = Number(value);
    const ratio = m === 'crop' ? region.h / region.w : original.height / original.width;
    setWidth(w);
    setHeight(Math.min(MAX_SIDE, Math.max(1, Math.round(w * ratio))));
  };

  const focalPoint = focal && mode === 'crop' ? focalInCrop(focal, crop, original) : focal;
  const options = { mode, width, height, format, quality, focalPoint, crop };
  const url = buildTransformUrl(file, options);
  const previewUrl = useSettled(url, PREVIEW_DELAY_MS);
  const snippet = imgSnippet(file, options, snippetKind, file.displayName.replace(/\.[^.]+$/, ''));

  return (
    <details className="image-builder">
      <summary>Image URL for websites</summary>
      <div className="image-builder__body">
        <fieldset className="image-builder__group">
          <legend className="field__label">Mode</legend>
          <div className="segmented" role="radiogroup" aria-label="Mode">
            {(['fill', 'fit', 'crop'] as const).map((m) => (
              <label key={m} className="segmented__option">
                <input
                  type="radio"
                  name={`mode-${file.id}`}
                  value={m}
                  checked={mode === m}
                  onChange={() => {
                    setMode(m);
                    applyPreset(preset, crop, m);
                  }}
                />
                <span>{m === 'fill' ? 'Fill' : m === 'fit' ? 'Fit' : 'Crop'}</span>
              </label>
            ))}
          </div>
          <p className="small muted">
            {mode === 'fill'
              ? 'Exactly this size, cut around the focal point.'
              : mode === 'fit'
                ? 'Within this size, whole picture, never enlarged.'
                : 'A region of the original, then filled to this size.'}
          </p>
        </fieldset>
        {mode === 'crop' ? (
          <CropFields
            region={crop}
            original={original}
            onChange={(region) => {
              setCrop(region);
              applyPreset(preset, region);
            }}
          />
        ) : null}
        <SizeFields
          presets={PRESET_WIDTHS}
          preset={preset}
          width={width}
          height={height}
          onPreset={(value) => applyPreset(value)}
          onSize={(w, h) => {
            setPreset('custom');
            setWidth(w);
            setHeight(h);
          }}
        />
        <div className="image-builder__row">
          <label className="image-builder__field">
            <span className="field__label">Format</span>
            <select value={format} onChange={(e) => setFormat(e.target.value as TransformFormat)}>
              <option value="auto">Auto</option>
              <option value="jpg">JPEG</option>
              <option value="png">PNG</option>
              <option value="webp">WebP</option>
              <option value="avif">AVIF</option>
            </select>
          </label>
          <label className="image-builder__field">
            <span className="field__label">Quality {quality}</span>
            <input
              type="range"
              min={1}
              max={100}
              value={quality}
              aria-label="Quality"
              onChange={(e) => setQuality(Number(e.target.value))}
            />
          </label>
        </div>
        <VariantPreview url={previewUrl} alt={`Result: ${file.displayName}`} />
        <CopyField label="Image URL" value={url} />
        <div className="image-builder__row">
          <label className="image-builder__field">
            <span className="field__label">Snippet offers</span>
            <select value={snippetKind} onChange={(e) => setSnippetKind(e.target.value as SnippetKind)}>
              <option value="density">1x and 2x screens</option>
              <option value="widths">Common widths (responsive)</option>
            </select>
          </label>
        </div>
        <CopyField label="HTML snippet" value={snippet} multiline />
      </div>
    </details>
  );
}
