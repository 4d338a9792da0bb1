import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3ServiceException,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** Largest range of one UploadPartCopy (S3 takes up to 5 GiB). */
const COPY_PART = 1024 * 1024 * 1024;

/**
 * The tus S3 store's requests on whole objects and multipart uploads, apart from its PATCHes' parts
 * (`s3-parts.ts`): server-side copy, hashing a blob back, aborting, listing and deleting an upload's objects.
 */
export class S3Objects {
  constructor(
    readonly client: S3Client,
    readonly bucket: string,
    /** Where the uploads' pending parts live (`<S3_KEY_PREFIX>tus/`). */
    readonly prefix: string,
  ) {}

  /** Server-side copy (UploadPartCopy, so any size), then removes the source. */
  async copy(from: string, to: string, size: number): Promise<void> {
    const created = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: to }),
    );
    const uploadId = created.UploadId!;
    try {
      const parts: Array<{ PartNumber: number; ETag: string }> = [];
      for (let start = 0, n = 1; start < size; start += COPY_PART, n++) {
        const end = Math.min(size, start + COPY_PART) - 1;
        const copied = await this.client.send(
          new UploadPartCopyCommand({
            Bucket: this.bucket,
            Key: to,
            UploadId: uploadId,
            PartNumber: n,
            CopySource: encodeURI(`${this.bucket}/${from}`),
            CopySourceRange: `bytes=${start}-${end}`,
          }),
        );
        parts.push({ PartNumber: n, ETag: copied.CopyPartResult!.ETag! });
      }
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: to,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    } catch (error) {
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: to, UploadId: uploadId }))
        .catch(() => {});
      throw error;
    }
    await this.deleteKeys([from]);
  }

  /** The SHA-256 of an object, read back. */
  async hash(objectKey: string): Promise<string> {
    const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
    if (!(answer.Body instanceof Readable)) throw new Error('S3 GetObject returned no stream');
    const hash = createHash('sha256');
    for await (const chunk of answer.Body as AsyncIterable<Buffer>) hash.update(chunk);
    return hash.digest('hex');
  }

  async abort(key: string, uploadId: string): Promise<void> {
    await this.client
      .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }))
      .catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
  }

  /** Objects under the prefix that belong to an upload (its pending parts; `.info` of the older store). */
  async keysOf(id: string): Promise<string[]> {
    const page = await this.client.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + id }),
    );
    return (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
  }

  async deleteKeys(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.client.send(
      new DeleteObjectsCommand({
        Bucket: this.bucket,
        Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
      }),
    );
  }
}

/** A missing object or multipart upload, as S3 and its lookalikes say it. */
export function isNotFound(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return (
    ['NoSuchKey', 'NoSuchUpload', 'NotFound'].includes(error.name) || error.$metadata.httpStatusCode === 404
  );
}
