import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

type Listing = {
  files: { id: string; displayName: string }[];
  nextCursor: { cursors: { next: string | null }; hasNext: boolean };
};

describe('cursor paging', () => {
  it('walks every page without skipping or repeating while items are added', async () => {
    const initial: string[] = [];
    for (let i = 0; i < 25; i++)
      initial.push((await t.upload('x', { fileName: `f${String(i).padStart(2, '0')}.txt` })).id);

    const seen: string[] = [];
    let page = await t.ok<Listing>('GET', '/files?sort.fieldName=displayName&sort.order=ASC&paging.limit=7');
    let round = 0;
    for (;;) {
      seen.push(...page.files.map((f) => f.displayName));
      expect(page.nextCursor.hasNext).toBe(page.nextCursor.cursors.next !== null);
      if (!page.nextCursor.cursors.next) break;
      // Between pages: add one file before the cursor and one after.
      await t.upload('x', { fileName: `a-new-${round}.txt` });
      await t.upload('x', { fileName: `z-new-${round}.txt` });
      round++;
      page = await t.ok<Listing>(
        'GET',
        `/files?paging.limit=7&paging.cursor=${encodeURIComponent(page.nextCursor.cursors.next)}`,
      );
    }
    const originals = seen.filter((n) => /^f\d\d\.txt$/.test(n));
    expect(originals).toEqual(Array.from({ length: 25 }, (_, i) => `f${String(i).padStart(2, '0')}.txt`));
    expect(new Set(seen).size).toBe(seen.length);
    // Items added after the cursor show up; items added before it do not.
    expect(seen.filter((n) => n.startsWith('z-new'))).toHaveLength(round);
    expect(seen.filter((n) => n.startsWith('a-new'))).toHaveLength(0);
  });

  it('pages through ties in the sort key by id', async () => {
    for (let i = 0; i < 12; i++) await t.upload('same', { fileName: 'same.txt' });
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const query: string = cursor
        ? `paging.cursor=${encodeURIComponent(cursor)}&paging.limit=5`
        : 'sort.fieldName=sizeInBytes&paging.limit=5';
      const page: Listing = await t.ok<Listing>('GET', `/files?${query}`);
      for (const f of page.files) seen.add(f.id);
      cursor = page.nextCursor.cursors.next;
    } while (cursor);
    expect(seen.size).toBe(12);
  });

  it('defaults to 50 per page and caps at 100', async () => {
    for (let i = 0; i < 55; i++) await t.createFolder(`f${i}`);
    const page = await t.ok('GET', '/folders');
    expect(page.folders).toHaveLength(50);
    expect(page.nextCursor.hasNext).toBe(true);
    const res = await t.api('GET', '/folders?paging.limit=101');
    expect(res.statusCode).toBe(400);
    expect(res.json().details.validationError.fieldViolations[0].field).toBe('paging.limit');
  });

  it('a cursor carries its listing: filter and sort come from it, and it only works where it was made', async () => {
    for (let i = 0; i < 4; i++) await t.upload('x', { fileName: `img${i}.png`, mimeType: 'image/png' });
    await t.upload('x', { fileName: 'doc.pdf', mimeType: 'application/pdf' });
    const first = await t.ok<Listing>('POST', '/files/search', {
      search: 'img',
      sort: { fieldName: 'displayName', order: 'DESC' },
      paging: { limit: 2 },
    });
    expect(first.files.map((f) => f.displayName)).toEqual(['img3.png', 'img2.png']);
    const cursor = first.nextCursor.cursors.next!;
    const second = await t.ok<Listing>('POST', '/files/search', { paging: { cursor } });
    expect(second.files.map((f) => f.displayName)).toEqual(['img1.png', 'img0.png']);

    const elsewhere = await t.api('GET', `/files?paging.cursor=${encodeURIComponent(cursor)}`);
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().details.validationError.fieldViolations[0].field).toBe('paging.cursor');
    const forged = cursor.replace(/^./, (c) => (c === 'e' ? 'f' : 'e'));
    expect((await t.api('POST', '/files/search', { paging: { cursor: forged } })).statusCode).toBe(400);
  });
});
