import type { Folder, ListFoldersResponse } from '../../../contract/index.ts';
import { describe, expect, it } from 'vitest';
import { itRefusesEach, useBadInputApp } from '../../testing/bad-input.ts';
import { moveCases } from './move-cases.ts';

// Impossible moves and states, and the root folders, which are never renamed, moved or deleted.

describe('bad input never changes anything and always answers a contract-shaped 4xx', () => {
  const ctx = useBadInputApp();

  itRefusesEach(ctx, moveCases);

  it('the roots stay as they are', async () => {
    for (const [id, displayName] of [
      ['media-root', 'Site Files'],
      ['visitor-uploads', 'Visitor Uploads'],
      ['trash-root', 'Trash'],
    ]) {
      const { folder } = await ctx.t.ok<{ folder: Folder }>('GET', `/folders/${id}`);
      expect(folder.id).toBe(id);
      expect(folder.displayName).toBe(displayName);
      expect(folder.state).toBe('OK');
    }
    // The root rename attempts left the live listing as it was.
    const top = await ctx.t.ok<ListFoldersResponse>(
      'GET',
      '/folders?parentFolderId=media-root&sort.fieldName=displayName',
    );
    expect(top.folders.map((f) => f.displayName)).toEqual(['Alpha', 'Gamma']);
  });
});
