import type { FileDescriptor, Folder } from '../../../contract/index.ts';
import { describe, expect, it } from 'vitest';
import { itRefusesEach, range, snapshot, useBadInputApp } from '../../testing/bad-input.ts';
import { valueCases } from './value-cases.ts';

// Values out of range (unknown enum values, over-limit arrays, over-long strings), and the limits themselves.

describe('bad input never changes anything and always answers a contract-shaped 4xx', () => {
  const ctx = useBadInputApp();

  itRefusesEach(ctx, valueCases);

  it('the limits themselves are accepted (1000-character folder name, 255-character file name, 200-character search)', async () => {
    const folder = await ctx.t.ok<{ folder: Folder }>('POST', '/folders', { displayName: 'd'.repeat(1000) });
    expect(folder.folder.displayName.length).toBe(1000);
    const file = await ctx.t.ok<{ file: FileDescriptor }>('PATCH', '/files/update-file-descriptor', {
      file: { id: ctx.fixture.file2.id, displayName: `${'f'.repeat(251)}.png`, labels: range(100, 'l') },
    });
    expect(file.file.displayName.length).toBe(255);
    expect(file.file.labels.length).toBe(100);
    await ctx.t.ok('POST', '/files/search', { search: 's'.repeat(200), paging: { limit: 100 } });
    await ctx.t.ok('GET', '/files?paging.limit=100');
    await ctx.t.ok('GET', '/folders?paging.limit=1');
    // Undo, so later tests see the ctx.fixture as it was.
    await ctx.t.ok('POST', '/bulk/folders/delete', { folderIds: [folder.folder.id], permanent: true });
    await ctx.t.ok('PATCH', '/files/update-file-descriptor', {
      file: { id: ctx.fixture.file2.id, displayName: 'two.png', labels: [] },
    });
    ctx.before = await snapshot(ctx.t);
  });
});
