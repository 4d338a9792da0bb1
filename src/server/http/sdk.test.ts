/**
 * Wix's official SDK (`@wix/sdk` + `@wix/media`), unchanged, against the real server on a real port: every
 * folders/files method the server implements must work as it does against wixapis.com. The only adaptation is
 * the documented one: a `fetch` that sends `https://www.wixapis.com/...` to this server.
 */
import { createClient } from '@wix/sdk';
import { files, folders } from '@wix/media';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Upload as TusUpload } from 'tus-js-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';

/** A real 1x1 PNG. */
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** The origin the test app writes into absolute URLs (upload and download URLs). */
const PUBLIC_URL = 'http://media.test';

function makeClient(base: string) {
  return createClient({
    modules: { files, folders },
    auth: { getAuthHeaders: () => Promise.resolve({ headers: { Authorization: TEST_API_KEY } }) },
    useCDN: false,
    fetch: (url: RequestInfo | URL, init?: RequestInit) =>
      fetch(String(url as string).replace(/^https:\/\/(www|edge)\.wixapis\.com/, base), init),
  });
}

type Wix = ReturnType<typeof makeClient>;

let t: TestApp;
let base: string;
let wix: Wix;

/** An absolute URL the server handed out (upload, download), pointed at the listening port. */
function local(url: string): string {
  expect(url.startsWith(`${PUBLIC_URL}/`)).toBe(true);
  return base + url.slice(PUBLIC_URL.length);
}

beforeEach(async () => {
  t = await createTestApp({ publicUrl: PUBLIC_URL });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  wix = makeClient(base);
});

afterEach(async () => {
  await t.close();
});

/** generateFileUploadUrl through the SDK, then a plain PUT of the bytes (no API key) to the URL. */
async function upload(
  bytes: Buffer | string,
  mimeType: string,
  fileName: string,
  options: { parentFolderId?: string; private?: boolean; labels?: string[] } = {},
): Promise<string> {
  const body = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  // The SDK types sizeInBytes as a string (a 64-bit number).
  const { uploadUrl } = await wix.files.generateFileUploadUrl(mimeType, {
    fileName,
    sizeInBytes: String(body.length),
    ...options,
  });
  const response = await fetch(local(must(uploadUrl)), {
    method: 'PUT',
    headers: { 'Content-Type': mimeType },
    body: new Uint8Array(body),
  });
  expect(response.status).toBe(200);
  const { file } = (await response.json()) as { file: { id: string; displayName: string } };
  expect(file.displayName).toBe(fileName);
  return file.id;
}

/** The SDK's generated types make every field optional: unwrap a value the test requires. */
function must<T>(value: T | null | undefined): T {
  expect(value).toBeDefined();
  expect(value).not.toBeNull();
  return value as T;
}

const idsOf = (items: { _id?: string | null }[] | undefined) => (items ?? []).map((item) => item._id);
const namesOf = (items: { displayName?: string | null }[] | undefined): (string | null | undefined)[] =>
  (items ?? []).map((item) => item.displayName);

/** createFolder through the SDK; returns the folder with its id known to be there. */
async function createFolder(displayName: string, options?: { parentFolderId?: string }) {
  const { folder } = await wix.folders.createFolder(displayName, options);
  return { ...must(folder), _id: must(folder?._id) };
}

