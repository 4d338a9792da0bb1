import { invalid } from '../../errors.ts';

/**
 * The URL grammar of Wix's image service, as `@wix/image-kit` (and `@wix/sdk`'s `media` helpers, built on it)
 * write it: `/media/<fileId>/v1/<op>/<params>[/<op>/<params>]/<name>.<ext>`, e.g.
 * `v1/crop/x_100,y_50,w_800,h_600/fill/w_400,h_300,al_c,q_80,usm_0.66_1.00_0.01,enc_auto/pic.jpg`.
 * Pure: no I/O, so it is unit-tested on its own; every refusal names the parameter.
 */

export type Alignment = 'c' | 't' | 'b' | 'l' | 'r' | 'tl' | 'tr' | 'bl' | 'br';
export type OutputFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif';

/** `x`, `y` as fractions (0..1) of the image: where a `fill` keeps its crop centred. */
export interface FocalPoint {
  x: number;
  y: number;
}

export interface CropStep {
  /** Absent in the legacy form `crop/w_,h_,al_`, which cuts w x h at the alignment instead. */
  x?: number;
  y?: number;
  w: number;
  h: number;
  align?: Alignment;
}

export interface ResizeStep {
  mode: 'fill' | 'fit';
  w: number;
  h: number;
  /** As written (`fill` from image-kit always has `al_c`). */
  align?: Alignment;
  /** `fp_<x>_<y>` (fractions). */
  focal?: FocalPoint;
}

export interface Transform {
  crop?: CropStep;
  resize?: ResizeStep;
  /** 1..100; absent: the encoder's default for the format. */
  quality?: number;
  /** `usm_<radius>_<amount>_<threshold>` (image-kit's order). */
  unsharp?: { radius: number; amount: number; threshold: number };
  /** `bl`: a baseline (not progressive) JPEG. */
  baseline: boolean;
  /** Percent (0..100). */
  blur?: number;
  /** -100..100. */
  contrast?: number;
  brightness?: number;
  saturation?: number;
  /** Degrees, -360..360. */
  hue?: number;
  /** `enc_auto`: AVIF or WebP by `Accept`; `enc_avif`/`enc_pavif`: AVIF. */
  encoding?: 'auto' | 'avif';
  /** `pstr`: the first frame only; `anm_all` (or nothing): every frame of an animation. */
  still: boolean;
  /** The format the name's extension asks for. */
  format: OutputFormat;
  /** The name as written (decoded), for `Content-Disposition`. */
  name: string;
}

export const MAX_SIDE = 5000;

const EXTENSIONS: Record<string, OutputFormat> = {
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  avif: 'avif',
};

const ALIGNMENTS = new Set<string>(['c', 't', 'b', 'l', 'r', 'tl', 'tr', 'bl', 'br']);

const INT = /^\d{1,9}$/;
const NUM = /^-?\d{1,6}(\.\d{1,6})?$/;

function int(field: string, raw: string | undefined, min: number, max: number): number {
  if (raw === undefined || !INT.test(raw)) throw invalid(field, `${field} must be an integer`);
  const value = Number(raw);
  if (value < min || value > max) throw invalid(field, `${field} must be between ${min} and ${max}`);
  return value;
}

function num(field: string, raw: string | undefined, min: number, max: number): number {
  if (raw === undefined || !NUM.test(raw)) throw invalid(field, `${field} must be a number`);
  const value = Number(raw);
  if (value < min || value > max) throw invalid(field, `${field} must be between ${min} and ${max}`);
  return value;
}

/** One `key_value` of a params segment: `w_640` -> ['w', '640']; flags (`bl`, `pstr`) have no value. */
function splitParam(param: string): [string, string | undefined] {
  const at = param.indexOf('_');
  return at === -1 ? [param, undefined] : [param.slice(0, at), param.slice(at + 1)];
}

/** Keys that belong to the operation they follow; everything else is an output option. */
const STEP_KEYS = new Set(['w', 'h', 'x', 'y', 'al', 'fp', 'lg']);

function flag(key: string, value: string | undefined): void {
  if (value !== undefined) throw invalid(key, `${key} takes no value`);
}

/**
 * Parses the part of the path after `v1/`: operation segments, then the name. Throws a `ValidationError`
 * naming the parameter for anything it does not understand.
 */
export function parseTransform(path: string): Transform {
  const segments = path.split('/');
  const rawName = segments.pop() ?? '';
  if (segments.length === 0 || segments.length % 2 !== 0) {
    throw invalid('transform', 'expected <operation>/<parameters>/.../<name>, e.g. fill/w_640,h_480/pic.jpg');
  }
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    throw invalid('name', 'the name is not valid percent-encoding');
  }
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  const format = ext === undefined ? undefined : EXTENSIONS[ext];
  if (!format) throw invalid('name', 'the name must end in .jpg, .jpeg, .png, .webp, .gif or .avif');

  const transform: Transform = { baseline: false, still: false, format, name };
  const seenOptions = new Set<string>();

  for (let i = 0; i < segments.length; i += 2) {
    const op = segments[i]!;
    const params = new Map<string, string | undefined>();
    for (const param of segments[i + 1]!.split(',')) {
      if (param === '') continue;
      const [key, value] = splitParam(param);
      if (STEP_KEYS.has(key)) {
        if (params.has(key)) throw invalid(key, `${key} is given twice`);
        params.set(key, value);
        continue;
      }
      if (seenOptions.has(key)) throw invalid(key, `${key} is given twice`);
      seenOptions.add(key);
      option(transform, key, value);
    }
    const first = i === 0;
    const last = i === segments.length - 2;
    if (op === 'crop') {
      if (!first) throw invalid('crop', 'crop must come first');
      transform.crop = cropStep(params);
    } else if (op === 'fill' || op === 'fit') {
      if (!last) throw invalid(op, `${op} must be the last operation`);
      transform.resize = resizeStep(op, params);
    } else {
      throw invalid('transform', `unknown operation "${op}" (crop, fill or fit)`);
    }
  }
  return transform;
}

