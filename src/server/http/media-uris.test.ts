// Wix media URIs (wix:image://v1/<id>/...) accepted wherever a file id is.
import { describe, expect, it } from 'vitest';
import { expectAppError } from '../testing/helpers.ts';
import type { FileDescriptor } from '../../contract/index.ts';
import type { TestApp } from '../testing/test-app.ts';
import { useTestApp } from '../testing/use-test-app.ts';

describe('Wix media URIs as file ids', () => {
  let t: TestApp;
  useTestApp((app) => (t = app));

  it('get-file-by-id accepts wix:image://v1/<id>/name.png#originWidth=1&originHeight=1', async () => {
    const file = (await t.upload(Buffer.from('png'), {
      fileName: 'name.png',
      mimeType: 'image/png',
    })) as FileDescriptor;
    const uri = `wix:image://v1/${file.id}/name.png#originWidth=1&originHeight=1`;
    const got = await t.ok<{ file: FileDescriptor }>(
      'GET',
      `/files/get-file-by-id?fileId=${encodeURIComponent(uri)}`,
    );
    expect(got.file.id).toBe(file.id);
    expect(got.file.hash).toBe(file.hash);

    const many = await t.ok<{ files: FileDescriptor[] }>('POST', '/files/get-files', {
      fileIds: [uri, file.id],
    });
    expect(many.files.map((f) => f.id)).toEqual([file.id, file.id]);
  });

  it('accepts the other URI kinds and answers 404 for a URI of an unknown id', async () => {
    const doc = (await t.upload('pdf', { fileName: 'a.pdf', mimeType: 'application/pdf' })) as FileDescriptor;
    for (const kind of ['document', 'video', 'audio']) {
      const uri = `wix:${kind}://v1/${doc.id}/a.pdf`;
      const got = await t.ok<{ file: FileDescriptor }>(
        'GET',
        `/files/get-file-by-id?fileId=${encodeURIComponent(uri)}`,
      );
      expect(got.file.id).toBe(doc.id);
    }
    const unknown = await t.api(
      'GET',
      `/files/get-file-by-id?fileId=${encodeURIComponent('wix:image://v1/nope/x.png')}`,
    );
    expectAppError(unknown, 404, 'RESOURCE_NOT_FOUND');
  });

  it('update-file-descriptor and bulk delete accept a URI', async () => {
    const file = (await t.upload(Buffer.from('png'), {
      fileName: 'name.png',
      mimeType: 'image/png',
    })) as FileDescriptor;
    const uri = `wix:image://v1/${file.id}/name.png#originWidth=1&originHeight=1`;
    const updated = await t.ok<{ file: FileDescriptor }>('PATCH', '/files/update-file-descriptor', {
      file: { id: uri, displayName: 'renamed.png' },
    });
    expect(updated.file.id).toBe(file.id);
    expect(updated.file.displayName).toBe('renamed.png');
    await t.ok('POST', '/bulk/files/delete', { fileIds: [uri] });
    const trashed = await t.ok<{ file: FileDescriptor }>(
      'GET',
      `/files/get-file-by-id?fileId=${encodeURIComponent(file.id)}`,
    );
    expect(trashed.file.state).toBe('DELETED');
  });
});
