// Wix's official SDK against the real server (see testing/sdk.ts): resumable uploads (tus-js-client) and imports.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Upload as TusUpload } from 'tus-js-client';
import { describe, expect, it } from 'vitest';
import { PNG_1X1, local, must, restartSdkServer, tick, useSdkServer, type Wix } from '../testing/sdk.ts';

let wix: Wix;
useSdkServer((s) => (wix = s.wix));

describe('resumable uploads and imports through the SDK', () => {
  it('generateFileResumableUploadUrl, then tus-js-client and the finalize call', async () => {
    const answer = await wix.files.generateFileResumableUploadUrl('image/png', {
      fileName: 'tus.png',
      uploadProtocol: 'TUS',
      sizeInBytes: String(PNG_1X1.length),
    });
    expect(answer.uploadProtocol).toBe('TUS');
    const endpoint = local(must(answer.uploadUrl));
    const token = must(answer.uploadToken);
    await new Promise<void>((resolve, reject) => {
      new TusUpload(PNG_1X1, {
        endpoint,
        metadata: { token, filename: 'tus.png' },
        retryDelays: null,
        onError: reject,
        onSuccess: () => resolve(),
      }).start();
    });
    const response = await fetch(`${endpoint}/${token}`, { method: 'PUT' });
    expect(response.status).toBe(200);
    const { file } = (await response.json()) as { file: { id: string } };
    const got = await wix.files.getFileDescriptor(file.id);
    expect(got).toMatchObject({ _id: file.id, displayName: 'tus.png', mediaType: 'IMAGE' });
  });

  it('importFile, bulkImportFiles and bulkImportFile from a source on the allow-list', async () => {
    const source = http.createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG_1X1);
    });
    await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
    const sourceHost = `127.0.0.1:${(source.address() as AddressInfo).port}`;
    try {
      await restartSdkServer({ importAllowHosts: [sourceHost] });

      const { file } = await wix.files.importFile(`http://${sourceHost}/pictures/cat.png`, {
        displayName: 'cat.png',
        mimeType: 'image/png',
      });
      expect(file).toMatchObject({ displayName: 'cat.png', operationStatus: 'PENDING' });
      const id = must(file?._id);

      const bulk = await wix.files.bulkImportFiles([
        { url: `http://${sourceHost}/a.png` },
        { url: `http://${sourceHost}/b.png` },
      ]);
      expect(bulk.files?.map((f) => f.displayName)).toEqual(['a.png', 'b.png']);

      const v2 = await wix.files.bulkImportFile([{ url: `http://${sourceHost}/c.png` }], {
        returnEntity: true,
      });
      expect(v2.bulkActionMetadata).toMatchObject({ totalSuccesses: 1, totalFailures: 0 });
      expect(v2.results?.[0]?.item?.displayName).toBe('c.png');

      for (const fileId of [id, ...(bulk.files ?? []).map((f) => must(f._id))]) {
        for (let i = 0; ; i++) {
          const current = await wix.files.getFileDescriptor(fileId);
          if (current.operationStatus === 'READY') break;
          expect(i).toBeLessThan(500);
          await tick(10);
        }
      }
    } finally {
      source.closeAllConnections();
      await new Promise((resolve) => source.close(resolve));
    }
  });
});
