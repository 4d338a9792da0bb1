import { type Case } from '../../testing/bad-input.ts';

/** Bad paging limits and garbage cursors. */
export const pagingCases: Case[] = [];

// Paging.
for (const limit of ['0', '101', 'abc', '-1', '1.5', '']) {
  for (const url of ['/files', '/folders', '/trash-bin/files', '/trash-bin/folders']) {
    pagingCases.push([
      `GET ${url}: paging.limit=${limit}`,
      () => ({ method: 'GET', url: `${url}?paging.limit=${limit}` }),
      { field: 'paging.limit' },
    ]);
  }
}
for (const limit of [0, 101, 'abc', -1, 1.5, null]) {
  pagingCases.push(
    [
      `search files: paging.limit ${String(limit)}`,
      () => ({ method: 'POST', url: '/files/search', body: { paging: { limit } } }),
      { field: 'paging.limit' },
    ],
    [
      `search folders: paging.limit ${String(limit)}`,
      () => ({ method: 'POST', url: '/folders/search', body: { paging: { limit } } }),
      { field: 'paging.limit' },
    ],
    [
      `query files: cursorPaging.limit ${String(limit)}`,
      () => ({ method: 'POST', url: '/files/query', body: { query: { cursorPaging: { limit } } } }),
      { field: 'query.cursorPaging.limit' },
    ],
    [
      `query folders: cursorPaging.limit ${String(limit)}`,
      () => ({ method: 'POST', url: '/folders/query', body: { query: { cursorPaging: { limit } } } }),
      { field: 'query.cursorPaging.limit' },
    ],
  );
}

// Garbage cursors.
const GARBAGE_CURSORS: [string, string][] = [
  ['a word', 'abc'],
  ['two parts', 'abc.def'],
  ['three parts', 'a.b.c'],
  ['punctuation', '!!!'],
  ['unsigned JSON', `${Buffer.from('{"listing":"files.list"}').toString('base64url')}.`],
  [
    'a forged signature',
    `${Buffer.from('{"listing":"files.list","filter":{},"sort":{"fieldName":"displayName","order":"ASC"},"position":["a","b"]}').toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`,
  ],
  ['too long', 'c'.repeat(2001)],
];
for (const [what, cursor] of GARBAGE_CURSORS) {
  const q = encodeURIComponent(cursor);
  pagingCases.push(
    [
      `list files: cursor ${what}`,
      () => ({ method: 'GET', url: `/files?paging.cursor=${q}` }),
      { field: 'paging.cursor' },
    ],
    [
      `list folders: cursor ${what}`,
      () => ({ method: 'GET', url: `/folders?paging.cursor=${q}` }),
      { field: 'paging.cursor' },
    ],
    [
      `list trash files: cursor ${what}`,
      () => ({ method: 'GET', url: `/trash-bin/files?paging.cursor=${q}` }),
      { field: 'paging.cursor' },
    ],
    [
      `search files: cursor ${what}`,
      () => ({ method: 'POST', url: '/files/search', body: { paging: { cursor } } }),
      { field: 'paging.cursor' },
    ],
    [
      `search folders: cursor ${what}`,
      () => ({ method: 'POST', url: '/folders/search', body: { paging: { cursor } } }),
      { field: 'paging.cursor' },
    ],
    [
      `query files: cursor ${what}`,
      () => ({ method: 'POST', url: '/files/query', body: { query: { cursorPaging: { cursor } } } }),
      { field: 'query.cursorPaging.cursor' },
    ],
  );
}
pagingCases.push([
  'search files: cursor a number',
  () => ({ method: 'POST', url: '/files/search', body: { paging: { cursor: 5 } } }),
  { field: 'paging.cursor' },
]);
