import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApplicationErrorBody } from '../../contract/index.ts';
import { listen, rebase } from '../testing/helpers.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const TUS = { 'Tus-Resumable': '1.0.0' };
const UNKNOWN = '0123456789abcdef0123456789abcdef';

/** Every tus error answer carries the contract's JSON error body, with the status tus clients read. */
describe('tus error answers', () => {
  let t: TestApp;
  let endpoint: string;
  let uploadUrl: string;

  beforeEach(async () => {
    t = await createTestApp();
    const base = await listen(t);
    const answer = await t.ok<{ uploadUrl: string; uploadToken: string }>(
      'POST',
      '/files/generate-resumable-upload-url',
      { mimeType: 'text/plain', fileName: 'e.txt' },
    );
    endpoint = rebase(answer.uploadUrl, base);
    const created = await fetch(endpoint, {
      method: 'POST',
      headers: {
        ...TUS,
        'Upload-Length': '10',
        'Upload-Metadata': `token ${Buffer.from(answer.uploadToken).toString('base64')}`,
      },
    });
    expect(created.status).toBe(201);
    uploadUrl = new URL(created.headers.get('location')!, endpoint).toString();
  });

  afterEach(async () => {
    await t.close();
  });

  async function expectJsonError(response: Response, status: number, code: string): Promise<void> {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    expect(response.headers.get('content-type'), text).toMatch(/^application\/json/);
    const body = JSON.parse(text) as ApplicationErrorBody;
    expect(Object.keys(body).sort()).toEqual(['details', 'message']);
    expect(typeof body.message).toBe('string');
    expect(body.details.applicationError.code, text).toBe(code);
    expect(body.details.applicationError.description).toBe(body.message);
    expect(body.details.applicationError.data).toEqual(expect.any(Object));
    // tus clients read the protocol version on errors too.
    expect(response.headers.get('tus-resumable')).toBe('1.0.0');
  }

  const bytes = { 'Content-Type': 'application/offset+octet-stream' };

  it('a PATCH at the wrong Upload-Offset: 409 FAILED_PRECONDITION', async () => {
    const response = await fetch(uploadUrl, {
      method: 'PATCH',
      headers: { ...TUS, ...bytes, 'Upload-Offset': '3' },
      body: 'abc',
    });
    await expectJsonError(response, 409, 'FAILED_PRECONDITION');
  });

  it('an unknown upload: 404 RESOURCE_NOT_FOUND (PATCH, DELETE)', async () => {
    await expectJsonError(
      await fetch(`${endpoint}/${UNKNOWN}`, {
        method: 'PATCH',
        headers: { ...TUS, ...bytes, 'Upload-Offset': '0' },
        body: 'abc',
      }),
      404,
      'RESOURCE_NOT_FOUND',
    );
    await expectJsonError(
      await fetch(`${endpoint}/${UNKNOWN}`, { method: 'DELETE', headers: TUS }),
      404,
      'RESOURCE_NOT_FOUND',
    );
  });

  it('an unknown upload: HEAD answers 404 with the JSON type (and no body, as HEAD has none)', async () => {
    const response = await fetch(`${endpoint}/${UNKNOWN}`, { method: 'HEAD', headers: TUS });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('a PATCH with the wrong Content-Type or a bad header: 400 INVALID_ARGUMENT', async () => {
    await expectJsonError(
      await fetch(uploadUrl, {
        method: 'PATCH',
        headers: { ...TUS, 'Content-Type': 'text/plain', 'Upload-Offset': '0' },
        body: 'abc',
      }),
      400,
      'INVALID_ARGUMENT',
    );
    await expectJsonError(
      await fetch(uploadUrl, {
        method: 'PATCH',
        headers: { ...TUS, ...bytes, 'Upload-Offset': 'x' },
        body: 'a',
      }),
      400,
      'INVALID_ARGUMENT',
    );
  });

  it('a request without Tus-Resumable, or another version: 412 FAILED_PRECONDITION', async () => {
    await expectJsonError(
      await fetch(uploadUrl, { method: 'PATCH', headers: { ...bytes, 'Upload-Offset': '0' }, body: 'a' }),
      412,
      'FAILED_PRECONDITION',
    );
    const other = await fetch(uploadUrl, {
      method: 'PATCH',
      headers: { 'Tus-Resumable': '0.2.2', ...bytes, 'Upload-Offset': '0' },
      body: 'a',
    });
    expect([400, 412]).toContain(other.status);
    await expectJsonError(
      other,
      other.status,
      other.status === 412 ? 'FAILED_PRECONDITION' : 'INVALID_ARGUMENT',
    );
  });

  it('an upload refused at creation (no token): 401 in JSON', async () => {
    await expectJsonError(
      await fetch(endpoint, { method: 'POST', headers: { ...TUS, 'Upload-Length': '10' } }),
      401,
      'UNAUTHENTICATED',
    );
  });
});
