import { type Case, type Fixture, type Method } from '../../testing/bad-input.ts';

/** Malformed and non-object bodies, wrong content types, oversized bodies: every JSON endpoint. */
export const bodyCases: Case[] = [];

/** Endpoints that take a JSON object body, with a body they would accept. */
const JSON_ENDPOINTS: [Method, string, (f: Fixture) => unknown][] = [
  ['POST', '/folders', () => ({ displayName: 'x' })],
  ['POST', '/folders/search', () => ({})],
  ['PATCH', '/folders/:A', (f) => ({ folder: { id: f.folderA.id, displayName: 'x' } })],
  ['POST', '/bulk/folders/delete', (f) => ({ folderIds: [f.folderB.id] })],
  ['POST', '/bulk/trash-bin/folders/restore', (f) => ({ folderIds: [f.trashedFolder.id] })],
  ['POST', '/folders/query', () => ({ query: {} })],
  ['POST', '/files/generate-upload-url', () => ({ mimeType: 'text/plain', fileName: 'a.txt' })],
  ['POST', '/files/get-files', (f) => ({ fileIds: [f.file1.id] })],
  ['PATCH', '/files/update-file-descriptor', (f) => ({ file: { id: f.file1.id, displayName: 'x.txt' } })],
  ['POST', '/files/search', () => ({})],
  ['POST', '/files/query', () => ({ query: {} })],
  ['POST', '/files/generate-file-download-url', (f) => ({ fileId: f.file1.id })],
  ['POST', '/bulk/files/delete', (f) => ({ fileIds: [f.file1.id] })],
  ['POST', '/bulk/trash-bin/files/restore', (f) => ({ fileIds: [f.trashedFile.id] })],
];

function urlOf(template: string, f: Fixture): string {
  return template.replace(':A', f.folderA.id);
}

// Malformed and non-object bodies, wrong content types, oversized bodies: every JSON endpoint.
for (const [method, template, good] of JSON_ENDPOINTS) {
  const at = `${method} ${template}`;
  const json = { 'content-type': 'application/json' };
  bodyCases.push(
    [
      `${at}: malformed JSON`,
      (f) => ({ method, url: urlOf(template, f), raw: '{"a": ', headers: json }),
      { status: 400 },
    ],
    [
      `${at}: trailing garbage`,
      (f) => ({ method, url: urlOf(template, f), raw: '{} {}', headers: json }),
      { status: 400 },
    ],
    [
      `${at}: empty JSON body`,
      (f) => ({ method, url: urlOf(template, f), raw: '', headers: json }),
      { status: 400 },
    ],
    [`${at}: array body`, (f) => ({ method, url: urlOf(template, f), body: [good(f)] }), { status: 400 }],
    [`${at}: string body`, (f) => ({ method, url: urlOf(template, f), body: 'hello' }), { status: 400 }],
    [`${at}: number body`, (f) => ({ method, url: urlOf(template, f), body: 42 }), { status: 400 }],
    [
      `${at}: __proto__ in the body`,
      (f) => ({
        method,
        url: urlOf(template, f),
        raw: JSON.stringify(good(f)).replace(/^\{/, '{"__proto__": {"polluted": true},'),
        headers: json,
      }),
      {},
    ],
    [
      `${at}: text/plain content type`,
      (f) => ({
        method,
        url: urlOf(template, f),
        raw: JSON.stringify(good(f)),
        headers: { 'content-type': 'text/plain' },
      }),
      // Fastify reads text/plain as a string: 400 (not an object) or 415 are both fine.
      {},
    ],
    [
      `${at}: form content type`,
      (f) => ({
        method,
        url: urlOf(template, f),
        raw: 'displayName=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      { status: 415 },
    ],
    [
      `${at}: body over 1 MiB`,
      (f) => ({
        method,
        url: urlOf(template, f),
        body: { ...(good(f) as object), padding: 'p'.repeat(1024 * 1024 + 1) },
      }),
      { status: 413 },
    ],
  );
}
