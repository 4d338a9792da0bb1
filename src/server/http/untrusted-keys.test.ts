import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileDescriptor } from '../../contract/index.ts';
import { expectAppError, expectViolation, PNG_1X1 } from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

// User input that names a key of a plain object (`constructor`, `__proto__`, `toString`) must find nothing
// there rather than `Object.prototype`'s members, and names must not hide their real text behind
// bidirectional controls.

const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

let t: TestApp;
let file: FileDescriptor;

beforeAll(async () => {
  t = await createTestApp();
  file = (await t.upload(PNG_1X1, { fileName: 'pixel.png', mimeType: 'image/png' })) as FileDescriptor;
});

afterAll(async () => {
  await t.close();
});

describe('prototype member names as keys', () => {
  it('/media/<id>/<key> answers 404 for them, never 500', async () => {
    for (const key of PROTOTYPE_KEYS) {
      const response = await t.app.inject({ method: 'GET', url: `/media/${file.id}/${key}` });
      expectAppError(response, 404, 'RESOURCE_NOT_FOUND');
    }
  });

  it('a file named x.<key> with a vague MIME type is an OTHER file', async () => {
    for (const key of PROTOTYPE_KEYS) {
      for (const mimeType of ['application/octet-stream', 'application/x-unknown']) {
        const uploaded = await t.upload('bytes', { fileName: `x.${key}`, mimeType });
        expect(uploaded.mediaType, `x.${key} as ${mimeType}`).toBe('OTHER');
      }
    }
  });

  it('download URLs for such asset keys are refused as unknown keys', async () => {
    for (const key of PROTOTYPE_KEYS) {
      const response = await t.api('POST', '/files/generate-file-download-url', {
        fileId: file.id,
        assetKeys: [key],
      });
      expectAppError(response, 400, 'INVALID_ASSET_KEY');
    }
  });

  it('a query filter on such a field is a 400 on that field', async () => {
    for (const key of PROTOTYPE_KEYS.filter((k) => k !== '__proto__')) {
      for (const path of ['/files/query', '/folders/query']) {
        const response = await t.api('POST', path, { query: { filter: { [key]: 'x' } } });
        expectViolation(response, `query.filter.${key}`);
      }
    }
  });
});

describe('bidirectional controls in names', () => {
  // U+202E makes `invoice\u202Efdp.exe` display as `invoiceexe.pdf`.
  const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
  const MARKS = ['\u200e', '\u200f', '\u061c'];

  it('are refused in file names at upload', async () => {
    for (const c of [...BIDI, ...MARKS]) {
      const response = await t.api('POST', '/files/generate-upload-url', {
        mimeType: 'text/plain',
        fileName: `invoice${c}fdp.exe`,
      });
      expectViolation(response, 'fileName');
    }
  });

  it('are refused when renaming a file, naming a folder, and in labels', async () => {
    for (const c of [...BIDI, ...MARKS]) {
      const rename = await t.api('PATCH', '/files/update-file-descriptor', {
        file: { id: file.id, displayName: `a${c}b.png` },
      });
      expect(rename.statusCode, rename.body).toBe(400);
      const folder = await t.api('POST', '/folders', { displayName: `a${c}b`, parentFolderId: 'media-root' });
      expect(folder.statusCode, folder.body).toBe(400);
      const label = await t.api('PATCH', '/files/update-file-descriptor', {
        file: { id: file.id, labels: [`a${c}b`] },
      });
      expect(label.statusCode, label.body).toBe(400);
    }
  });

  it('ordinary right-to-left text is still a fine name', async () => {
    const uploaded = await t.upload('x', { fileName: 'שלום עולם.txt', mimeType: 'text/plain' });
    expect(uploaded.displayName).toBe('שלום עולם.txt');
    const arabic = await t.upload('x', { fileName: 'مرحبا.txt', mimeType: 'text/plain' });
    expect(arabic.displayName).toBe('مرحبا.txt');
  });
});
