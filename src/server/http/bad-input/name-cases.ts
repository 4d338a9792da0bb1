import { type Case } from '../../testing/bad-input.ts';

/** Bad folder and file names, and bad labels. */
export const nameCases: Case[] = [];

// Bad names: for folders (create, rename) and files (rename, upload).
const BAD_NAMES: [string, string][] = [
  ['empty', ''],
  ['NUL', 'a\u0000b'],
  ['BEL', 'a\u0007b'],
  ['newline', 'a\nb'],
  ['tab inside', 'a\tb'],
  ['DEL', 'a\u007fb'],
  ['C1 control', 'a\u0085b'],
  ['line separator', 'a\u2028b'],
  ['slash', 'a/b'],
  ['backslash', 'a\\b'],
  ['dot', '.'],
  ['dot dot', '..'],
  ['leading space', ' a'],
  ['trailing space', 'a '],
  ['only spaces', '   '],
  ['leading tab', '\ta'],
];
for (const [what, name] of BAD_NAMES) {
  nameCases.push(
    [
      `create folder: name with ${what}`,
      () => ({ method: 'POST', url: '/folders', body: { displayName: name } }),
      { field: 'displayName' },
    ],
    [
      `rename folder: name with ${what}`,
      (f) => ({
        method: 'PATCH',
        url: `/folders/${f.folderA.id}`,
        body: { folder: { id: f.folderA.id, displayName: name } },
      }),
      { field: 'folder.displayName' },
    ],
    [
      `rename file: name with ${what}`,
      (f) => ({
        method: 'PATCH',
        url: '/files/update-file-descriptor',
        body: { file: { id: f.file1.id, displayName: name } },
      }),
      { field: 'file.displayName' },
    ],
    [
      `upload url: fileName with ${what}`,
      () => ({
        method: 'POST',
        url: '/files/generate-upload-url',
        body: { mimeType: 'text/plain', fileName: name },
      }),
      { field: 'fileName' },
    ],
  );
}
for (const [what, label] of [
  ['NUL', 'a\u0000b'],
  ['newline', 'a\nb'],
  ['only spaces', '  '],
  ['empty', ''],
]) {
  nameCases.push([
    `update file: label with ${what}`,
    (f) => ({
      method: 'PATCH',
      url: '/files/update-file-descriptor',
      body: { file: { id: f.file1.id, labels: ['ok', label] } },
    }),
    { field: /^file\.labels/ },
  ]);
}
