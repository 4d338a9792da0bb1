import type { ListFilesResponse, ListFoldersResponse } from '../../../contract/index.ts';
import { describe, expect, it } from 'vitest';
import {
  expectContractError,
  itRefusesEach,
  send,
  snapshot,
  type Request,
  useBadInputApp,
} from '../../testing/bad-input.ts';
import { createTestApp } from '../../testing/test-app.ts';
import { pagingCases } from './paging-cases.ts';

// Bad paging limits, garbage cursors, and cursors from another listing or another server.

describe('bad input never changes anything and always answers a contract-shaped 4xx', () => {
  const ctx = useBadInputApp();

  itRefusesEach(ctx, pagingCases);

  it('a cursor from another listing is refused, naming the cursor field', async () => {
    const files = await ctx.t.ok<ListFilesResponse>('GET', '/files?paging.limit=1');
    const fileCursor = files.nextCursor.cursors.next;
    expect(fileCursor).toBeTruthy();
    const folders = await ctx.t.ok<ListFoldersResponse>('GET', '/folders?paging.limit=1');
    const folderCursor = folders.nextCursor.cursors.next;
    expect(folderCursor).toBeTruthy();
    const search = await ctx.t.ok<ListFilesResponse>('POST', '/files/search', { paging: { limit: 1 } });
    const searchCursor = search.nextCursor.cursors.next;
    expect(searchCursor).toBeTruthy();

    const uses: [Request, string][] = [
      [{ method: 'POST', url: '/files/search', body: { paging: { cursor: fileCursor } } }, 'paging.cursor'],
      [{ method: 'GET', url: `/files?paging.cursor=${encodeURIComponent(searchCursor!)}` }, 'paging.cursor'],
      [
        { method: 'GET', url: `/trash-bin/files?paging.cursor=${encodeURIComponent(fileCursor!)}` },
        'paging.cursor',
      ],
      [{ method: 'GET', url: `/files?paging.cursor=${encodeURIComponent(folderCursor!)}` }, 'paging.cursor'],
      [{ method: 'GET', url: `/folders?paging.cursor=${encodeURIComponent(fileCursor!)}` }, 'paging.cursor'],
      [
        { method: 'POST', url: '/folders/search', body: { paging: { cursor: folderCursor } } },
        'paging.cursor',
      ],
      [
        { method: 'POST', url: '/files/query', body: { query: { cursorPaging: { cursor: fileCursor } } } },
        'query.cursorPaging.cursor',
      ],
      [
        {
          method: 'POST',
          url: '/folders/query',
          body: { query: { cursorPaging: { cursor: folderCursor } } },
        },
        'query.cursorPaging.cursor',
      ],
    ];
    for (const [request, field] of uses) {
      expectContractError(await send(ctx.t, request), { field });
    }
    // The cursor still works where it belongs.
    const next = await ctx.t.ok<ListFilesResponse>(
      'GET',
      `/files?paging.cursor=${encodeURIComponent(fileCursor!)}`,
    );
    expect(next.files.length).toBe(1);
    expect(next.files[0]!.id).not.toBe(files.files[0]!.id);
    expect(await snapshot(ctx.t)).toEqual(ctx.before);
  });

  it('a cursor signed by another server is refused', async () => {
    const other = await createTestApp();
    try {
      await other.upload('a', { fileName: 'a.txt' });
      await other.upload('b', { fileName: 'b.txt' });
      const cursor = (await other.ok<ListFilesResponse>('GET', '/files?paging.limit=1')).nextCursor.cursors
        .next;
      expect(cursor).toBeTruthy();
      expectContractError(
        await send(ctx.t, { method: 'GET', url: `/files?paging.cursor=${encodeURIComponent(cursor!)}` }),
        {
          field: 'paging.cursor',
        },
      );
    } finally {
      await other.close();
    }
  });
});
