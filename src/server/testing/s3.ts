import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PartBuffers } from '../blobs/part-buffers.ts';
import { s3ClientConfig } from '../blobs/s3-blob-store.ts';

/** The S3 API the suites run against when one is configured (`npm run test:scaled` sets it). */
export const testS3 = {
  endpoint: process.env.S3_ENDPOINT,
  bucket: process.env.S3_BUCKET || 'smm-test',
};

/** A client of that S3 API, set up as the server sets up its own. */
export function testS3Client(): S3Client {
  const env = process.env;
  return new S3Client(
    s3ClientConfig({
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION || 'us-east-1',
      ...(env.S3_ACCESS_KEY && {
        credentials: { accessKeyId: env.S3_ACCESS_KEY, secretAccessKey: env.S3_SECRET_KEY ?? '' },
      }),
      forcePathStyle: env.S3_FORCE_PATH_STYLE !== 'false',
    }),
  );
}

/** The bytes of an object. */
export async function objectBytes(client: S3Client, key: string): Promise<Buffer> {
  const answer = await client.send(new GetObjectCommand({ Bucket: testS3.bucket, Key: key }));
  return Buffer.from(await answer.Body!.transformToByteArray());
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A body that comes in chunks of `chunkBytes` (64 KiB by default, as a request's does). */
export function bodyOf(bytes: Buffer, chunkBytes = 64 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) chunks.push(bytes.subarray(at, at + chunkBytes));
  return Readable.from(chunks, { objectMode: false });
}

/** Part buffers that count how many are taken and not given back yet, and the most at once. */
export class CountingPartBuffers extends PartBuffers {
  inUse = 0;
  mostInUse = 0;

  override take(length: number): Buffer {
    if (length > 0) this.mostInUse = Math.max(this.mostInUse, ++this.inUse);
    return super.take(length);
  }

  override give(buffer: Buffer): void {
    this.inUse--;
    super.give(buffer);
  }
}
