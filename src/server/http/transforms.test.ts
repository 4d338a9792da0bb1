// Image transformations (/media/<id>/v1/...): what the URLs Wix's packages write render.
// The variant cache and the presets / signed / open modes are in transforms-cache-modes.test.ts.
import { sdk } from '@wix/image-kit';
import { media } from '@wix/sdk';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAppError, expectViolation, storedBlobs } from '../testing/helpers.ts';
import { loadConfig } from '../config.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { local, near, pixel, quadrants } from '../testing/transforms.ts';

describe('image transformations (/media/<id>/v1/...)', { timeout: 30_000 }, () => {
  let t: TestApp;
  let jpegId: string;
  let pngId: string;

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    t = await createTestApp({ transforms: { ...loadConfig({}).transforms, touchIntervalMs: 0 } });
    jpegId = (await t.upload(await quadrants(), { fileName: 'quad.jpg', mimeType: 'image/jpeg' })).id;
    pngId = (await t.upload(await quadrants('png'), { fileName: 'quad.png', mimeType: 'image/png' })).id;
  });
  afterAll(() => t.close());

  it('serves image-kit fill URLs at the exact size, in the format of the name', async () => {
    const url = local(sdk.getScaleToFillImageURL(jpegId, 800, 600, 200, 150));
    expect(url).toContain('/v1/fill/w_200,h_150,al_c,q_');
    const response = await get(url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(response.rawPayload).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 200, 150]);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(response.headers.vary).toBe('Accept');
  });

  it('enc_auto answers AVIF or WebP by Accept, else the name’s format', async () => {
    const url = local(sdk.getScaleToFillImageURL(jpegId, 800, 600, 160, 120));
    const avif = await get(url, { accept: 'image/avif,image/webp,*/*' });
    expect(avif.headers['content-type']).toBe('image/avif');
    expect((await sharp(avif.rawPayload).metadata()).format).toBe('heif');
    const webp = await get(url, { accept: 'image/webp,*/*' });
    expect(webp.headers['content-type']).toBe('image/webp');
    expect(webp.headers.etag).not.toBe(avif.headers.etag);
    const jpeg = await get(url, { accept: '*/*' });
    expect(jpeg.headers['content-type']).toBe('image/jpeg');
  });

  it('serves every option image-kit writes (quality, unsharp mask, filters, baseline, watermark, focal point)', async () => {
    const urls = [
      sdk.getScaleToFillImageURL(jpegId, 800, 600, 120, 90, {
        quality: 70,
        unsharpMask: { radius: 1, amount: 0.5, threshold: 0.01 },
        filters: { contrast: 10, brightness: -20, saturation: 30, hue: 40, blur: 15 },
        name: 'my pic.jpg',
      }),
      sdk.getScaleToFillImageURL(jpegId, 800, 600, 120, 90, { progressive: false, watermark: 'wm1' }),
      sdk.getScaleToFillImageURL(jpegId, 800, 600, 120, 90, { focalPoint: { x: 20, y: 70 } }),
      sdk.getScaleToFillImageURL(jpegId, 800, 600, 120, 90, { encoding: 'AVIF' }),
      sdk.getScaleToFillImageURL(jpegId, 800, 600, 120, 90, { encoding: 'PAVIF' }),
      sdk.getScaleToFillImageURL(jpegId, 400, 300, 640, 480, { upscaleMethod: 'super' }),
      sdk.getScaleToFitImageURL(jpegId, 800, 600, 120, 120),
      sdk.getCropImageURL(jpegId, 800, 600, 100, 50, 400, 300, 200, 150),
      sdk.getScaleToFitImageURL(pngId, 800, 600, 120, 90),
    ];
    expect(urls.join(' ')).toMatch(/usm_1\.00_0\.50_0\.01/);
    expect(urls.join(' ')).toMatch(/,bl,/);
    expect(urls.join(' ')).toMatch(/fp_0\.20_0\.70/);
    expect(urls.join(' ')).toMatch(/lg_2/);
    expect(urls.join(' ')).toMatch(/enc_avif,quality_auto/);
    for (const url of urls) {
      const response = await get(local(url));
      expect(response.statusCode, `${url}: ${response.body.slice(0, 200)}`).toBe(200);
    }
  });

  it('serves the URLs of @wix/sdk’s media helpers', async () => {
    const wixUri = `wix:image://v1/${jpegId}/quad.jpg#originWidth=800&originHeight=600`;
    const fill = await get(local(media.getScaledToFillImageUrl(wixUri, 200, 100, {})));
    expect(fill.statusCode).toBe(200);
    expect(await sharp(fill.rawPayload).metadata()).toMatchObject({ width: 200, height: 100 });
    const fit = await get(local(media.getScaledToFitImageUrl(wixUri, 200, 200, {})));
    expect(fit.statusCode).toBe(200);
    const crop = await get(local(media.getCroppedImageUrl(wixUri, 400, 0, 400, 300, 100, 75)));
    expect(crop.statusCode).toBe(200);
    // The top-right quadrant: green.
    near(await pixel(crop.rawPayload, 50, 37), [0, 255, 0]);
    const opts = await get(
      local(media.getScaledToFillImageUrl(wixUri, 100, 100, { quality: 80, filters: { blur: 15 } })),
    );
    expect(opts.statusCode).toBe(200);
  });

  it('fit keeps proportions and never upscales; fill crops around the alignment', async () => {
    const fit = await get(`/media/${jpegId}/v1/fit/w_100,h_100,q_80/x.webp`);
    expect(fit.headers['content-type']).toBe('image/webp');
    expect(await sharp(fit.rawPayload).metadata()).toMatchObject({ width: 100, height: 75 });
    const big = await get(`/media/${jpegId}/v1/fit/w_2000,h_2000/x.png`);
    expect(await sharp(big.rawPayload).metadata()).toMatchObject({ width: 800, height: 600, format: 'png' });

    const left = await get(`/media/${jpegId}/v1/fill/w_150,h_300,al_l/x.png`);
    near(await pixel(left.rawPayload, 10, 10), [255, 0, 0]);
    near(await pixel(left.rawPayload, 10, 290), [0, 0, 255]);
    const right = await get(`/media/${jpegId}/v1/fill/w_150,h_300,al_r/x.png`);
    near(await pixel(right.rawPayload, 140, 10), [0, 255, 0]);
    near(await pixel(right.rawPayload, 140, 290), [255, 255, 0]);
    const bottom = await get(`/media/${jpegId}/v1/fill/w_400,h_100,al_b/x.png`);
    near(await pixel(bottom.rawPayload, 10, 90), [0, 0, 255]);
    const focal = await get(`/media/${jpegId}/v1/fill/w_150,h_300,fp_1.00_0.00/x.png`);
    near(await pixel(focal.rawPayload, 140, 10), [0, 255, 0]);
  });

  it('fill centres on the file’s focal point (set through the extension API) unless al_ says otherwise', async () => {
    const url = `/media/${jpegId}/v1/fill/w_150,h_300,al_c/x.png`;
    const before = await get(url);
    const put = await t.app.inject({
      method: 'PUT',
      url: `/site-media-ext/v1/files/${jpegId}/focal-point`,
      headers: { authorization: t.apiKey },
      payload: { focalPoint: { x: 100, y: 50 } },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ focalPoint: { x: 100, y: 50 } });
    const read = await t.app.inject({
      method: 'GET',
      url: `/site-media-ext/v1/files/${jpegId}/focal-point`,
      headers: { authorization: t.apiKey },
    });
    expect(read.json()).toEqual({ focalPoint: { x: 100, y: 50 } });
    const after = await get(url);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    near(await pixel(after.rawPayload, 140, 10), [0, 255, 0]);
    const left = await get(`/media/${jpegId}/v1/fill/w_150,h_300,al_l/x.png`);
    near(await pixel(left.rawPayload, 10, 10), [255, 0, 0]);

    const bad = await t.app.inject({
      method: 'PUT',
      url: `/site-media-ext/v1/files/${jpegId}/focal-point`,
      headers: { authorization: t.apiKey },
      payload: { focalPoint: { x: 101, y: 50 } },
    });
    expectViolation(bad, 'focalPoint.x');
    const anonymous = await t.app.inject({
      method: 'PUT',
      url: `/site-media-ext/v1/files/${jpegId}/focal-point`,
      payload: { focalPoint: null },
    });
    expect(anonymous.statusCode).toBe(401);
    await t.app.inject({
      method: 'PUT',
      url: `/site-media-ext/v1/files/${jpegId}/focal-point`,
      headers: { authorization: t.apiKey },
      payload: { focalPoint: null },
    });
  });

  it('answers If-None-Match with 304, renders a variant once and serves it from the cache after', async () => {
    const url = `/media/${jpegId}/v1/fill/w_64,h_48,al_c,q_75/once.jpg`;
    const rendersBefore = t.images.renders;
    const all = await Promise.all([get(url), get(url), get(url)]);
    expect(all.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(t.images.renders - rendersBefore).toBe(1);
    const again = await get(url);
    expect(again.rawPayload).toEqual(all[0].rawPayload);
    expect(t.images.renders - rendersBefore).toBe(1);
    const etag = String(again.headers.etag);
    const notModified = await get(url, { 'if-none-match': etag });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.headers.etag).toBe(etag);
    expect(notModified.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers 400 naming the parameter for bad transformations', async () => {
    const base = `/media/${jpegId}/v1`;
    expectViolation(await get(`${base}/fill/w_0,h_100/x.jpg`), 'w');
    expectViolation(await get(`${base}/fill/w_100,h_5001/x.jpg`), 'h');
    expectViolation(await get(`${base}/fill/w_100,h_100,al_x/x.jpg`), 'al');
    expectViolation(await get(`${base}/fill/w_100,h_100,q_101/x.jpg`), 'q');
    expectViolation(await get(`${base}/fill/w_100,h_100,usm_1_2/x.jpg`), 'usm');
    expectViolation(await get(`${base}/fill/w_100,h_100,blur_150/x.jpg`), 'blur');
    expectViolation(await get(`${base}/fill/w_100,h_100,foo_1/x.jpg`), 'foo');
    expectViolation(await get(`${base}/fill/w_100,h_100/x.bmp`), 'name');
    expectViolation(await get(`${base}/fill/w_100,h_100,enc_jxl/x.jpg`), 'enc');
    expectViolation(await get(`${base}/crop/x_900,y_0,w_10,h_10/x.jpg`), 'x');
    expectViolation(await get(`${base}/zoom/w_1/x.jpg`), 'transform');
    const body = (await get(`${base}/fill/w_abc,h_100/x.jpg`)).json();
    expect(body.message).toContain('w');
  });

  it('refuses private files (403) and unknown ones (404)', async () => {
    const secret = await t.upload(await quadrants(), {
      fileName: 'p.jpg',
      mimeType: 'image/jpeg',
      private: true,
    });
    expectAppError(await get(`/media/${secret.id}/v1/fill/w_10,h_10/x.jpg`), 403, 'PERMISSION_DENIED');
    expectAppError(
      await get(`/media/${'0'.repeat(32)}.jpg/v1/fill/w_10,h_10/x.jpg`),
      404,
      'RESOURCE_NOT_FOUND',
    );
  });

  it('keeps the frames of an animated GIF and the transparency of a PNG', async () => {
    const frames = await Promise.all(
      ['#f00', '#0f0', '#00f'].map((colour) =>
        sharp({ create: { width: 60, height: 40, channels: 3, background: colour } })
          .png()
          .toBuffer(),
      ),
    );
    const gif = await sharp(frames, { join: { animated: true } })
      .gif({ delay: 100 })
      .toBuffer();
    const gifId = (await t.upload(gif, { fileName: 'anim.gif', mimeType: 'image/gif' })).id;
    const resized = await get(`/media/${gifId}/v1/fit/w_30,h_30/anim.gif`);
    expect(resized.statusCode).toBe(200);
    const meta = await sharp(resized.rawPayload, { animated: true }).metadata();
    expect([meta.format, meta.pages, meta.width, meta.pageHeight]).toEqual(['gif', 3, 30, 20]);
    const still = await get(`/media/${gifId}/v1/fit/w_30,h_30,pstr/anim.gif`);
    expect((await sharp(still.rawPayload).metadata()).pages ?? 1).toBe(1);

    const transparent = await sharp({
      create: { width: 200, height: 100, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .composite([
        {
          input: { create: { width: 100, height: 100, channels: 4, background: '#f00f' } },
          left: 100,
          top: 0,
        },
      ])
      .png()
      .toBuffer();
    const alphaId = (await t.upload(transparent, { fileName: 'alpha.png', mimeType: 'image/png' })).id;
    const fit = await get(
      local(sdk.getScaleToFitImageURL(alphaId, 200, 100, 100, 50, { autoEncode: false })),
    );
    const out = await sharp(fit.rawPayload).metadata();
    expect([out.format, out.hasAlpha, out.width, out.height]).toEqual(['png', true, 100, 50]);
    expect((await pixel(fit.rawPayload, 10, 25))[3]).toBe(0);
    expect((await pixel(fit.rawPayload, 90, 25))[3]).toBe(255);
  });

  it('applies EXIF orientation, strips metadata and keeps the ICC profile', async () => {
    // Stored 200x100 landscape, displayed rotated (orientation 6): 100x200 portrait.
    const rotated = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#888' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withIccProfile('p3')
      .toBuffer();
    const id = (await t.upload(rotated, { fileName: 'rot.jpg', mimeType: 'image/jpeg' })).id;
    const response = await get(`/media/${id}/v1/fit/w_50,h_100/rot.jpg`);
    const meta = await sharp(response.rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([50, 100]);
    expect(meta.orientation).toBeUndefined();
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeDefined();
  });

  it('drops a file’s variants when it is deleted forever', async () => {
    const id = (await t.upload(await quadrants(), { fileName: 'gone.jpg', mimeType: 'image/jpeg' })).id;
    expect((await get(`/media/${id}/v1/fill/w_20,h_20/gone.jpg`)).statusCode).toBe(200);
    const variantsBefore = (await storedBlobs(t)).filter((k) => k.startsWith('variants/')).length;
    await t.ok('POST', '/bulk/files/delete', { fileIds: [id], permanent: true });
    const variantsAfter = (await storedBlobs(t)).filter((k) => k.startsWith('variants/')).length;
    expect(variantsAfter).toBe(variantsBefore - 1);
  });
});