function cropStep(params: Map<string, string | undefined>): CropStep {
  rejectExtra(params, ['x', 'y', 'w', 'h', 'al', 'lg']);
  const w = int('w', params.get('w'), 1, 100_000);
  const h = int('h', params.get('h'), 1, 100_000);
  if (!params.has('x') && !params.has('y')) {
    // Legacy `crop/w_,h_,al_`: w x h at the alignment, not scaled; the output limit applies.
    if (w > MAX_SIDE) throw invalid('w', `w must be between 1 and ${MAX_SIDE}`);
    if (h > MAX_SIDE) throw invalid('h', `h must be between 1 and ${MAX_SIDE}`);
    return { w, h, align: alignment(params.get('al')) ?? 'c' };
  }
  return { x: int('x', params.get('x'), 0, 100_000), y: int('y', params.get('y'), 0, 100_000), w, h };
}

function resizeStep(mode: 'fill' | 'fit', params: Map<string, string | undefined>): ResizeStep {
  rejectExtra(params, mode === 'fill' ? ['w', 'h', 'al', 'fp', 'lg'] : ['w', 'h', 'al', 'lg']);
  if (params.has('lg')) int('lg', params.get('lg'), 0, 2); // upscale method: checked, one method is used
  const step: ResizeStep = {
    mode,
    w: int('w', params.get('w'), 1, MAX_SIDE),
    h: int('h', params.get('h'), 1, MAX_SIDE),
  };
  const align = alignment(params.get('al'));
  if (align) step.align = align;
  if (params.has('fp')) {
    const [x, y, extra] = (params.get('fp') ?? '').split('_');
    if (extra !== undefined) throw invalid('fp', 'fp is fp_<x>_<y>');
    step.focal = { x: num('fp', x, 0, 1), y: num('fp', y, 0, 1) };
  }
  return step;
}

function rejectExtra(params: Map<string, string | undefined>, allowed: string[]): void {
  for (const key of params.keys()) {
    if (!allowed.includes(key)) throw invalid(key, `${key} does not apply here`);
  }
}

function alignment(raw: string | undefined): Alignment | undefined {
  if (raw === undefined) return undefined;
  if (!ALIGNMENTS.has(raw)) throw invalid('al', 'al must be one of c, t, b, l, r, tl, tr, bl, br');
  return raw as Alignment;
}

function option(t: Transform, key: string, value: string | undefined): void {
  switch (key) {
    case 'q':
      t.quality = int('q', value, 1, 100);
      return;
    case 'quality':
      // `quality_auto` (with `enc_avif`): the encoder's default.
      if (value !== 'auto') throw invalid('quality', 'quality must be auto');
      return;
    case 'usm': {
      const parts = (value ?? '').split('_');
      if (parts.length !== 3) throw invalid('usm', 'usm is usm_<radius>_<amount>_<threshold>');
      t.unsharp = {
        radius: num('usm', parts[0], 0, 10),
        amount: num('usm', parts[1], 0, 10),
        threshold: num('usm', parts[2], 0, 1),
      };
      return;
    }
    case 'bl':
      flag(key, value);
      t.baseline = true;
      return;
    case 'blur':
      t.blur = num('blur', value, 0, 100);
      return;
    case 'con':
      t.contrast = num('con', value, -100, 100);
      return;
    case 'br':
      t.brightness = num('br', value, -100, 100);
      return;
    case 'sat':
      t.saturation = num('sat', value, -100, 100);
      return;
    case 'hue':
      t.hue = num('hue', value, -360, 360);
      return;
    case 'enc':
      if (value === 'auto') t.encoding = 'auto';
      else if (value === 'avif' || value === 'pavif') t.encoding = 'avif';
      else throw invalid('enc', 'enc must be auto, avif or pavif');
      return;
    case 'pstr':
      flag(key, value);
      t.still = true;
      return;
    case 'anm':
      if (value !== 'all') throw invalid('anm', 'anm must be all');
      return;
    case 'wm':
      // A watermark id (Wix's stored watermarks): there are none here, so it is accepted and has no effect.
      if (!value || !/^[A-Za-z0-9._-]{1,100}$/.test(value)) throw invalid('wm', 'wm must be a watermark id');
      return;
    default:
      throw invalid(key, `unknown parameter "${key}"`);
  }
}

/** What the rendered bytes depend on, beyond the file's bytes and the chosen format: the cache key's core. */
export function canonicalTransform(t: Transform): string {
  const { name: _name, format: _format, ...rest } = t;
  return stableJson(rest);
}

/** JSON with object keys sorted at every depth, so equal transforms give equal strings. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The target box of the last step, for presets and limits. */
export function targetSize(t: Transform): { w: number; h: number } | undefined {
  if (t.resize) return { w: t.resize.w, h: t.resize.h };
  if (t.crop) return { w: t.crop.w, h: t.crop.h };
  return undefined;
}