/** Resolves after `ms`, so that consecutive writes get distinct millisecond timestamps. */
function tick(ms = 3): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('folders through the SDK', () => {
  it('createFolder and getFolder', async () => {
    const folder = await createFolder('Holidays');
    expect(folder).toMatchObject({ displayName: 'Holidays', parentFolderId: 'media-root', state: 'OK' });
    expect(typeof folder._id).toBe('string');
    expect(folder._createdDate).toBeInstanceOf(Date);
    expect(folder._updatedDate).toBeInstanceOf(Date);

    const child = await createFolder('2024', { parentFolderId: folder._id });
    expect(child.parentFolderId).toBe(folder._id);

    const got = await wix.folders.getFolder(child._id);
    expect(got).toMatchObject({
      _id: child._id,
      displayName: '2024',
      parentFolderId: folder._id,
      state: 'OK',
    });
    expect(got._createdDate?.toISOString()).toBe(child._createdDate?.toISOString());
  });

  it('listFolders pages with nextCursor until the end, never repeating or skipping', async () => {
    const parent = await createFolder('Parent');
    const names = ['e', 'b', 'd', 'a', 'c'];
    for (const name of names) await createFolder(name, { parentFolderId: parent._id });
    await createFolder('not-in-parent');

    const first = await wix.folders.listFolders({
      parentFolderId: parent._id,
      sort: { fieldName: 'displayName', order: 'ASC' },
      paging: { limit: 2 },
    });
    expect(namesOf(first.folders)).toEqual(['a', 'b']);
    const seen = namesOf(first.folders);
    let cursor = first.nextCursor?.cursors?.next;
    let pages = 1;
    while (cursor) {
      // Only the cursor: it carries the parent and the sort.
      const page = await wix.folders.listFolders({ paging: { limit: 2, cursor } });
      seen.push(...namesOf(page.folders));
      cursor = page.nextCursor?.cursors?.next;
      pages += 1;
      expect(pages).toBeLessThan(10);
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pages).toBe(3);

    const rootLevel = await wix.folders.listFolders();
    expect(namesOf(rootLevel.folders).sort()).toEqual(['Parent', 'not-in-parent']);
  });

  it('searchFolders finds folders at every depth of MEDIA_ROOT', async () => {
    const a = await createFolder('Archive 2023');
    const b = await createFolder('old archive', { parentFolderId: a._id });
    await createFolder('Other');

    const found = await wix.folders.searchFolders({ search: 'ARCHIVE', rootFolder: 'MEDIA_ROOT' });
    expect(idsOf(found.folders).sort()).toEqual([a._id, b._id].sort());

    const all = await wix.folders.searchFolders();
    expect(all.folders).toHaveLength(3);

    const paged = await wix.folders.searchFolders({
      sort: { fieldName: 'displayName', order: 'DESC' },
      paging: { limit: 2 },
    });
    expect(namesOf(paged.folders)).toEqual(['Other', 'old archive']);
    const rest = await wix.folders.searchFolders({ paging: { cursor: paged.nextCursor?.cursors?.next } });
    expect(namesOf(rest.folders)).toEqual(['Archive 2023']);
    expect(rest.nextCursor?.cursors?.next ?? null).toBeNull();
  });

  it('updateFolder renames, moves, and ignores read-only fields of a whole folder object', async () => {
    const folder = await createFolder('Draft');
    const target = await createFolder('Target');

    const renamed = await wix.folders.updateFolder(folder._id, { displayName: 'Final' });
    expect(renamed).toMatchObject({ _id: folder._id, displayName: 'Final', parentFolderId: 'media-root' });

    const moved = await wix.folders.updateFolder(folder._id, { parentFolderId: target._id });
    expect(moved).toMatchObject({ _id: folder._id, displayName: 'Final', parentFolderId: target._id });

    // Pass back the whole object as getFolder returned it, with read-only fields changed: they are ignored.
    const whole = await wix.folders.getFolder(folder._id);
    const sent = {
      ...whole,
      displayName: 'Final v2',
      parentFolderId: 'media-root',
      state: 'DELETED' as const,
      siteId: 'someone-else',
      _createdDate: new Date('2001-01-01T00:00:00Z'),
    };
    const updated = await wix.folders.updateFolder(must(whole._id), sent);
    expect(updated).toMatchObject({
      _id: folder._id,
      displayName: 'Final v2',
      parentFolderId: 'media-root',
      state: 'OK',
      siteId: whole.siteId,
    });
    expect(updated._createdDate?.toISOString()).toBe(folder._createdDate?.toISOString());

    const reread = await wix.folders.getFolder(folder._id);
    expect(reread).toMatchObject({ displayName: 'Final v2', parentFolderId: 'media-root', state: 'OK' });
    expect(reread._createdDate?.toISOString()).toBe(folder._createdDate?.toISOString());
  });

  it('queryFolders builder: eq state, ascending displayName, limit 2, find then next', async () => {
    const parent = await createFolder('q-c');
    await createFolder('q-a', { parentFolderId: parent._id });
    await createFolder('Q-b');
    await createFolder('q-e');
    const trashed = await createFolder('q-d');
    await wix.folders.bulkDeleteFolders([trashed._id]);

    const first = await wix.folders.queryFolders().eq('state', 'OK').ascending('displayName').limit(2).find();
    expect(namesOf(first.items)).toEqual(['q-a', 'Q-b']);
    expect(first.items[0]?._createdDate).toBeInstanceOf(Date);
    expect(first.hasNext()).toBe(true);

    const second = await first.next();
    expect(namesOf(second.items)).toEqual(['q-c', 'q-e']);
    expect(second.hasNext()).toBe(false);
  });

  it('bulkDeleteFolders to the trash, listDeletedFolders, bulkRestoreFoldersFromTrashBin, permanent delete', async () => {
    const folder = await createFolder('Trip');
    const sub = await createFolder('Day 1', { parentFolderId: folder._id });
    const fileId = await upload('hello', 'text/plain', 'notes.txt', { parentFolderId: sub._id });
    const keep = await createFolder('Keep');

    const deleted = await wix.folders.bulkDeleteFolders([folder._id]);
    expect(deleted).toBeUndefined();
    expect((await wix.folders.getFolder(folder._id)).state).toBe('DELETED');
    expect((await wix.folders.getFolder(sub._id)).state).toBe('DELETED');
    expect((await wix.files.getFileDescriptor(fileId)).state).toBe('DELETED');
    expect(idsOf((await wix.folders.listFolders()).folders)).toEqual([keep._id]);

    const trash = await wix.folders.listDeletedFolders();
    expect(idsOf(trash.folders)).toEqual([folder._id]);
    expect(trash.folders?.[0]?.state).toBe('DELETED');

    // Deleting what is already in the trash is not an error.
    await wix.folders.bulkDeleteFolders([folder._id]);

    await wix.folders.bulkRestoreFoldersFromTrashBin([folder._id]);
    expect((await wix.folders.getFolder(folder._id)).state).toBe('OK');
    expect((await wix.folders.getFolder(sub._id)).state).toBe('OK');
    expect((await wix.files.getFileDescriptor(fileId)).state).toBe('OK');
    expect((await wix.folders.listDeletedFolders()).folders).toEqual([]);
    expect(idsOf((await wix.folders.listFolders()).folders).sort()).toEqual([folder._id, keep._id].sort());

    await wix.folders.bulkDeleteFolders([folder._id], { permanent: true });
    await expect(wix.folders.getFolder(folder._id)).rejects.toMatchObject({
      details: { applicationError: { code: 'RESOURCE_NOT_FOUND' } },
    });
    await expect(wix.folders.getFolder(sub._id)).rejects.toMatchObject({
      details: { applicationError: { code: 'RESOURCE_NOT_FOUND' } },
    });
    await expect(wix.files.getFileDescriptor(fileId)).rejects.toMatchObject({
      details: { applicationError: { code: 'RESOURCE_NOT_FOUND' } },
    });
    expect((await wix.folders.listDeletedFolders()).folders).toEqual([]);
  });
});

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

