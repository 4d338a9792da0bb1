// Wix's official SDK against the real server (see testing/sdk.ts): the files methods.
import { describe, expect, it } from 'vitest';
import {
  PNG_1X1,
  createFolder,
  idsOf,
  local,
  must,
  namesOf,
  tick,
  upload,
  useSdkServer,
  type Wix,
} from '../testing/sdk.ts';

let wix: Wix;
useSdkServer((s) => (wix = s.wix));

describe('files through the SDK', () => {
  it('generateFileUploadUrl + PUT, getFileDescriptor by id and by the wix:image:// URI', async () => {
    const folder = await createFolder('Pics');
    const id = await upload(PNG_1X1, 'image/png', 'dot.png', {
      parentFolderId: folder._id,
      labels: ['tiny'],
    });

    const file = await wix.files.getFileDescriptor(id);
    expect(file).toMatchObject({
      _id: id,
      displayName: 'dot.png',
      parentFolderId: folder._id,
      mediaType: 'IMAGE',
      private: false,
      sizeInBytes: String(PNG_1X1.length),
      labels: ['tiny'],
      state: 'OK',
    });
    expect(file._createdDate).toBeInstanceOf(Date);
    const uri = file.media?.image?.image;
    expect(typeof uri).toBe('string');
    expect(uri!.startsWith(`wix:image://v1/${id}/dot.png`)).toBe(true);

    const byUri = await wix.files.getFileDescriptor(uri!);
    expect(byUri._id).toBe(id);
    expect(byUri.displayName).toBe('dot.png');

    // The public URL serves the bytes.
    const served = await fetch(local(must(file.url)));
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG_1X1)).toBe(true);
  });

  it('getFileDescriptors keeps the order asked for and takes URIs', async () => {
    const a = await upload(PNG_1X1, 'image/png', 'a.png');
    const b = await upload('doc', 'text/plain', 'b.txt');
    const uriA = (await wix.files.getFileDescriptor(a)).media?.image?.image;
    const { files: got } = await wix.files.getFileDescriptors([b, uriA!]);
    expect(idsOf(got)).toEqual([b, a]);
    expect(got?.map((f) => f.mediaType)).toEqual(['DOCUMENT', 'IMAGE']);
  });

  it('updateFileDescriptor: partial, and the whole descriptor the SDK returned', async () => {
    const folder = await createFolder('Moved here');
    const id = await upload(PNG_1X1, 'image/png', 'before.png', { labels: ['one'] });

    const partial = await wix.files.updateFileDescriptor({ _id: id, displayName: 'after.png' });
    expect(partial).toMatchObject({
      _id: id,
      displayName: 'after.png',
      labels: ['one'],
      parentFolderId: 'media-root',
    });

    const labelled = await wix.files.updateFileDescriptor({ _id: id, labels: ['two', 'three'] });
    expect(labelled).toMatchObject({ displayName: 'after.png', labels: ['two', 'three'] });

    // The whole descriptor as the SDK returned it (media rebuilt from the wix:image:// URI, read-only fields),
    // with writable and read-only fields changed: only displayName, parentFolderId and labels count.
    const whole = await wix.files.getFileDescriptor(id);
    // Read before the call: the SDK's request transform rewrites `media` of the object it is given, in place.
    const uri = whole.media?.image?.image;
    expect(uri?.startsWith('wix:image://v1/')).toBe(true);
    const updated = await wix.files.updateFileDescriptor({
      ...whole,
      displayName: 'whole.png',
      parentFolderId: folder._id,
      labels: ['four'],
      hash: 'forged',
      sizeInBytes: '1',
      private: true,
      mediaType: 'VIDEO',
      state: 'DELETED',
      _createdDate: new Date('2001-01-01T00:00:00Z'),
    });
    expect(updated).toMatchObject({
      _id: id,
      displayName: 'whole.png',
      parentFolderId: folder._id,
      labels: ['four'],
      hash: whole.hash,
      sizeInBytes: whole.sizeInBytes,
      private: false,
      mediaType: 'IMAGE',
      state: 'OK',
    });
    expect(updated._createdDate?.toISOString()).toBe(whole._createdDate?.toISOString());

    const reread = await wix.files.getFileDescriptor(id);
    expect(reread).toMatchObject({ displayName: 'whole.png', parentFolderId: folder._id, hash: whole.hash });
    expect(reread.media?.image?.image).toBe(uri);
    const listed = await wix.files.listFiles({ parentFolderId: folder._id });
    expect(idsOf(listed.files)).toEqual([id]);
  });

  it('listFiles: mediaTypes filter, sort, paging', async () => {
    const folder = await createFolder('Mixed');
    const parentFolderId = folder._id;
    await upload(PNG_1X1, 'image/png', 'c.png', { parentFolderId });
    await upload(PNG_1X1, 'image/png', 'a.png', { parentFolderId });
    await upload('x'.repeat(300), 'text/plain', 'b.txt', { parentFolderId });
    await upload('ID3....', 'audio/mpeg', 'd.mp3', { parentFolderId });
    await upload(PNG_1X1, 'image/png', 'e.png', { parentFolderId });
    await upload(PNG_1X1, 'image/png', 'root.png');

    const images = await wix.files.listFiles({
      parentFolderId,
      mediaTypes: ['IMAGE'],
      sort: { fieldName: 'displayName', order: 'ASC' },
    });
    expect(namesOf(images.files)).toEqual(['a.png', 'c.png', 'e.png']);

    const two = await wix.files.listFiles({
      parentFolderId,
      mediaTypes: ['IMAGE', 'DOCUMENT'],
      sort: { fieldName: 'displayName', order: 'DESC' },
    });
    expect(namesOf(two.files)).toEqual(['e.png', 'c.png', 'b.txt', 'a.png']);

    const bySize = await wix.files.listFiles({
      parentFolderId,
      sort: { fieldName: 'sizeInBytes', order: 'DESC' },
    });
    expect(bySize.files?.[0]?.displayName).toBe('b.txt');

    const seen: (string | null | undefined)[] = [];
    let page = await wix.files.listFiles({
      parentFolderId,
      sort: { fieldName: 'displayName', order: 'ASC' },
      paging: { limit: 2 },
    });
    let pages = 1;
    seen.push(...namesOf(page.files));
    while (page.nextCursor?.cursors?.next) {
      page = await wix.files.listFiles({ paging: { limit: 2, cursor: page.nextCursor.cursors.next } });
      seen.push(...namesOf(page.files));
      pages += 1;
      expect(pages).toBeLessThan(10);
    }
    expect(seen).toEqual(['a.png', 'b.txt', 'c.png', 'd.mp3', 'e.png']);
    expect(pages).toBe(3);

    const root = await wix.files.listFiles();
    expect(namesOf(root.files)).toEqual(['root.png']);
  });

  it('searchFiles: term, scope, mediaTypes, paging', async () => {
    const folder = await createFolder('Deep');
    const deeper = await createFolder('Deeper', { parentFolderId: folder._id });
    await upload(PNG_1X1, 'image/png', 'Beach-sunset.png', { parentFolderId: deeper._id });
    await upload('text', 'text/plain', 'sunset notes.txt');
    await upload(PNG_1X1, 'image/png', 'mountain.png', { labels: ['Sunset'] });
    await upload(PNG_1X1, 'image/png', 'city.png');

    const found = await wix.files.searchFiles({
      search: 'sunset',
      sort: { fieldName: 'displayName', order: 'ASC' },
    });
    expect(namesOf(found.files)).toEqual(['Beach-sunset.png', 'mountain.png', 'sunset notes.txt']);

    const images = await wix.files.searchFiles({
      search: 'SUNSET',
      mediaTypes: ['IMAGE'],
      rootFolder: 'MEDIA_ROOT',
    });
    expect(namesOf(images.files).sort()).toEqual(['Beach-sunset.png', 'mountain.png']);

    const first = await wix.files.searchFiles({
      search: 'sunset',
      sort: { fieldName: 'displayName', order: 'DESC' },
      paging: { limit: 2 },
    });
    expect(namesOf(first.files)).toEqual(['sunset notes.txt', 'mountain.png']);
    const second = await wix.files.searchFiles({ paging: { cursor: first.nextCursor?.cursors?.next } });
    expect(namesOf(second.files)).toEqual(['Beach-sunset.png']);
    expect(second.nextCursor?.cursors?.next ?? null).toBeNull();

    expect((await wix.files.searchFiles({ search: 'no-such-thing' })).files).toEqual([]);
  });

  it('searchFiles takes % and _ literally', async () => {
    await upload(PNG_1X1, 'image/png', 'IMG_1.png');
    await upload(PNG_1X1, 'image/png', 'IMGX1.png');
    await upload(PNG_1X1, 'image/png', '50% off.png');
    await upload(PNG_1X1, 'image/png', '50 off.png');
    expect(namesOf((await wix.files.searchFiles({ search: 'img_' })).files)).toEqual(['IMG_1.png']);
    expect(namesOf((await wix.files.searchFiles({ search: '50%' })).files)).toEqual(['50% off.png']);
  });

  it('queryFileDescriptors builder: in mediaType, eq private, descending _updatedDate, limit 1, find then next', async () => {
    const doc = await upload('a document', 'application/pdf', 'report.pdf');
    await tick();
    await upload('not really a video', 'video/mp4', 'clip.mp4');
    await tick();
    await upload(PNG_1X1, 'image/png', 'secret.png', { private: true });
    await tick();
    const image = await upload(PNG_1X1, 'image/png', 'public.png');

    const first = await wix.files
      .queryFileDescriptors()
      .in('mediaType', ['IMAGE', 'DOCUMENT'])
      .eq('private', false)
      .descending('_updatedDate')
      .limit(1)
      .find();
    expect(idsOf(first.items)).toEqual([image]);
    expect(first.items[0]?._updatedDate).toBeInstanceOf(Date);
    expect(first.hasNext()).toBe(true);

    const second = await first.next();
    expect(idsOf(second.items)).toEqual([doc]);
    expect(second.hasNext()).toBe(false);
  });

  it('generateFileDownloadUrl gives a URL that serves the bytes', async () => {
    const id = await upload(PNG_1X1, 'image/png', 'download-me.png', { private: true });
    const { downloadUrls } = await wix.files.generateFileDownloadUrl(id, { downloadFileName: 'copy.png' });
    expect(downloadUrls).toHaveLength(1);
    expect(downloadUrls?.[0]?.assetKey).toBe('src');
    const response = await fetch(local(must(downloadUrls?.[0]?.url)));
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(PNG_1X1)).toBe(true);
    expect(response.headers.get('content-disposition')).toContain('copy.png');
  });

  it('generateFilesDownloadUrl and generateFolderDownloadUrl give zip URLs', async () => {
    const folder = await createFolder('Zip me');
    const a = await upload(PNG_1X1, 'image/png', 'a.png', { parentFolderId: folder._id });
    const b = await upload('bee', 'text/plain', 'b.txt');
    const uriA = must((await wix.files.getFileDescriptor(a)).media?.image?.image);

    const { downloadUrl: filesZip } = await wix.files.generateFilesDownloadUrl([uriA, b]);
    const { downloadUrl: folderZip } = await wix.folders.generateFolderDownloadUrl(folder._id);
    for (const url of [filesZip, folderZip]) {
      const response = await fetch(local(must(url)));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/zip');
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    }
  });

  it('bulkDeleteFiles, listDeletedFiles, bulkRestoreFilesFromTrashBin, permanent delete', async () => {
    const folder = await createFolder('Bin test');
    const a = await upload(PNG_1X1, 'image/png', 'a.png', { parentFolderId: folder._id });
    const b = await upload('bee', 'text/plain', 'b.txt', { parentFolderId: folder._id });
    const uriA = (await wix.files.getFileDescriptor(a)).media?.image?.image;

    expect(await wix.files.bulkDeleteFiles([uriA!, b])).toBeUndefined();
    expect((await wix.files.getFileDescriptor(a)).state).toBe('DELETED');
    expect((await wix.files.listFiles({ parentFolderId: folder._id })).files).toEqual([]);

    const trash = await wix.files.listDeletedFiles({ sort: { fieldName: 'displayName', order: 'ASC' } });
    expect(idsOf(trash.files)).toEqual([a, b]);
    expect(trash.files?.every((f) => f.state === 'DELETED')).toBe(true);
    const trashedDocs = await wix.files.listDeletedFiles({ mediaTypes: ['DOCUMENT'] });
    expect(idsOf(trashedDocs.files)).toEqual([b]);

    // Already in the trash: not an error.
    await wix.files.bulkDeleteFiles([a]);

    await wix.files.bulkRestoreFilesFromTrashBin([a]);
    const restored = await wix.files.getFileDescriptor(a);
    expect(restored).toMatchObject({ state: 'OK', parentFolderId: folder._id });
    expect(idsOf((await wix.files.listFiles({ parentFolderId: folder._id })).files)).toEqual([a]);
    expect(idsOf((await wix.files.listDeletedFiles()).files)).toEqual([b]);

    await wix.files.bulkDeleteFiles([a, b], { permanent: true });
    await expect(wix.files.getFileDescriptor(a)).rejects.toMatchObject({
      details: { applicationError: { code: 'RESOURCE_NOT_FOUND' } },
    });
    await expect(wix.files.getFileDescriptor(b)).rejects.toMatchObject({
      details: { applicationError: { code: 'RESOURCE_NOT_FOUND' } },
    });
    expect((await wix.files.listDeletedFiles()).files).toEqual([]);
    expect((await wix.files.listFiles({ parentFolderId: folder._id })).files).toEqual([]);
  });
});
