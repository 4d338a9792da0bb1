// Image transformations: the variant cache's byte budget, and the presets / signed / open modes.
import { createHmac } from 'node:crypto';
import { sdk } from '@wix/image-kit';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { expectAppError, expectViolation, storedBlobs } from '../testing/helpers.ts';
import { loadConfig } from '../config.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { local, quadrants } from '../testing/transforms.ts';

describe('image transformation cache and modes', { timeout: 60_000 }, () => {
  const apps: TestApp[] = [];
  afterAll(() => Promise.all(apps.map((a) => a.close())));

  async function app(transforms: Partial<TestApp['config']['transforms']>): Promise<TestApp> {
    const made = await createTestApp({
      transforms: { ...loadConfig({}).transforms, touchIntervalMs: 0, ...transforms },
    });
    apps.push(made);
    return made;
  }

  it('evicts the least recently used variants past TRANSFORM_CACHE_BYTES', async () => {
    const t = await app({ cacheBytes: 1 });
    const id = (await t.upload(await quadrants(), { fileName: 'q.jpg', mimeType: 'image/jpeg' })).id;
    for (const w of [30, 31, 32]) {
      const response = await t.app.inject({ method: 'GET', url: `/media/${id}/v1/fill/w_${w},h_30/q.png` });
      expect(response.statusCode).toBe(200);
    }
    // A budget of one byte keeps nothing: every variant is evicted after it is served.
    expect((await storedBlobs(t)).filter((k) => k.startsWith('variants/'))).toEqual([]);
  });

  it('keeps the most recently used variants within the budget', async () => {
    const probe = await app({});
    const id0 = (await probe.upload(await quadrants(), { fileName: 'q.jpg', mimeType: 'image/jpeg' })).id;
    const one = await probe.app.inject({ method: 'GET', url: `/media/${id0}/v1/fill/w_40,h_40/q.png` });
    // Room for two variants of about this size, not three.
    const t = await app({ cacheBytes: Math.floor(one.rawPayload.length * 2.5) });
    const id = (await t.upload(await quadrants(), { fileName: 'q.jpg', mimeType: 'image/jpeg' })).id;
    const url = (w: number) => `/media/${id}/v1/fill/w_${w},h_40/q.png`;
    const get = (w: number) => t.app.inject({ method: 'GET', url: url(w) });
    await get(40);
    await get(41);
    await get(40); // 40 is now more recent than 41
    await get(42); // over budget: 41 goes
    const renders = t.images.renders;
    await get(40);
    await get(42);
    expect(t.images.renders).toBe(renders);
    await get(41);
    expect(t.images.renders).toBe(renders + 1);
  });

  it('presets mode allows only the listed sizes', async () => {
    const t = await app({ mode: 'presets', presets: [{ w: 64, h: 48 }] });
    const id = (await t.upload(await quadrants(), { fileName: 'q.jpg', mimeType: 'image/jpeg' })).id;
    const ok = await t.app.inject({ method: 'GET', url: `/media/${id}/v1/fill/w_64,h_48/q.jpg` });
    expect(ok.statusCode).toBe(200);
    expectViolation(await t.app.inject({ method: 'GET', url: `/media/${id}/v1/fill/w_65,h_48/q.jpg` }), 'w');
  });

  it('signed mode needs the HMAC of the path in sig', async () => {
    const key = 'a-signing-key-of-some-length';
    const t = await app({ mode: 'signed', signingKey: key });
    const id = (await t.upload(await quadrants(), { fileName: 'q.jpg', mimeType: 'image/jpeg' })).id;
    const path = local(sdk.getScaleToFillImageURL(id, 800, 600, 100, 75, { name: 'my pic' }));
    const sig = createHmac('sha256', key).update(path).digest('base64url');
    const ok = await t.app.inject({ method: 'GET', url: `${path}?sig=${sig}` });
    expect(ok.statusCode).toBe(200);
    expectAppError(await t.app.inject({ method: 'GET', url: path }), 403, 'PERMISSION_DENIED');
    const other = path.replace('w_100', 'w_101');
    expectAppError(
      await t.app.inject({ method: 'GET', url: `${other}?sig=${sig}` }),
      403,
      'PERMISSION_DENIED',
    );
  });

  it('open mode caps the new variants of one file per hour; cached ones are still served', async () => {
    const t = await app({ variantsPerFilePerHour: 2 });
    const id = (await t.upload(await quadrants(), { fileName: 'q.jpg', mimeType: 'image/jpeg' })).id;
    const get = (w: number) => t.app.inject({ method: 'GET', url: `/media/${id}/v1/fill/w_${w},h_20/q.jpg` });
    expect((await get(20)).statusCode).toBe(200);
    expect((await get(21)).statusCode).toBe(200);
    const capped = await get(22);
    expectAppError(capped, 429, 'RESOURCE_EXHAUSTED');
    expect(Number(capped.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(20)).statusCode).toBe(200);
  });

  it('refuses sources over TRANSFORM_MAX_INPUT_PIXELS and SVGs over 5000 px', async () => {
    const t = await app({ maxInputPixels: 10_000 });
    const id = (await t.upload(await quadrants(), { fileName: 'q.jpg', mimeType: 'image/jpeg' })).id;
    expectAppError(
      await t.app.inject({ method: 'GET', url: `/media/${id}/v1/fill/w_10,h_10/q.jpg` }),
      400,
      'INVALID_ARGUMENT',
    );
    const huge = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="20000" height="20000"><rect width="20000" height="20000"/></svg>',
    );
    const svgId = (await t.upload(huge, { fileName: 'huge.svg', mimeType: 'image/svg+xml' })).id;
    expectViolation(
      await t.app.inject({ method: 'GET', url: `/media/${svgId}/v1/fit/w_100,h_100/x.png` }),
      'source',
    );
    const small = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="red"/></svg>',
    );
    const smallId = (await t.upload(small, { fileName: 's.svg', mimeType: 'image/svg+xml' })).id;
    const raster = await t.app.inject({ method: 'GET', url: `/media/${smallId}/v1/fill/w_80,h_40/s.png` });
    expect(raster.statusCode).toBe(200);
    expect(await sharp(raster.rawPayload).metadata()).toMatchObject({ width: 80, height: 40, format: 'png' });
  });
});
