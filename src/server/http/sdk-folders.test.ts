// Wix's official SDK against the real server (see testing/sdk.ts): the folders methods.
import { describe, expect, it } from 'vitest';
import { createFolder, idsOf, must, namesOf, upload, useSdkServer, type Wix } from '../testing/sdk.ts';

let wix: Wix;
useSdkServer((s) => (wix = s.wix));

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
