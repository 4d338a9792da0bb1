import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import { NodeRequest, sendNodeResponse } from 'srvx/node';
import { afterEach, describe, expect, it } from 'vitest';
import { adaptedVersions, PINNED, streamBodiesFromNode } from './node-bodies.ts';

/**
 * The version pin of `node-bodies.ts`, which replaces private methods of @tus/server's handlers: these fail,
 * and say why, when @tus/server or srvx is upgraded or the bodies stop reaching the store as Node streams.
 */
describe('tus-node-bodies', () => {
  let dir = '';
  let server: http.Server | undefined;

  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is the @tus/server and srvx it was written for (upgrading either: re-check the adapter, then PINNED)', () => {
    const versions = adaptedVersions();
    expect(versions.tusServer.startsWith(PINNED.tusServer), `@tus/server ${versions.tusServer}`).toBe(true);
    expect(versions.srvx.startsWith(PINNED.srvx), `srvx ${versions.srvx}`).toBe(true);
  });

  it('hands PATCH and creation-with-upload bodies to the store without the web-stream round trip', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-tus-bodies-'));
    const seen: string[] = [];
    class RecordingStore extends FileStore {
      override write(readable: Readable, id: string, offset: number): Promise<number> {
        seen.push(readable.constructor.name);
        return super.write(readable, id, offset);
      }
    }
    const tus = new Server({ path: '/files', datastore: new RecordingStore({ directory: dir }) });
    streamBodiesFromNode(tus);
    server = http.createServer((req, res) => {
      void tus.handleWeb(new NodeRequest({ req, res })).then((response) => sendNodeResponse(res, response));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const headers = { 'Tus-Resumable': '1.0.0', 'Content-Type': 'application/offset+octet-stream' };
    const created = await fetch(`${base}/files`, {
      method: 'POST',
      headers: { ...headers, 'Upload-Length': '10' },
      body: 'hello',
    });
    expect(created.status).toBe(201);
    const location = new URL(created.headers.get('location')!, base).href;
    const patched = await fetch(location, {
      method: 'PATCH',
      headers: { ...headers, 'Upload-Offset': '5' },
      body: 'world',
    });
    expect(patched.status).toBe(204);
    expect(patched.headers.get('upload-offset')).toBe('10');
    // The adapter's own stream, not @tus/server's PassThrough over `Readable.fromWeb`.
    expect(seen).toEqual(['LimitedBody', 'LimitedBody']);
    expect(fs.readFileSync(path.join(dir, new URL(location).pathname.split('/').pop()!), 'utf8')).toBe(
      'helloworld',
    );
  });
});
