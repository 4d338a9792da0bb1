import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { TEST_API_KEY, type TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';
import {
  PUBLIC_URL,
  unzip,
  expectAppError,
  expectViolation,
  filesZipUrl,
  fetchZip,
  downloadZip,
  trackBlobs,
} from '../testing/zips.ts';

// Zip downloads, a zip of several files.
// Every zip is checked with Info-ZIP's own tools (src/server/testing/zips.ts).

describe('zip of several files', () => {
  let t: TestApp;
  useTestApp((app) => (t = app), { publicUrl: PUBLIC_URL });

  it('zips the files in the order given, stored, with their exact bytes; ids and media URIs alike', async () => {
    const binary = randomBytes(200_000);
    const a = await t.upload('first file', { fileName: 'a.txt' });
    const b = await t.upload(binary, { fileName: 'photo.png', mimeType: 'image/png' });
    const c = await t.upload('c', { fileName: 'c.txt' });
    const url = await filesZipUrl(t, [
      c.id,
      `wix:image://v1/${b.id}/photo.png#originWidth=1&originHeight=1`,
      a.id,
    ]);

    const zip = await downloadZip(t, url);
    expect(zip.names).toEqual(['c.txt', 'photo.png', 'a.txt']);
    expect(zip.files.get('a.txt')!.toString()).toBe('first file');
    expect(zip.files.get('photo.png')!.equals(binary)).toBe(true);
    expect(zip.files.get('c.txt')!.toString()).toBe('c');
    expect(zip.methods).toEqual(['none (stored)', 'none (stored)', 'none (stored)']);
  });

  it('answers application/zip as an attachment named files.zip, with the user-content headers', async () => {
    const a = await t.upload('x', { fileName: 'a.txt' });
    const response = await fetchZip(t, await filesZipUrl(t, [a.id]));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toBe('attachment; filename="files.zip"');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(String(response.headers['content-security-policy']).split(/[;\s]+/)).toContain('sandbox');
    expect(response.headers['cache-control']).toContain('no-transform');
    expect(response.rawPayload.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
  });

  it('needs no API key, and survives a restart (the URL does not expire)', async () => {
    const a = await t.upload('kept', { fileName: 'a.txt' });
    const url = await filesZipUrl(t, [a.id]);
    // fetchZip sends no Authorization header and no cookie.
    expect((await downloadZip(t, url)).files.get('a.txt')!.toString()).toBe('kept');

    await t.app.close();
    const config = loadConfig(
      {},
      {
        dataDir: t.dataDir,
        databaseUrl: t.config.databaseUrl,
        s3: t.config.s3,
        apiKey: TEST_API_KEY,
        staticDir: undefined,
        publicUrl: PUBLIC_URL,
      },
    );
    const again = await buildApp(config);
    try {
      const response = await again.app.inject({ method: 'GET', url: new URL(url).pathname });
      expect(response.statusCode).toBe(200);
      expect(unzip(response.rawPayload).files.get('a.txt')!.toString()).toBe('kept');
    } finally {
      await again.app.close();
    }
  });

  it('answers 404 for a made-up, altered or malformed token', async () => {
    const a = await t.upload('x', { fileName: 'a.txt' });
    const url = await filesZipUrl(t, [a.id]);
    const token = url.split('/').at(-1)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [
      randomBytes(32).toString('base64url'),
      altered,
      'short',
      `${token}x`,
      '..%2F..%2Fetc',
    ]) {
      const response = await t.app.inject({ method: 'GET', url: `/download/v1/zip/${bad}` });
      expectAppError(response, 404, 'RESOURCE_NOT_FOUND');
    }
    // Every generate call mints a fresh token.
    expect(await filesZipUrl(t, [a.id])).not.toBe(url);
  });

  it('stores only the token hash', async () => {
    const a = await t.upload('x', { fileName: 'a.txt' });
    const token = (await filesZipUrl(t, [a.id])).split('/').at(-1)!;
    const tables = ['zip_downloads', 'files', 'folders', 'upload_tokens', 'sessions', 'jobs'] as const;
    for (const table of tables) {
      const rows = await t.store.db.selectFrom(table).selectAll().execute();
      expect(JSON.stringify(rows).includes(token), table).toBe(false);
    }
    if (t.store.dialect === 'sqlite') {
      const db = fs.readFileSync(path.join(t.dataDir, 'metadata.sqlite'));
      const wal = path.join(t.dataDir, 'metadata.sqlite-wal');
      const all = Buffer.concat([db, fs.existsSync(wal) ? fs.readFileSync(wal) : Buffer.alloc(0)]);
      expect(all.includes(Buffer.from(token))).toBe(false);
    }
  });

  it('leaves private files out, and answers 400 when nothing but private files is left', async () => {
    const open = await t.upload('public bytes', { fileName: 'open.txt' });
    const secret = await t.upload('private bytes', { fileName: 'secret.txt', private: true });
    const zip = await downloadZip(t, await filesZipUrl(t, [secret.id, open.id]));
    expect(zip.names).toEqual(['open.txt']);

    const response = await t.api('POST', '/files/generate-download-url', { fileIds: [secret.id] });
    expect(expectViolation(response, 'fileIds')).toMatch(/private/);
  });

  it('de-duplicates entry names, case-insensitively, as name (2).ext', async () => {
    const ids: string[] = [];
    for (const [i, name] of [
      'photo.jpg',
      'photo.jpg',
      'Photo.JPG',
      'notes',
      'notes',
      'photo (2).jpg',
    ].entries()) {
      ids.push((await t.upload(`content ${i}`, { fileName: name })).id);
    }
    const zip = await downloadZip(t, await filesZipUrl(t, ids));
    expect(zip.names).toEqual([
      'photo.jpg',
      'photo (2).jpg',
      'Photo (3).JPG',
      'notes',
      'notes (2)',
      'photo (2) (2).jpg',
    ]);
    expect(zip.names.map((n) => zip.files.get(n)!.toString())).toEqual(ids.map((_, i) => `content ${i}`));
  });

  it('puts a file named twice in once', async () => {
    const a = await t.upload('once', { fileName: 'a.txt' });
    const zip = await downloadZip(t, await filesZipUrl(t, [a.id, `wix:document://v1/${a.id}/a.txt`, a.id]));
    expect(zip.names).toEqual(['a.txt']);
  });

  it('includes files in the trash (downloadable until purged) and skips files purged since', async () => {
    const kept = await t.upload('kept', { fileName: 'kept.txt' });
    const trashed = await t.upload('trashed', { fileName: 'trashed.txt' });
    const purged = await t.upload('purged', { fileName: 'purged.txt' });
    await t.ok('POST', '/bulk/files/delete', { fileIds: [trashed.id] });
    const url = await filesZipUrl(t, [kept.id, trashed.id, purged.id]);
    await t.ok('POST', '/bulk/files/delete', { fileIds: [purged.id], permanent: true });
    expect((await downloadZip(t, url)).names).toEqual(['kept.txt', 'trashed.txt']);

    await t.ok('POST', '/bulk/files/delete', { fileIds: [kept.id, trashed.id], permanent: true });
    expectAppError(await fetchZip(t, url), 404, 'RESOURCE_NOT_FOUND');
  });

  it('answers 404 naming unknown ids, and 400 for no ids or more than 1000', async () => {
    const a = await t.upload('x', { fileName: 'a.txt' });
    const unknown = await t.api('POST', '/files/generate-download-url', { fileIds: [a.id, 'no-such-file'] });
    const body = expectAppError(unknown, 404, 'RESOURCE_NOT_FOUND');
    expect(body.details.applicationError.data).toEqual({ ids: ['no-such-file'] });

    expectViolation(await t.api('POST', '/files/generate-download-url', { fileIds: [] }), 'fileIds');
    expectViolation(await t.api('POST', '/files/generate-download-url', {}), 'fileIds');
    const tooMany = Array.from({ length: 1001 }, () => a.id);
    const description = expectViolation(
      await t.api('POST', '/files/generate-download-url', { fileIds: tooMany }),
      'fileIds',
    );
    expect(description).toContain('1000');
    // Exactly 1000 is fine.
    await filesZipUrl(t, tooMany.slice(0, 1000));
  });

  it('answers HEAD with the headers, without reading any bytes', async () => {
    const a = await t.upload('x', { fileName: 'a.txt' });
    const url = await filesZipUrl(t, [a.id]);
    const blobs = trackBlobs(t);
    const response = await fetchZip(t, url, 'HEAD');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toBe('attachment; filename="files.zip"');
    expect(response.headers['content-length']).toBeUndefined();
    expect(response.rawPayload.length).toBe(0);
    expect(blobs.opened).toBe(0);
    expect((await t.app.inject({ method: 'HEAD', url: '/download/v1/zip/nope' })).statusCode).toBe(404);
  });
});
