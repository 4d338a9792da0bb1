import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApplicationErrorBody, VisitorUploadUrlResponse } from '../../contract/index.ts';
import type { Config } from '../config.ts';
import { expectAppError, listen, rebase } from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;

afterEach(async () => {
  await t.close();
});

async function setup(overrides: Partial<Config> = {}) {
  t = await createTestApp({ visitorUploadsPerMinute: 1000, ...overrides });
}

function ask(body: Record<string, unknown> = {}): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: '/visitor/v1/upload-url',
    payload: { mimeType: 'text/plain', fileName: 'note.txt', ...body },
  });
}

async function granted(body: Record<string, unknown> = {}): Promise<VisitorUploadUrlResponse> {
  const response = await ask(body);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<VisitorUploadUrlResponse>();
}

function put(url: string, payload: Buffer | string): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'PUT',
    url: new URL(url).pathname,
    headers: { 'content-type': 'text/plain' },
    payload,
  });
}

async function visitorUpload(size: number): Promise<string> {
  const response = await put((await granted()).uploadUrl, 'v'.repeat(size));
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ file: { id: string } }>().file.id;
}

/** Whether anything of the server's state is on this machine's disk (SQLite, or blobs and tus uploads). */
function hasLocalState(app: TestApp): boolean {
  return app.config.databaseUrl === undefined || app.config.s3 === undefined;
}

describe('MIN_FREE_DISK_BYTES', () => {
  it('above the free space: new uploads and imports answer 507 INSUFFICIENT_STORAGE; reads, trash and delete forever still work', async () => {
    await setup();
    const kept = await t.upload('kept before the disk filled');
    const gone = await t.upload('deleted forever on a full disk');
    await t.app.close();
    // The same data on a volume that now has less room than the reserve asks for.
    t = await createTestApp({
      dataDir: t.dataDir,
      databaseUrl: t.config.databaseUrl,
      visitorUploadsPerMinute: 1000,
      minFreeDiskBytes: Number.MAX_SAFE_INTEGER,
    });
    const refusals = [
      await t.api('POST', '/files/generate-upload-url', { mimeType: 'text/plain', fileName: 'a.txt' }),
      await t.api('POST', '/files/generate-resumable-upload-url', {
        mimeType: 'text/plain',
        fileName: 'a.txt',
        sizeInBytes: '10',
      }),
      await t.api('POST', '/files/import', { url: 'https://example.com/a.png', mimeType: 'image/png' }),
      await ask(),
    ];
    for (const response of refusals) {
      if (hasLocalState(t)) {
        expectAppError(response, 507, 'INSUFFICIENT_STORAGE');
        const { data } = response.json<ApplicationErrorBody>().details.applicationError;
        expect(data.minFreeBytes).toBe(String(Number.MAX_SAFE_INTEGER));
        expect(typeof data.freeBytes).toBe('string');
      } else {
        // PostgreSQL + S3: nothing the uploads write is on this machine's disk.
        expect(response.statusCode, response.body).toBe(200);
      }
    }
    expect((await t.ok('GET', `/files/get-file-by-id?fileId=${kept.id}`)).file.id).toBe(kept.id);
    await t.ok('POST', '/bulk/files/delete', { fileIds: [gone.id] });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [gone.id], permanent: true });
    expect((await t.api('GET', `/files/get-file-by-id?fileId=${gone.id}`)).statusCode).toBe(404);
  });

  it('0 turns the reserve off', async () => {
    await setup({ minFreeDiskBytes: 0 });
    await t.upload('fine');
  });
});

describe('VISITOR_QUOTA_BYTES', () => {
  it('bounds what visitor uploads take together (live and trashed) with SITE_QUOTA_EXCEEDED; the owner is not bound by it', async () => {
    await setup({ visitorQuotaBytes: 100 });
    const first = await visitorUpload(60);

    // A declared size over what is left: refused when the URL is asked for.
    const declared = await ask({ sizeInBytes: 50 });
    expectAppError(declared, 409, 'SITE_QUOTA_EXCEEDED');
    expect(declared.json<ApplicationErrorBody>().details.applicationError.data).toMatchObject({
      quotaBytes: '100',
      usedBytes: '60',
    });
    // No declared size: refused once the bytes run over.
    expectAppError(await put((await granted()).uploadUrl, 'v'.repeat(50)), 409, 'SITE_QUOTA_EXCEEDED');
    // tus: refused at creation from Upload-Length.
    const base = await listen(t);
    const grant = await granted();
    const created = await fetch(rebase(grant.resumableUploadUrl, base), {
      method: 'POST',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Length': '50',
        'Upload-Metadata': `token ${Buffer.from(grant.uploadToken).toString('base64')}`,
      },
    });
    expect(created.status).toBe(409);
    expect(((await created.json()) as ApplicationErrorBody).details.applicationError.code).toBe(
      'SITE_QUOTA_EXCEEDED',
    );
    // The owner's uploads are under the site quota only.
    await t.upload('o'.repeat(500));

    // Trashed visitor files still take their bytes; deleting them forever frees them.
    await t.ok('POST', '/bulk/files/delete', { fileIds: [first] });
    expectAppError(await ask({ sizeInBytes: 50 }), 409, 'SITE_QUOTA_EXCEEDED');
    await t.ok('POST', '/bulk/files/delete', { fileIds: [first], permanent: true });
    const second = await visitorUpload(90);

    // A file the owner moves out of Visitor Uploads no longer counts.
    expectAppError(await ask({ sizeInBytes: 20 }), 409, 'SITE_QUOTA_EXCEEDED');
    await t.ok('PATCH', '/files/update-file-descriptor', {
      file: { id: second, parentFolderId: 'media-root' },
    });
    await visitorUpload(20);
  });

  it('is checked again when the file is written: two visitors racing for the last bytes cannot both get them', async () => {
    await setup({ visitorQuotaBytes: 100 });
    const grants = await Promise.all([granted(), granted()]);
    const results = await Promise.all(grants.map((g) => put(g.uploadUrl, 'r'.repeat(60))));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });
});
