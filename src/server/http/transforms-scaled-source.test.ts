// Large photos get a scaled copy at processing; transformations that shrink it at least twofold render from it.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileDescriptor } from '../../contract/index.ts';
import { loadConfig } from '../config.ts';
import { renderImage } from '../services/images/render-image.ts';
import { scaledSourceFor } from '../services/images/scaled-source.ts';
import { parseTransform } from '../services/images/transform-grammar.ts';
import { assetsOf } from '../services/processing/assets.ts';
import { waitFor } from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { near, pixel } from '../testing/transforms.ts';

/**
 * 3000x4000 as displayed, stored as 4000x3000 with EXIF orientation 6 (turn right): as displayed, red on top
 * (its upper 3000x2000) and blue below, with a fine grain over both (a photo's detail, which scaling averages).
 */
async function tallPhoto(): Promise<Buffer> {
  const grain = await sharp({
    create: {
      width: 4000,
      height: 3000,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 0, sigma: 20 },
    },
  })
    .png()
    .toBuffer();
  const half = (r: number, g: number, b: number) =>
    sharp({ create: { width: 2000, height: 3000, channels: 3, background: { r, g, b } } })
      .png()
      .toBuffer();
  // Stored turned left: the displayed top (red) is the stored left half... once orientation 6 turns it right,
  // the stored left half ends up on top.
  return sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#000' } })
    .composite([
      { input: await half(220, 40, 40), left: 0, top: 0 },
      { input: await half(40, 40, 220), left: 2000, top: 0 },
      { input: grain, blend: 'add' },
    ])
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 90 })
    .toBuffer();
}

describe('transformations from the scaled copy of a large photo', { timeout: 60_000 }, () => {
  let t: TestApp;
  let photo: Buffer;
  let id: string;
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    t = await createTestApp({
      jobPollMs: 20,
      transforms: { ...loadConfig({}).transforms, touchIntervalMs: 0 },
    });
    photo = await tallPhoto();
    id = (await t.upload(photo, { fileName: 'tall.jpg', mimeType: 'image/jpeg' })).id;
    await waitFor(
      async () =>
        (await t.ok<{ file: FileDescriptor }>('GET', `/files/get-file-by-id?fileId=${id}`)).file
          .operationStatus !== 'PENDING',
      'processing',
      50_000,
    );
  });
  afterAll(() => t.close());

  it('processing keeps a JPEG of the photo as displayed, 2048 px on its long side', async () => {
    const row = (await t.store.files.getFile(id))!;
    const scaled = assetsOf(row).scaled!;
    expect([scaled.mimeType, scaled.width, scaled.height]).toEqual(['image/jpeg', 1536, 2048]);
    const bytes = await t.blobs.read(scaled.key);
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height, meta.orientation ?? 1]).toEqual(['jpeg', 1536, 2048, 1]);
    near(await pixel(bytes, 768, 200), [220, 40, 40]);
    near(await pixel(bytes, 768, 1800), [40, 40, 220]);
  });

  it('is used only for fit and fill without a crop that shrink it at least twofold', async () => {
    const row = (await t.store.files.getFile(id))!;
    const from = (path: string) => scaledSourceFor(parseTransform(path), row)?.scaledFrom;
    expect(from('fill/w_640,h_480/a.jpg')).toEqual({ width: 3000, height: 4000 });
    expect(from('fit/w_768,h_1024/a.jpg')).toEqual({ width: 3000, height: 4000 });
    // More than half the copy's size one way or the other: the original.
    expect(from('fit/w_769,h_5000/a.jpg')).toBeUndefined();
    expect(from('fill/w_100,h_1025/a.jpg')).toBeUndefined();
    // Crop coordinates are the original's pixels.
    expect(from('crop/x_0,y_0,w_3000,h_4000/fill/w_100,h_100/a.jpg')).toBeUndefined();
    // A file without a scaled copy (small images get none).
    expect(scaledSourceFor(parseTransform('fill/w_10,h_10/a.jpg'), { ...row, assets: '{}' })).toBeUndefined();
  });

  it('renders what the original renders, at the size and alignment asked for', async () => {
    const transform = 'fill/w_600,h_300,al_t,q_90/a.png';
    const fromCopy = await get(`/media/${id}/v1/${transform}`);
    expect(fromCopy.statusCode).toBe(200);
    const copied = await sharp(fromCopy.rawPayload).raw().toBuffer({ resolveWithObject: true });
    expect([copied.info.width, copied.info.height]).toEqual([600, 300]);
    // al_t keeps the top of the displayed photo: red only.
    near(await pixel(fromCopy.rawPayload, 300, 290), [220, 40, 40]);

    const fromOriginal = await renderImage(photo, parseTransform(transform), {
      formats: ['png'],
      focal: undefined,
      maxInputPixels: 268_402_689,
    });
    const original = await sharp(fromOriginal.data).raw().toBuffer();
    let difference = 0;
    for (let i = 0; i < original.length; i++) difference += Math.abs(original[i]! - copied.data[i]!);
    expect(difference / original.length).toBeLessThan(2);

    const fit = await get(`/media/${id}/v1/fit/w_400,h_400/a.jpg`);
    const meta = await sharp(fit.rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([300, 400]);
  });

  it('renders from the copy alone, and from the original whatever needs its pixels', async () => {
    // Without the original's bytes, only what the copy can serve still renders.
    await t.blobs.delete([(await t.store.files.getFile(id))!.blob_key]);
    expect((await get(`/media/${id}/v1/fill/w_320,h_240/b.jpg`)).statusCode).toBe(200);
    expect((await get(`/media/${id}/v1/fit/w_1500,h_2000/b.jpg`)).statusCode).not.toBe(200);
    expect((await get(`/media/${id}/v1/crop/x_0,y_0,w_800,h_800/fill/w_80,h_80/b.jpg`)).statusCode).not.toBe(
      200,
    );
  });
});
