import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const names = (files: { displayName: string }[]) => files.map((f) => f.displayName);

describe('files', () => {
  it('gets one file by id and by Wix media URI, and many in the order asked', async () => {
    const a = await t.upload('aaa', { fileName: 'a.png', mimeType: 'image/png' });
    const b = await t.upload('bbbb', { fileName: 'b.txt' });
    // Not compared whole: the (bogus) PNG's processing may finish, and change its status, meanwhile.
    expect((await t.ok('GET', `/files/get-file-by-id?fileId=${a.id}`)).file).toMatchObject({
      id: a.id,
      displayName: 'a.png',
      hash: a.hash,
    });
    const uri = encodeURIComponent(`wix:image://v1/${a.id}/a.png#originWidth=1&originHeight=1`);
    expect((await t.ok('GET', `/files/get-file-by-id?fileId=${uri}`)).file.id).toBe(a.id);
    const many = await t.ok('POST', '/files/get-files', { fileIds: [b.id, a.id] });
    expect(many.files.map((f: { id: string }) => f.id)).toEqual([b.id, a.id]);
    // An image is processed after the upload: PENDING until then.
    expect(a).toMatchObject({
      sizeInBytes: '3',
      mediaType: 'IMAGE',
      state: 'OK',
      operationStatus: 'PENDING',
    });
    expect(a.media.image.image).toMatchObject({ id: a.id, filename: 'a.png', width: 0, height: 0 });
  });

  it('updates name, labels and folder, ignoring read-only fields', async () => {
    const folder = await t.createFolder('Dest');
    const file = await t.upload('x', { fileName: 'old.txt', labels: ['one'] });
    const { file: updated } = await t.ok('PATCH', '/files/update-file-descriptor', {
      file: {
        ...file,
        displayName: 'new.txt',
        labels: ['two', 'three'],
        parentFolderId: folder.id,
        sizeInBytes: '999',
        hash: 'forged',
        private: true,
        mediaType: 'VIDEO',
        media: { image: { image: { url: 'wix:image://v1/zzz/x.png' } } },
        createdDate: '2000-01-01T00:00:00.000Z',
      },
    });
    expect(updated).toMatchObject({
      id: file.id,
      displayName: 'new.txt',
      labels: ['two', 'three'],
      parentFolderId: folder.id,
      sizeInBytes: file.sizeInBytes,
      hash: file.hash,
      private: false,
      mediaType: file.mediaType,
      createdDate: file.createdDate,
    });
    expect(updated.updatedDate >= file.updatedDate).toBe(true);
    expect(names((await t.ok('GET', `/files?parentFolderId=${folder.id}`)).files)).toEqual(['new.txt']);
    expect((await t.ok('POST', '/files/search', { search: 'THREE' })).files).toHaveLength(1);
    expect((await t.ok('POST', '/files/search', { search: 'one' })).files).toHaveLength(0);
  });

  it('lists a folder with media type and private filters and every sort', async () => {
    await t.upload('12345', { fileName: 'b.jpg', mimeType: 'image/jpeg' });
    await t.upload('1', { fileName: 'a.mp4', mimeType: 'video/mp4' });
    await t.upload('123', { fileName: 'C.pdf', mimeType: 'application/pdf', private: true });
    expect(names((await t.ok('GET', '/files')).files)).toEqual(['C.pdf', 'a.mp4', 'b.jpg']);
    expect(names((await t.ok('GET', '/files?sort.fieldName=displayName')).files)).toEqual([
      'a.mp4',
      'b.jpg',
      'C.pdf',
    ]);
    expect(names((await t.ok('GET', '/files?sort.fieldName=sizeInBytes&sort.order=DESC')).files)).toEqual([
      'b.jpg',
      'C.pdf',
      'a.mp4',
    ]);
    expect(
      names((await t.ok('GET', '/files?mediaTypes=IMAGE&mediaTypes=VIDEO&sort.fieldName=displayName')).files),
    ).toEqual(['a.mp4', 'b.jpg']);
    expect(names((await t.ok('GET', '/files?mediaTypes=DOCUMENT')).files)).toEqual(['C.pdf']);
    expect(names((await t.ok('GET', '/files?private=true')).files)).toEqual(['C.pdf']);
    expect((await t.ok('GET', '/files?private=false')).files).toHaveLength(2);
  });

  it('searches name, MIME type and labels by case-insensitive substring within a root', async () => {
    const sub = await t.createFolder('deep');
    await t.upload('x', { fileName: 'Holiday_Beach.JPG', mimeType: 'image/jpeg', parentFolderId: sub.id });
    await t.upload('x', { fileName: 'notes.txt', labels: ['Beach trip'] });
    await t.upload('x', { fileName: 'clip.mov', mimeType: 'video/quicktime' });
    await t.upload('x', {
      fileName: 'beach-visitor.png',
      mimeType: 'image/png',
      parentFolderId: 'visitor-uploads',
    });
    expect(
      names(
        (await t.ok('POST', '/files/search', { search: 'beach', sort: { fieldName: 'displayName' } })).files,
      ),
    ).toEqual(['Holiday_Beach.JPG', 'notes.txt']);
    expect(names((await t.ok('POST', '/files/search', { search: 'QUICKTIME' })).files)).toEqual(['clip.mov']);
    expect(
      names(
        (await t.ok('POST', '/files/search', { search: 'beach', rootFolder: 'VISITOR_UPLOADS_ROOT' })).files,
      ),
    ).toEqual(['beach-visitor.png']);
    expect(
      names((await t.ok('POST', '/files/search', { search: 'beach', mediaTypes: ['IMAGE'] })).files),
    ).toEqual(['Holiday_Beach.JPG']);
    // LIKE wildcards are literal characters in a search.
    expect((await t.ok('POST', '/files/search', { search: '_' })).files).toHaveLength(1);
    expect((await t.ok('POST', '/files/search', { search: '%' })).files).toHaveLength(0);
  });

  it('queries files with the filter shapes the SDK sends', async () => {
    await t.upload('x', { fileName: 'a.png', mimeType: 'image/png' });
    await t.upload('x', { fileName: 'b.png', mimeType: 'image/png', private: true });
    await t.upload('x', { fileName: 'c.txt' });
    const res = await t.ok('POST', '/files/query', {
      query: {
        filter: { $and: [{ mediaType: { $in: ['IMAGE', 'VIDEO'] } }, { private: false }] },
        sort: [{ fieldName: 'displayName', order: 'ASC' }],
        cursorPaging: { limit: 50 },
      },
    });
    expect(names(res.files)).toEqual(['a.png']);
    expect(res.pagingMetadata).toEqual({ count: 1, cursors: { next: null }, hasNext: false });
    const plain = await t.ok('POST', '/files/query', { query: { filter: { mediaType: 'DOCUMENT' } } });
    expect(names(plain.files)).toEqual(['c.txt']);
    const all = await t.ok('POST', '/files/query', {});
    expect(all.files).toHaveLength(3);
    const bad = await t.api('POST', '/files/query', { query: { sort: [{ fieldName: 'hash' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.applicationError.code).toBe('UNSUPPORTED_SORT_VALUE');
  });

  it('sends 64-bit numbers as strings and timestamps as ISO-8601 UTC', async () => {
    const file = await t.upload(Buffer.alloc(70_000, 1), {
      fileName: 'big.bin',
      mimeType: 'application/octet-stream',
    });
    expect(file.sizeInBytes).toBe('70000');
    expect(file.createdDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(file.mediaType).toBe('OTHER');
  });
});