describe('errors through the SDK', () => {
  it('a server error is thrown with details.applicationError.code', async () => {
    const error = await wix.folders.getFolder('no-such-folder').then(
      () => null,
      (e: unknown) => e as { status?: number; requestId?: string; details?: Record<string, any> },
    );
    expect(error).not.toBeNull();
    expect(error).toBeInstanceOf(Error);
    expect(error?.details?.applicationError?.code).toBe('RESOURCE_NOT_FOUND');
    expect(error?.status).toBe(404);
    expect(typeof error?.requestId).toBe('string');
    expect(error?.requestId).not.toBe('');

    await expect(wix.files.getFileDescriptor('no-such-file')).rejects.toMatchObject({
      details: { applicationError: { code: 'RESOURCE_NOT_FOUND' } },
    });
  });

  it('a bad argument is thrown with details.validationError', async () => {
    await expect(wix.folders.listFolders({ paging: { limit: 1000 } })).rejects.toMatchObject({
      // The SDK maps the server's `paging.limit` to its own argument name.
      details: {
        validationError: { fieldViolations: [expect.objectContaining({ field: 'options.paging.limit' })] },
      },
    });
  });
});

describe('resumable uploads and imports through the SDK', () => {
  it('generateFileResumableUploadUrl, then tus-js-client and the finalize call', async () => {
    const answer = await wix.files.generateFileResumableUploadUrl('image/png', {
      fileName: 'tus.png',
      uploadProtocol: 'TUS',
      sizeInBytes: String(PNG_1X1.length),
    });
    expect(answer.uploadProtocol).toBe('TUS');
    const endpoint = local(must(answer.uploadUrl));
    const token = must(answer.uploadToken);
    await new Promise<void>((resolve, reject) => {
      new TusUpload(PNG_1X1, {
        endpoint,
        metadata: { token, filename: 'tus.png' },
        retryDelays: null,
        onError: reject,
        onSuccess: () => resolve(),
      }).start();
    });
    const response = await fetch(`${endpoint}/${token}`, { method: 'PUT' });
    expect(response.status).toBe(200);
    const { file } = (await response.json()) as { file: { id: string } };
    const got = await wix.files.getFileDescriptor(file.id);
    expect(got).toMatchObject({ _id: file.id, displayName: 'tus.png', mediaType: 'IMAGE' });
  });

  it('importFile, bulkImportFiles and bulkImportFile from a source on the allow-list', async () => {
    const source = http.createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG_1X1);
    });
    await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
    const sourceHost = `127.0.0.1:${(source.address() as AddressInfo).port}`;
    try {
      await t.close();
      t = await createTestApp({ publicUrl: PUBLIC_URL, importAllowHosts: [sourceHost] });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      wix = makeClient(base);

      const { file } = await wix.files.importFile(`http://${sourceHost}/pictures/cat.png`, {
        displayName: 'cat.png',
        mimeType: 'image/png',
      });
      expect(file).toMatchObject({ displayName: 'cat.png', operationStatus: 'PENDING' });
      const id = must(file?._id);

      const bulk = await wix.files.bulkImportFiles([
        { url: `http://${sourceHost}/a.png` },
        { url: `http://${sourceHost}/b.png` },
      ]);
      expect(bulk.files?.map((f) => f.displayName)).toEqual(['a.png', 'b.png']);

      const v2 = await wix.files.bulkImportFile([{ url: `http://${sourceHost}/c.png` }], {
        returnEntity: true,
      });
      expect(v2.bulkActionMetadata).toMatchObject({ totalSuccesses: 1, totalFailures: 0 });
      expect(v2.results?.[0]?.item?.displayName).toBe('c.png');

      for (const fileId of [id, ...(bulk.files ?? []).map((f) => must(f._id))]) {
        for (let i = 0; ; i++) {
          const current = await wix.files.getFileDescriptor(fileId);
          if (current.operationStatus === 'READY') break;
          expect(i).toBeLessThan(500);
          await tick(10);
        }
      }
    } finally {
      source.closeAllConnections();
      await new Promise((resolve) => source.close(resolve));
    }
  });
});
