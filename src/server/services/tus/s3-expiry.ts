import { ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { TusUploadStore } from '../../stores/tus-upload-store.ts';
import type { TusLeftover } from './leftovers.ts';
import type { S3Objects } from './s3-objects.ts';

/** What the expiry of S3 uploads works on: the bucket's objects, the uploads' rows, where blobs live. */
export interface ExpiryPlace {
  objects: S3Objects;
  uploads: TusUploadStore;
  /** Prepended to the blob keys (an upload's multipart upload is at its file's blob key). */
  blobPrefix: string;
}

/**
 * Uploads older than the expiry (created before `before`) as of `now`, whatever is left of them: a row created before it; under the
 * prefix, a multipart upload initiated before it or objects written before it (an upload's objects are all
 * written after its creation, so they are at least as old as the upload).
 */
export async function findLeftovers(place: ExpiryPlace, before: number, now: number): Promise<TusLeftover[]> {
  const { objects, uploads, blobPrefix } = place;
  const { client, bucket, prefix } = objects;
  const found = new Map<string, TusLeftover>();
  const add = (id: string, reason: string, more: Partial<TusLeftover> = {}) => {
    const known = found.get(id);
    if (!known) found.set(id, { id, reason, ...more });
    else Object.assign(known, more);
  };
  // The oldest 10,000 at most: a later cleanup takes the rest.
  for (const row of await uploads.createdBefore(new Date(before).toISOString(), 10_000)) {
    add(row.id, `not finalized, expired (created ${row.createdAt})`, {
      uploadId: row.multipartId,
      key: blobPrefix + row.blobKey,
    });
  }

  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListMultipartUploadsCommand({
        Bucket: bucket,
        Prefix: prefix,
        KeyMarker: keyMarker,
        UploadIdMarker: uploadIdMarker,
      }),
    );
    for (const upload of page.Uploads ?? []) {
      if (!upload.Key?.startsWith(prefix) || !upload.UploadId) continue;
      const initiated = upload.Initiated?.getTime() ?? now;
      if (initiated < before) {
        const when = new Date(initiated).toISOString();
        add(upload.Key.slice(prefix.length), `unfinished, expired (started ${when})`, {
          uploadId: upload.UploadId,
          key: upload.Key,
        });
      }
    }
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
  let token: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (!object.Key?.startsWith(prefix)) continue;
      const written = object.LastModified?.getTime() ?? now;
      if (written >= before) continue;
      const id = object.Key.slice(prefix.length).replace(/(\.p\d+)?\.(info|part)$/, '');
      add(id, `not finalized, expired (written ${new Date(written).toISOString()})`);
    }
    if (!page.IsTruncated) break;
    token = page.NextContinuationToken;
  }
  return [...found.values()];
}

/** Removes what `findLeftovers` found: aborts their multipart uploads, deletes their objects and rows. */
export async function removeLeftovers(place: ExpiryPlace, leftovers: readonly TusLeftover[]): Promise<void> {
  const { objects, uploads } = place;
  for (const { id, uploadId, key } of leftovers) {
    if (uploadId !== undefined && key !== undefined) await objects.abort(key, uploadId).catch(() => {});
    await objects.deleteKeys([objects.prefix + id, ...(await objects.keysOf(id))]);
    await uploads.delete(id);
  }
}
