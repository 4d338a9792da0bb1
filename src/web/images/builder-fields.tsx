import { MAX_SIDE, type CropRegion } from './transform-url';

/** A whole number from an input, within [min, max]; an empty or invalid field counts as `min`. */
function whole(raw: string, min: number, max: number): number {
  const n = Math.round(Number(raw));
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
}

/** Output size: a preset width (height keeps the proportions) or any width x height. */
export function SizeFields({
  presets,
  preset,
  width,
  height,
  onPreset,
  onSize,
}: {
  presets: readonly number[];
  preset: string;
  width: number;
  height: number;
  onPreset: (value: string) => void;
  onSize: (width: number, height: number) => void;
}) {
  return (
    <div className="image-builder__row">
      <label className="image-builder__field">
        <span className="field__label">Size</span>
        <select value={preset} onChange={(e) => onPreset(e.target.value)}>
          {presets.map((w) => (
            <option key={w} value={String(w)}>
              {w} wide
            </option>
          ))}
          <option value="custom">Custom</option>
        </select>
      </label>
      <label className="image-builder__field image-builder__field--narrow">
        <span className="field__label">Width</span>
        <input
          type="number"
          min={1}
          max={MAX_SIDE}
          value={width}
          onChange={(e) => onSize(whole(e.target.value, 1, MAX_SIDE), height)}
        />
      </label>
      <label className="image-builder__field image-builder__field--narrow">
        <span className="field__label">Height</span>
        <input
          type="number"
          min={1}
          max={MAX_SIDE}
          value={height}
          onChange={(e) => onSize(width, whole(e.target.value, 1, MAX_SIDE))}
        />
      </label>
    </div>
  );
}

/** The crop region in the original's pixels; it always stays inside the picture. */
export function CropFields({
  region,
  original,
  onChange,
}: {
  region: CropRegion;
  original: { width: number; height: number };
  onChange: (region: CropRegion) => void;
}) {
  const field = (key: keyof CropRegion, label: string, max: number, min: number) => (
    <label className="image-builder__field image-builder__field--narrow">
      <span className="field__label">{label}</span>
      <input
        type="number"
        min={min}
        max={max}
        value={region[key]}
        onChange={(e) => {
          const next = { ...region, [key]: whole(e.target.value, min, max) };
          next.w = Math.min(next.w, original.width - next.x);
          next.h = Math.min(next.h, original.height - next.y);
          onChange(next);
        }}
      />
    </label>
  );
  return (
    <fieldset className="image-builder__group">
      <legend className="field__label">
        Crop region (of {original.width} × {original.height})
      </legend>
      <div className="image-builder__row">
        {field('x', 'Crop x', original.width - 1, 0)}
        {field('y', 'Crop y', original.height - 1, 0)}
        {field('w', 'Crop width', original.width, 1)}
        {field('h', 'Crop height', original.height, 1)}
      </div>
    </fieldset>
  );
}
