import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileDescriptor, Folder, VisitorUploadUrlResponse } from '../../contract/index.ts';
import { expectAppError, expectViolation } from '../testing/helpers.ts';
import { createTestApp, TEST_API_KEY, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
afterEach(async () => {
  await t.close();
});

interface Moderation {
  newCount: number;
  fileIds: string[];
  approveFolder: Folder | null;
}

function ext(method: 'GET' | 'POST', path: string, body?: unknown): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url: `/site-media-ext/v1/visitor-uploads/moderation${path}`,
    headers: { authorization: TEST_API_KEY },
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
}

async function moderation(limit = 100): Promise<Moderation> {
  const response = await ext('GET', `?limit=${limit}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Moderation>();
}

/** What a site visitor does: a token from `/visitor/v1`, then the PUT. */
async function visitorUpload(fileName: string, content = fileName): Promise<FileDescriptor> {
  const grant = await t.app.inject({
    method: 'POST',
    url: '/visitor/v1/upload-url',
    payload: { mimeType: 'text/plain', fileName },
  });
  expect(grant.statusCode, grant.body).toBe(200);
  const { uploadUrl } = grant.json<VisitorUploadUrlResponse>();
  const put = await t.app.inject({
    method: 'PUT',
    url: new URL(uploadUrl).pathname,
    headers: { 'content-type': 'text/plain' },
    payload: content,
  });
  expect(put.statusCode, put.body).toBe(200);
  return put.json<{ file: FileDescriptor }>().file;
}

async function file(id: string): Promise<FileDescriptor> {
  return (await t.ok<{ file: FileDescriptor }>('GET', `/files/get-file-by-id?fileId=${id}`)).file;
}

describe('moderation of visitor uploads', () => {
  it('counts the new visitor uploads, oldest first; an admin upload into Visitor Uploads is not new', async () => {
    t = await createTestApp();
    expect(await moderation()).toEqual({ newCount: 0, fileIds: [], approveFolder: null });
    const a = await visitorUpload('a.txt');
    const b = await visitorUpload('b.txt');
    await t.upload('admin', { parentFolderId: 'visitor-uploads', fileName: 'admin.txt' });
    expect(await moderation()).toMatchObject({ newCount: 2, fileIds: [a.id, b.id] });
    // The count alone (the sidebar's poll) lists nothing.
    expect(await moderation(0)).toMatchObject({ newCount: 2, fileIds: [] });
    expect((await moderation(1)).fileIds).toEqual([a.id]);
    // The same bytes uploaded again by a visitor are a new file, and new.
    const again = await visitorUpload('a.txt');
    expect(await moderation()).toMatchObject({ newCount: 3, fileIds: [a.id, b.id, again.id] });
  });

  it('approve moves the files into the Site Files folder, ends their review and remembers the folder', async () => {
    t = await createTestApp();
    const approved = await t.createFolder('Approved');
    const a = await visitorUpload('a.txt');
    const b = await visitorUpload('b.txt');
    const c = await visitorUpload('c.txt');
    const response = await ext('POST', '/approve', { fileIds: [a.id, b.id], folderId: approved.id });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<Moderation>()).toMatchObject({
      newCount: 1,
      approveFolder: { id: approved.id, displayName: 'Approved' },
    });
    for (const id of [a.id, b.id]) expect((await file(id)).parentFolderId).toBe(approved.id);
    expect(await moderation()).toMatchObject({ newCount: 1, fileIds: [c.id] });
    const listed = await t.ok<{ files: FileDescriptor[] }>('GET', `/files?parentFolderId=${approved.id}`);
    expect(listed.files.map((f) => f.id).sort()).toEqual([a.id, b.id].sort());

    // Moving an approved file back into Visitor Uploads does not make it new again.
    await t.ok('PATCH', '/files/update-file-descriptor', {
      file: { id: a.id, parentFolderId: 'visitor-uploads' },
    });
    expect((await moderation()).newCount).toBe(1);

    // The remembered folder is gone once it is in the trash; approving into the root works too.
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [approved.id] });
    expect((await moderation()).approveFolder).toBeNull();
    const root = await ext('POST', '/approve', { fileIds: [c.id], folderId: 'media-root' });
    expect(root.json<Moderation>()).toMatchObject({ newCount: 0, approveFolder: { id: 'media-root' } });
  });

  it('reject moves the files to the trash and ends their review; a restored file stays reviewed', async () => {
    t = await createTestApp();
    const a = await visitorUpload('a.txt');
    const b = await visitorUpload('b.txt');
    const response = await ext('POST', '/reject', { fileIds: [a.id] });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<Moderation>().newCount).toBe(1);
    expect((await file(a.id)).state).toBe('DELETED');
    await t.ok('POST', '/bulk/trash-bin/files/restore', { fileIds: [a.id] });
    expect((await file(a.id)).parentFolderId).toBe('visitor-uploads');
    expect(await moderation()).toMatchObject({ newCount: 1, fileIds: [b.id] });
  });

  it('a new file trashed or moved out through Wix’s endpoints is no longer counted', async () => {
    t = await createTestApp();
    const a = await visitorUpload('a.txt');
    const b = await visitorUpload('b.txt');
    await visitorUpload('c.txt');
    await t.ok('POST', '/bulk/files/delete', { fileIds: [a.id] });
    await t.ok('PATCH', '/files/update-file-descriptor', {
      file: { id: b.id, parentFolderId: 'media-root' },
    });
    expect((await moderation()).newCount).toBe(1);
  });

  it('refuses, changing nothing: files not in Visitor Uploads, trashed or missing, and folders outside Site Files', async () => {
    t = await createTestApp();
    const site = await t.upload('site', { fileName: 'site.txt' });
    const a = await visitorUpload('a.txt');
    const trashed = await visitorUpload('trashed.txt');
    await t.ok('POST', '/bulk/files/delete', { fileIds: [trashed.id] });
    const folder = await t.createFolder('Target');
    const gone = await t.createFolder('Gone');
    await t.ok('POST', '/bulk/folders/delete', { folderIds: [gone.id] });
    const visitorFolder = await t.createFolder('Sorted', 'visitor-uploads');

    // One bad id fails the whole call: the good one is neither moved nor reviewed.
    expectAppError(
      await ext('POST', '/approve', { fileIds: [a.id, site.id], folderId: folder.id }),
      409,
      'FAILED_PRECONDITION',
    );
    expectAppError(
      await ext('POST', '/approve', { fileIds: [a.id, trashed.id], folderId: folder.id }),
      409,
      'FAILED_PRECONDITION',
    );
    expectAppError(
      await ext('POST', '/approve', { fileIds: [a.id, 'no-such-file'], folderId: folder.id }),
      404,
      'RESOURCE_NOT_FOUND',
    );
    expectAppError(
      await ext('POST', '/approve', { fileIds: [a.id], folderId: gone.id }),
      409,
      'FAILED_PRECONDITION',
    );
    expectAppError(
      await ext('POST', '/approve', { fileIds: [a.id], folderId: 'no-such-folder' }),
      404,
      'RESOURCE_NOT_FOUND',
    );
    expectViolation(
      await ext('POST', '/approve', { fileIds: [a.id], folderId: visitorFolder.id }),
      'folderId',
    );
    expectViolation(await ext('POST', '/approve', { fileIds: [a.id], folderId: 'trash-root' }), 'folderId');
    expectViolation(await ext('POST', '/approve', { fileIds: [], folderId: folder.id }), 'fileIds');
    expectAppError(await ext('POST', '/reject', { fileIds: [a.id, site.id] }), 409, 'FAILED_PRECONDITION');

    expect(await moderation()).toMatchObject({ newCount: 1, fileIds: [a.id], approveFolder: null });
    expect(await file(a.id)).toMatchObject({ parentFolderId: 'visitor-uploads', state: 'OK' });
    expect((await file(site.id)).state).toBe('OK');

    // Signed out: nothing.
    const anonymous = await t.app.inject({
      method: 'GET',
      url: '/site-media-ext/v1/visitor-uploads/moderation',
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('leaves Wix’s own answers unchanged: a new visitor upload is described like any file', async () => {
    t = await createTestApp();
    const visitor = await visitorUpload('v.txt');
    const admin = await t.upload('admin', { fileName: 'admin.txt', parentFolderId: 'visitor-uploads' });
    expect(Object.keys(await file(visitor.id)).sort()).toEqual(Object.keys(await file(admin.id)).sort());
  });
});
