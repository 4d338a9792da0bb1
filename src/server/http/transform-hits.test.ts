import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { expectAppError } from '../testing/helpers.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';

/**
 * A cached variant is served again and again for the same URL; what a hit keeps between requests (the
 * transformation's parse, the variant's key, the prepared query) must never outlive what it was made from.
 */
describe('cached image variants, hit after hit', { timeout: 30_000 }, () => {
  let t: TestApp;
  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    t = await createTestApp({ transforms: { ...loadConfig({}).transforms, touchIntervalMs: 0 } });
  });
  afterAll(() => t.close());

  const photo = () =>
    sharp({ create: { width: 320, height: 240, channels: 3, background: '#3a6' } })
      .jpeg()
      .toBuffer();

  it('answers every hit with the same bytes and headers, by Accept for enc_auto', async () => {
    const id = (await t.upload(await photo(), { fileName: 'hit.jpg', mimeType: 'image/jpeg' })).id;
    const url = `/media/${id}/v1/fill/w_64,h_48,al_c,q_80,enc_auto/hit.jpg`;
    const webp = { accept: 'image/webp,*/*' };
    const first = await get(url, webp);
    const rendersAfterFirst = t.images.renders;
    for (let i = 0; i < 3; i++) {
      const hit = await get(url, webp);
      expect(hit.statusCode).toBe(200);
      expect(hit.rawPayload).toEqual(first.rawPayload);
      for (const name of ['etag', 'content-type', 'content-length', 'cache-control', 'vary']) {
        expect(hit.headers[name], name).toBe(first.headers[name]);
      }
      expect(hit.headers['access-control-allow-origin']).toBe('*');
      expect(hit.headers['content-disposition']).toBe('inline; filename="hit.jpg"');
    }
    expect(t.images.renders).toBe(rendersAfterFirst);
    expect(first.headers['content-type']).toBe('image/webp');
    expect(first.headers.vary).toBe('Accept');
    // Another Accept is another variant of the same URL.
    const jpeg = await get(url, { accept: 'image/jpeg' });
    expect(jpeg.headers['content-type']).toBe('image/jpeg');
    expect(jpeg.headers.etag).not.toBe(first.headers.etag);
    expect((await get(url, { ...webp, 'if-none-match': String(first.headers.etag) })).statusCode).toBe(304);
  });

  it('stops serving a cached variant once its file is deleted forever', async () => {
    const id = (await t.upload(await photo(), { fileName: 'gone.jpg', mimeType: 'image/jpeg' })).id;
    const url = `/media/${id}/v1/fill/w_32,h_32,al_c/gone.jpg`;
    expect((await get(url)).statusCode).toBe(200);
    expect((await get(url)).statusCode).toBe(200);
    await t.ok('POST', '/bulk/files/delete', { fileIds: [id], permanent: true });
    expectAppError(await get(url), 404, 'RESOURCE_NOT_FOUND');
  });

  it('refuses the same transformation of a private file after serving it for a public one', async () => {
    const open = (await t.upload(await photo(), { fileName: 'a.jpg', mimeType: 'image/jpeg' })).id;
    const secret = (
      await t.upload(await photo(), { fileName: 'a.jpg', mimeType: 'image/jpeg', private: true })
    ).id;
    expect((await get(`/media/${open}/v1/fill/w_16,h_16/a.jpg`)).statusCode).toBe(200);
    expectAppError(await get(`/media/${secret}/v1/fill/w_16,h_16/a.jpg`), 403, 'PERMISSION_DENIED');
    expectAppError(await get(`/media/${secret}/v1/fill/w_16,h_16/a.jpg`), 403, 'PERMISSION_DENIED');
  });

  /** `POST /site-media-ext/v1<path>` with the API key. */
  const ext = (path: string, payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: `/site-media-ext/v1${path}`,
      headers: { authorization: TEST_API_KEY },
      payload,
    });

  it('refuses a cached variant the moment its file is made private, and serves it again once public', async () => {
    const id = (await t.upload(await photo(), { fileName: 'p.jpg', mimeType: 'image/jpeg' })).id;
    const url = `/media/${id}/v1/fill/w_24,h_24,al_c/p.jpg`;
    expect((await get(url)).statusCode).toBe(200);
    expect((await get(url)).statusCode).toBe(200);
    expect((await ext('/files/set-private', { fileIds: [id], private: true })).statusCode).toBe(200);
    expectAppError(await get(url), 403, 'PERMISSION_DENIED');
    expect((await ext('/files/set-private', { fileIds: [id], private: false })).statusCode).toBe(200);
    expect((await get(url)).statusCode).toBe(200);
  });

  it('serves the new bytes of a replaced file at once, never the old variant', async () => {
    const id = (await t.upload(await photo(), { fileName: 'r.jpg', mimeType: 'image/jpeg' })).id;
    const url = `/media/${id}/v1/fill/w_24,h_24,al_c/r.jpg`;
    const before = await get(url);
    expect((await get(url)).rawPayload).toEqual(before.rawPayload);
    const after = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#c14' } })
      .jpeg()
      .toBuffer();
    const generated = await ext(`/files/${id}/replace-upload-url`, {
      mimeType: 'image/jpeg',
      sizeInBytes: after.length,
    });
    expect(generated.statusCode, generated.body).toBe(200);
    const { uploadUrl } = generated.json<{ uploadUrl: string }>();
    const put = await t.app.inject({
      method: 'PUT',
      url: new URL(uploadUrl).pathname,
      headers: { 'content-type': 'image/jpeg' },
      payload: after,
    });
    expect(put.statusCode, put.body).toBe(200);
    const hit = await get(url);
    expect(hit.statusCode).toBe(200);
    expect(hit.headers.etag).not.toBe(before.headers.etag);
    expect(hit.rawPayload).not.toEqual(before.rawPayload);
    const { dominant } = await sharp(hit.rawPayload).stats();
    expect(dominant.r).toBeGreaterThan(dominant.g);
  });

  it('answers 404 for an id with a NUL in it, hit after hit (PostgreSQL cannot take one as a parameter)', async () => {
    const id = (await t.upload(await photo(), { fileName: 'n.jpg', mimeType: 'image/jpeg' })).id;
    expect((await get(`/media/${id}/v1/fill/w_16,h_16/n.jpg`)).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) {
      expectAppError(await get(`/media/${id}%00/v1/fill/w_16,h_16/n.jpg`), 404, 'RESOURCE_NOT_FOUND');
    }
  });

  it('refuses a bad transformation every time, not only the first', async () => {
    const id = (await t.upload(await photo(), { fileName: 'b.jpg', mimeType: 'image/jpeg' })).id;
    for (let i = 0; i < 2; i++) {
      expect((await get(`/media/${id}/v1/fill/w_0,h_10/b.jpg`)).statusCode).toBe(400);
    }
  });
});
