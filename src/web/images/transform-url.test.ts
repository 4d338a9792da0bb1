import { describe, expect, it } from 'vitest';
// The server's own parser: every URL the app builds must be one the server accepts (and means what we meant).
import { parseTransform } from '../../server/services/images/transform-grammar';
import {
  bucketSize,
  focalInCrop,
  buildTransformUrl,
  imgSnippet,
  outputName,
  transformBase,
  type TransformOptions,
} from './transform-url';

const file = {
  url: 'https://media.example.com/media/abc123',
  displayName: 'Sunset at sea.JPG',
  mimeType: 'image/jpeg',
};

/** The part the server's grammar parses: everything after `/v1/`. */
function parsed(url: string) {
  const marker = url.indexOf('/v1/');
  return parseTransform(url.slice(marker + 4));
}

describe('buildTransformUrl', () => {
  it('writes fill with al_c, quality and enc_auto in image-kit order', () => {
    const url = buildTransformUrl(file, {
      mode: 'fill',
      width: 640,
      height: 480,
      format: 'auto',
      quality: 90,
    });
    expect(url).toBe(
      'https://media.example.com/media/abc123/v1/fill/w_640,h_480,al_c,q_90,enc_auto/Sunset-at-sea.jpg',
    );
    const t = parsed(url);
    expect(t.resize).toEqual({ mode: 'fill', w: 640, h: 480, align: 'c' });
    expect(t.quality).toBe(90);
    expect(t.encoding).toBe('auto');
    expect(t.format).toBe('jpeg');
  });

  it('writes the focal point as fp_ fractions, which the server reads back', () => {
    const url = buildTransformUrl(file, {
      mode: 'fill',
      width: 300,
      height: 300,
      format: 'webp',
      focalPoint: { x: 25, y: 72.35 },
    });
    expect(url).toContain('/fill/w_300,h_300,fp_0.25_0.724/Sunset-at-sea.webp');
    expect(parsed(url).resize?.focal).toEqual({ x: 0.25, y: 0.724 });
  });

  it('writes fit without alignment', () => {
    const url = buildTransformUrl(file, {
      mode: 'fit',
      width: 1024,
      height: 768,
      format: 'png',
      quality: 75,
    });
    expect(url).toMatch(/\/v1\/fit\/w_1024,h_768,q_75\/Sunset-at-sea\.png$/);
    expect(parsed(url).resize).toEqual({ mode: 'fit', w: 1024, h: 768 });
  });

  it('writes crop then fill, with the region in the original pixels', () => {
    const options: TransformOptions = {
      mode: 'crop',
      width: 400,
      height: 300,
      format: 'avif',
      crop: { x: 100.4, y: 50, w: 800, h: 600 },
    };
    const url = buildTransformUrl(file, options);
    expect(url).toMatch(/\/v1\/crop\/x_100,y_50,w_800,h_600\/fill\/w_400,h_300,al_c\/Sunset-at-sea\.avif$/);
    const t = parsed(url);
    expect(t.crop).toEqual({ x: 100, y: 50, w: 800, h: 600 });
    expect(t.format).toBe('avif');
  });

  it('keeps sizes and quality inside what the server accepts', () => {
    const url = buildTransformUrl(file, {
      mode: 'fill',
      width: 9000,
      height: 0,
      format: 'jpg',
      quality: 300,
    });
    const t = parsed(url);
    expect(t.resize).toMatchObject({ w: 5000, h: 1 });
    expect(t.quality).toBe(100);
  });

  it('keeps a PNG a PNG under enc_auto and makes names URL-safe', () => {
    const png = { ...file, displayName: 'Logo (final) ü/1.png', mimeType: 'image/png' };
    const url = buildTransformUrl(png, { mode: 'fit', width: 10, height: 10, format: 'auto' });
    expect(url.endsWith('/Logo-final-u-1.png')).toBe(true);
    expect(parsed(url).format).toBe('png');
    expect(outputName('...', 'jpg')).toBe('image.jpg');
    expect(transformBase('http://x/media/a/')).toBe('http://x/media/a/v1/');
  });
});

describe('imgSnippet', () => {
  const options: TransformOptions = { mode: 'fill', width: 640, height: 480, format: 'auto' };

  it('offers 1x and 2x', () => {
    const html = imgSnippet(file, options, 'density', 'A "sunset"');
    expect(html).toContain(
      'srcset="https://media.example.com/media/abc123/v1/fill/w_640,h_480,al_c,enc_auto/Sunset-at-sea.jpg 1x, ',
    );
    expect(html).toContain('/fill/w_1280,h_960,al_c,enc_auto/Sunset-at-sea.jpg 2x"');
    expect(html).toContain('width="640" height="480" alt="A &quot;sunset&quot;"');
    expect(html).not.toContain('sizes=');
  });

  it('offers common widths up to 2x with the same aspect ratio, and sizes', () => {
    const html = imgSnippet(file, options, 'widths');
    const srcset = /srcset="([^"]+)"/.exec(html)?.[1] ?? '';
    const entries = srcset.split(', ').map((entry) => entry.split(' '));
    expect(entries.map(([, w]) => w)).toEqual(['320w', '640w', '768w', '1024w', '1280w']);
    for (const [url, w] of entries) {
      const resize = parsed(url!).resize!;
      expect(`${resize.w}w`).toBe(w);
      expect(resize.h).toBe(Math.round((resize.w * 480) / 640));
    }
    expect(html).toContain('sizes="(max-width: 640px) 100vw, 640px"');
  });
});

describe('bucketSize', () => {
  it('rounds the CSS size times the pixel ratio up to a bucket', () => {
    expect(bucketSize(168, 1)).toBe(256);
    expect(bucketSize(168, 2)).toBe(384);
    expect(bucketSize(130, 1.5)).toBe(256);
    expect(bucketSize(32, 2)).toBe(64);
    expect(bucketSize(1440, 2)).toBe(3072);
    expect(bucketSize(100_000, 3)).toBe(4096);
    expect(bucketSize(100, 0)).toBe(128);
  });
});

describe('focalInCrop', () => {
  it('moves a focal point of the original into the crop region', () => {
    const original = { width: 1000, height: 500 };
    expect(focalInCrop({ x: 50, y: 50 }, { x: 250, y: 0, w: 500, h: 500 }, original)).toEqual({
      x: 50,
      y: 50,
    });
    expect(focalInCrop({ x: 30, y: 10 }, { x: 250, y: 0, w: 500, h: 500 }, original)).toEqual({
      x: 10,
      y: 10,
    });
    expect(focalInCrop({ x: 5, y: 100 }, { x: 250, y: 0, w: 500, h: 250 }, original)).toEqual({
      x: 0,
      y: 100,
    });
  });
});
