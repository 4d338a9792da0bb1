import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBlobStore, failingSource, readAll, sourceOf } from './blob-store.contract.ts';
import { DiskBlobStore } from './disk-blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';

// The S3 store runs against a real S3 API when one is configured, e.g. the throwaway Swift of
// `scripts/services/swift.sh start` with `set -a; eval "$(scripts/services/swift.sh env)"; set +a`.
const env = process.env;
const s3Configured = Boolean(env.S3_ENDPOINT);

function makeS3Store(): S3BlobStore {
  return new S3BlobStore({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION || 'us-east-1',
    bucket: env.S3_BUCKET || 'smm-test',
    ...(env.S3_ACCESS_KEY && {
      credentials: { accessKeyId: env.S3_ACCESS_KEY, secretAccessKey: env.S3_SECRET_KEY ?? '' },
    }),
    forcePathStyle: env.S3_FORCE_PATH_STYLE !== 'false',
    // Test runs share the bucket: each keeps to its own prefix.
    keyPrefix: `test-${randomBytes(6).toString('hex')}/`,
  });
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'blob-store-'));
}

describeBlobStore('DiskBlobStore', async () => {
  const root = tempDir();
  return {
    store: new DiskBlobStore(root),
    close: async () => fs.rmSync(root, { recursive: true, force: true }),
  };
});

describe('DiskBlobStore only', () => {
  const root = tempDir();
  const store = new DiskBlobStore(root);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  // /dev/shm is a tmpfs on Linux: another filesystem than the temp directory, so a hard link fails with EXDEV.
  const shm = '/dev/shm';
  const otherDevice = fs.existsSync(shm) && fs.statSync(shm).dev !== fs.statSync(root).dev;
  it.skipIf(!otherDevice)('putFile copies across filesystems (EXDEV) and leaves the source', async () => {
    const file = path.join(shm, `blob-store-${randomBytes(6).toString('hex')}`);
    fs.writeFileSync(file, 'from another filesystem');
    expect(await store.putFile('cross/device', file)).toBe(23);
    expect(fs.existsSync(file)).toBe(true);
    fs.rmSync(file);
    expect((await readAll(await store.get('cross/device'))).toString()).toBe('from another filesystem');
    expect(fs.readdirSync(path.join(root, '.tmp'))).toEqual([]);
  });

  it('putFile on the same filesystem is a hard link: no byte copied', async () => {
    const file = path.join(root, 'local-source');
    fs.writeFileSync(file, 'linked');
    await store.putFile('same/device', file);
    expect(fs.statSync(file).nlink).toBe(2);
    fs.rmSync(file);
    expect((await readAll(await store.get('same/device'))).toString()).toBe('linked');
  });

  it('lists every blob from the root, leaving out writes under way (the temp area)', async () => {
    const unfinished = path.join(root, '.tmp', 'unfinished.part');
    fs.writeFileSync(unfinished, 'half');
    try {
      await store.put('listed/blob', sourceOf(Buffer.from('x')));
      const keys: string[] = [];
      for await (const entry of store.list('')) keys.push(entry.key);
      expect(keys).toContain('listed/blob');
      expect(keys.some((key) => key.includes('.tmp') || key.includes('unfinished'))).toBe(false);
    } finally {
      fs.rmSync(unfinished);
    }
  });

  it('leaves no temp file when the source fails', async () => {
    await expect(store.put('failed', failingSource(randomBytes(1024)))).rejects.toThrow('client went away');
    expect(fs.readdirSync(path.join(root, '.tmp'))).toEqual([]);
  });
});

describe.skipIf(!s3Configured)('S3BlobStore', () => {
  describeBlobStore('contract', async () => {
    const store = makeS3Store();
    await store.ensureBucket();
    return { store, close: async () => store.destroy() };
  });

  describe('S3 only', () => {
    let store: S3BlobStore;
    const data = randomBytes(300_000);

    beforeAll(async () => {
      store = makeS3Store();
      await store.ensureBucket();
      // Twice: an existing bucket is fine.
      await store.ensureBucket();
      await store.put('presigned/file', sourceOf(data));
    });

    afterAll(async () => {
      await store.delete(['presigned/file', 'aborted/file']);
      store.destroy();
    });

    it('hands out presigned URLs that serve the bytes, ranges and the asked-for headers', async () => {
      const url = await store.presignedUrl('presigned/file', {
        expiresInSeconds: 60,
        fileName: 'Résumé 2024.pdf',
        contentType: 'application/pdf',
        disposition: 'attachment',
      });
      const whole = await fetch(url);
      expect(whole.status).toBe(200);
      expect(Buffer.from(await whole.arrayBuffer()).equals(data)).toBe(true);
      expect(whole.headers.get('content-type')).toBe('application/pdf');
      expect(whole.headers.get('content-disposition')).toBe(
        `attachment; filename="Resume 2024.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%202024.pdf`,
      );

      const part = await fetch(url, { headers: { Range: 'bytes=100-199' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 100-199/${data.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(100, 200))).toBe(true);
    });

    it('presigned URLs stop working once they expire', async () => {
      const url = await store.presignedUrl('presigned/file', { expiresInSeconds: 1 });
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect((await fetch(url)).status).toBe(403);
    });

    it('aborts the multipart upload of a failed put: no parts left over', async () => {
      await expect(store.put('aborted/file', failingSource(randomBytes(18 * 1024 * 1024)))).rejects.toThrow(
        'client went away',
      );
      const uploads = await store.client.send(
        new ListMultipartUploadsCommand({ Bucket: env.S3_BUCKET || 'smm-test' }),
      );
      const ours = (uploads.Uploads ?? []).filter((upload) => upload.Key?.endsWith('aborted/file'));
      expect(ours).toEqual([]);
    }, 60_000);
  });
});
