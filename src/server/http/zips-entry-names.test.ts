import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DirectoryNames, sanitizeSegment } from '../services/zip-names.ts';
import { createTestApp } from '../testing/test-app.ts';
import { PUBLIC_URL, folderZipUrl, downloadZip, cloneFile } from '../testing/zips.ts';

// Zip downloads, entry names that could escape the target directory or overflow a segment.
// Every zip is checked with Info-ZIP's own tools (src/server/testing/zips.ts).

describe('zip entry names', () => {
  it('sanitises what could escape the target directory', () => {
    expect(sanitizeSegment('../../etc/passwd', true)).toBe('.._.._etc_passwd');
    expect(sanitizeSegment('..', false)).toBe('__');
    expect(sanitizeSegment('.', false)).toBe('_');
    expect(sanitizeSegment('a\\b', true)).toBe('a_b');
    expect(sanitizeSegment('/abs', true)).toBe('_abs');
    expect(sanitizeSegment('C:evil.txt', true)).toBe('C_evil.txt');
    expect(sanitizeSegment('tab\there\u0000nul\u2028', true)).toBe('tab_here_nul_');
    expect(sanitizeSegment('  spaced  ', true)).toBe('spaced');
    expect(sanitizeSegment('', true)).toBe('unnamed');
    expect(sanitizeSegment('e\u0301.txt', true)).toBe('\u00e9.txt');
  });

  it('keeps every segment within 255 UTF-8 bytes, keeping the extension', () => {
    const long = sanitizeSegment(`${'é'.repeat(300)}.jpeg`, true);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(255);
    expect(long.endsWith('é.jpeg')).toBe(true);
    const names = new DirectoryNames();
    expect(names.take(long, true)).toBe(long);
    const second = names.take(long, true);
    expect(Buffer.byteLength(second)).toBeLessThanOrEqual(255);
    expect(second.endsWith(' (2).jpeg')).toBe(true);
  });

  it('numbers duplicates before the extension of files, at the end of folders', () => {
    const names = new DirectoryNames();
    expect(
      ['a.txt', 'A.TXT', 'a.txt', '.env', '.env', 'v1.0', 'v1.0'].map((n) => names.take(n, true)),
    ).toEqual(['a.txt', 'A (2).TXT', 'a (3).txt', '.env', '.env (2)', 'v1.0', 'v1 (2).0']);
    expect(names.take('a.txt', false)).toBe('a.txt (2)');
  });

  it('extracts stored rows with hostile names inside the target directory', async () => {
    const t = await createTestApp({ publicUrl: PUBLIC_URL });
    try {
      const folder = await t.createFolder('safe');
      const template = (await t.store.files.getFile((await t.upload('bytes', { fileName: 't.txt' })).id))!;
      // Names the API refuses today, written straight into the store as an old or foreign row could be (on
      // SQLite: PostgreSQL text cannot hold a NUL at all).
      const names = [
        '../../escape.txt',
        '/etc/passwd',
        '..\\..\\win.txt',
        'C:\\x.txt',
        ...(t.store.dialect === 'sqlite' ? ['nul\u0000.txt'] : []),
      ];
      for (const name of names) {
        await cloneFile(t, template, { parent_folder_id: folder.id, display_name: name, sort_name: name });
      }
      await t.store.folders.insertFolder({
        id: randomBytes(16).toString('hex'),
        parent_folder_id: folder.id,
        location_id: folder.id,
        root: 'MEDIA_ROOT',
        scope: 'MEDIA_ROOT',
        state: 'OK',
        trash_batch: null,
        display_name: '..',
        sort_name: '..',
        created_date: new Date().toISOString(),
        updated_date: new Date().toISOString(),
      });
      const zip = await downloadZip(t, await folderZipUrl(t, folder.id));
      expect(zip.files.size).toBe(names.length);
      for (const name of zip.names) {
        expect(name.startsWith('/')).toBe(false);
        expect(name.split('/')).not.toContain('..');
        expect(name.includes('\\') || name.includes('\u0000')).toBe(false);
      }
      expect(zip.dirs).toEqual(['__']);
    } finally {
      await t.close();
    }
  });
});
