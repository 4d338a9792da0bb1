import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectAppError, expectViolation, PNG_1X1, waitFor } from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

/** A call to the extension prefix `/site-media-ext/v1`. */
function ext(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown) {
  return t.app.inject({
    method,
    url: `/site-media-ext/v1${path}`,
    headers: { authorization: t.apiKey },
    ...(body !== undefined && { payload: body as object }),
  });
}

const getFile = async (id: string) => (await t.ok('GET', `/files/get-file-by-id?fileId=${id}`)).file;

describe('alt text', () => {
  it('is set through the extension, answered by every Wix endpoint in media.image.image.altText', async () => {
    const image = await t.upload(PNG_1X1, { fileName: 'dot.png', mimeType: 'image/png' });
    expect(image.media.image.image.altText).toBeNull();

    const set = await ext('PUT', `/files/${image.id}/alt-text`, { altText: '  A red dot on white  ' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().file.media.image.image.altText).toBe('A red dot on white');
    // Processing, when it finishes, rewrites `media`: the alt text survives it.
    await waitFor(async () => (await getFile(image.id)).operationStatus !== 'PENDING', 'processing');
    expect((await getFile(image.id)).media.image.image.altText).toBe('A red dot on white');
    const listed = (await t.ok('GET', '/files')).files[0];
    expect(listed.media.image.image.altText).toBe('A red dot on white');
    const found = (await t.ok('POST', '/files/search', { search: 'dot' })).files[0];
    expect(found.media.image.image.altText).toBe('A red dot on white');
    const got = (await t.ok('POST', '/files/get-files', { fileIds: [image.id] })).files[0];
    expect(got.media.image.image.altText).toBe('A red dot on white');

    // Wix's update-file-descriptor does not write it: clients send the whole object back, read-only fields
    // ignored, so a stale copy cannot undo it either.
    const whole = await getFile(image.id);
    whole.displayName = 'renamed.png';
    whole.media.image.image.altText = 'stale';
    const patched = (await t.ok('PATCH', '/files/update-file-descriptor', { file: whole })).file;
    expect(patched.displayName).toBe('renamed.png');
    expect(patched.media.image.image.altText).toBe('A red dot on white');

    // Blank clears it.
    const cleared = await ext('PUT', `/files/${image.id}/alt-text`, { altText: '   ' });
    expect(cleared.json().file.media.image.image.altText).toBeNull();
  });

  it('is refused for other files, in the trash, too long, or for an unknown file', async () => {
    const image = await t.upload(PNG_1X1, { fileName: 'dot.png', mimeType: 'image/png' });
    const text = await t.upload('words', { fileName: 'a.txt' });
    expectViolation(await ext('PUT', `/files/${text.id}/alt-text`, { altText: 'x' }), 'altText');
    expectViolation(
      await ext('PUT', `/files/${image.id}/alt-text`, { altText: 'x'.repeat(1001) }),
      'altText',
    );
    expectViolation(await ext('PUT', `/files/${image.id}/alt-text`, {}), 'altText');
    expectAppError(await ext('PUT', '/files/nope/alt-text', { altText: 'x' }), 404, 'RESOURCE_NOT_FOUND');
    await t.ok('POST', '/bulk/files/delete', { fileIds: [image.id] });
    expectAppError(
      await ext('PUT', `/files/${image.id}/alt-text`, { altText: 'x' }),
      409,
      'FAILED_PRECONDITION',
    );
  });
});

describe('references from sites (externalInfo)', () => {
  it('are kept from upload, replaced by the sites, listed for the files that have them', async () => {
    const { uploadUrl } = await t.ok<{ uploadUrl: string }>('POST', '/files/generate-upload-url', {
      mimeType: 'text/plain',
      fileName: 'used.txt',
      externalInfo: { origin: 'https://shop.example.com', externalIds: ['/products/tea'] },
    });
    const put = await t.app.inject({ method: 'PUT', url: new URL(uploadUrl).pathname, payload: 'used' });
    const used = put.json().file as { id: string };
    const unused = await t.upload('unused', { fileName: 'unused.txt' });
    const before = await getFile(used.id);
    // Wix's descriptor has no such field: its answers do not grow one.
    expect(before).not.toHaveProperty('externalInfo');

    const listed = await ext('POST', '/files/external-references', { fileIds: [used.id, unused.id] });
    expect(listed.json()).toEqual({
      files: [
        {
          id: used.id,
          displayName: 'used.txt',
          externalInfo: { origin: 'https://shop.example.com', externalIds: ['/products/tea'] },
        },
      ],
    });

    const replaced = await ext('PUT', `/files/${unused.id}/external-info`, {
      externalInfo: { origin: 'https://blog.example.com', externalIds: ['/posts/1', '/about'] },
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    const both = (await ext('POST', '/files/external-references', { fileIds: [unused.id, used.id] })).json();
    expect(both.files.map((f: { id: string }) => f.id).sort()).toEqual([used.id, unused.id].sort());

    // Clearing them; the file itself did not change (its updatedDate stays).
    await ext('PUT', `/files/${used.id}/external-info`, { externalInfo: null });
    expect((await ext('POST', '/files/external-references', { fileIds: [used.id] })).json()).toEqual({
      files: [],
    });
    expect((await getFile(used.id)).updatedDate).toBe(before.updatedDate);

    expectViolation(
      await ext('PUT', `/files/${used.id}/external-info`, { externalInfo: { externalIds: 'x' } }),
      'externalInfo.externalIds',
    );
    expectViolation(await ext('POST', '/files/external-references', { fileIds: [] }), 'fileIds');
  });
});
