import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Uppy from '@uppy/core';
import Tus from '@uppy/tus';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlainPutUploader } from './plain-put-uploader';

/**
 * The routing of small files to plain PUT and large ones to tus rests on one behaviour of `@uppy/tus` (and every
 * Uppy uploader): files already complete or failed are left alone. If an Uppy upgrade changes that, tus would
 * upload the small files a second time; these tests fail then.
 */
describe('PlainPutUploader before @uppy/tus', () => {
  let server: http.Server;
  let base = '';
  const seen: string[] = [];

  beforeEach(async () => {
    seen.length = 0;
    server = http.createServer((req, res) => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Methods', 'PUT, POST, PATCH, HEAD, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', '*');
      res.setHeader('Access-Control-Expose-Headers', '*');
      if (req.method === 'OPTIONS') return res.end();
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      req.on('end', () => {
        if (req.url === '/plain/refused') {
          res.statusCode = 413;
          res.end(JSON.stringify({ message: 'Too big for this site' }));
        } else if (req.url?.startsWith('/plain/')) {
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify({ file: { id: req.url.slice(7) } }));
        } else {
          res.statusCode = 500;
          res.end('tus was not meant to be called');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the files it accepts by PUT, and tus leaves them (done or failed) alone', async () => {
    const uppy = new Uppy<{ target: string }, { file?: { id: string } }>({ autoProceed: false });
    uppy.use(PlainPutUploader<{ target: string }, { file?: { id: string } }>, {
      accepts: (file) => (file.size ?? 0) <= 100,
      url: (file) => `${base}/plain/${file.meta.target}`,
      limit: 2,
      errorOf: (status, text) => new Error(`${status}: ${(JSON.parse(text) as { message: string }).message}`),
    });
    uppy.use(Tus, { endpoint: `${base}/tus`, retryDelays: [] });
    const ok = uppy.addFile({
      name: 'a.txt',
      type: 'text/plain',
      data: new Blob(['hello']),
      meta: { target: 'ok' },
    });
    const refused = uppy.addFile({
      name: 'b.txt',
      type: 'text/plain',
      data: new Blob(['world']),
      meta: { target: 'refused' },
    });
    const tusStarted: string[] = [];
    uppy.on('upload-start', (files) => {
      if (files.some((f) => f.id === ok || f.id === refused)) tusStarted.push('start');
    });
    await uppy.upload();
    expect(seen.sort()).toEqual(['PUT /plain/ok', 'PUT /plain/refused']);
    expect(uppy.getFile(ok).response?.body?.file?.id).toBe('ok');
    expect(uppy.getFile(ok).progress.uploadComplete).toBe(true);
    expect(uppy.getFile(refused).error).toBe('413: Too big for this site');
    // Our uploader's own upload-start only.
    expect(tusStarted).toEqual(['start']);
  });
});
