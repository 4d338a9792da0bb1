import type { Readable } from 'node:stream';
import type { BlobStore, ByteRange } from '../blobs/blob-store.ts';
import { ApiError } from '../errors.ts';
import { safeEqual } from '../secrets.ts';
import type { FileRow } from '../stores/schema.ts';
import { thumbnailSignature, type DownloadCheck } from './download-service.ts';
import type { FileService } from './file-service.ts';
import { assetOf, assetsOf } from './processing/assets.ts';
import { assetBlob, originalBlob, type ServedBlob } from './served-blob.ts';

/** The longest a presigned S3 URL may live (SigV4). */
const PRESIGNED_MAX_SECONDS = 7 * 24 * 3600;

/** HLS segments as ffmpeg names them; anything else under a stream is not ours. */
const HLS_PART = /^(index\.m3u8|segment-\d{4,}\.ts)$/;

/** A blob to serve, and the file it belongs to (for its name and privacy). */
export interface MediaBlob {
  file: FileRow;
  blob: ServedBlob;
}

/**
 * What the media routes serve: which blob a public URL, a rendition URL or a stream part stands for (and who
 * may read it), and its bytes. The routes keep only HTTP (ranges, headers); the bytes come from here, so that
 * no route holds the blob store.
 */
export class MediaService {
  constructor(
    private readonly files: FileService,
    private readonly blobs: BlobStore,
    private readonly secret: string,
    private readonly options: { redirectDownloads?: boolean } = {},
  ) {}

  /** A public file's original, for `/media/<id>`. */
  async publicOriginal(fileId: string): Promise<MediaBlob> {
    const file = await this.publicFile(fileId);
    return { file, blob: originalBlob(file) };
  }

  /**
   * A rendition, for `/media/<id>/<assetKey>`. A private file's thumbnail is shown through its signed
   * `thumbnailUrl` (a capability that does not expire); its other renditions only through signed download URLs.
   */
  async rendition(fileId: string, assetKey: string, sig: unknown): Promise<MediaBlob> {
    const file = await this.files.row(fileId);
    const signed =
      assetKey === 'thumbnail' &&
      typeof sig === 'string' &&
      safeEqual(sig, thumbnailSignature(this.secret, file.id));
    if (file.private === 1 && !signed) throw new ApiError('PERMISSION_DENIED', 'This file is private');
    const asset = assetKey === 'hls' ? undefined : assetOf(assetsOf(file), assetKey);
    if (!asset) throw new ApiError('RESOURCE_NOT_FOUND', `File ${file.id} has no asset ${assetKey}`);
    return { file, blob: assetBlob(file, assetKey, asset) };
  }

  /** A public video's stream part, for `/media/<id>/hls/<part>`. */
  async publicHlsPart(fileId: string, part: string): Promise<ServedBlob> {
    return this.hlsPart(await this.publicFile(fileId), part);
  }

  /** One file of a video's HLS stream: its playlist or a segment. */
  async hlsPart(file: FileRow, part: string): Promise<ServedBlob> {
    const hls = assetsOf(file).hls;
    if (!hls?.files || !HLS_PART.test(part) || !hls.files.includes(part)) {
      throw new ApiError('RESOURCE_NOT_FOUND', `Video ${file.id} has no stream part ${part}`);
    }
    const size = part === hls.files[0] ? hls.size : await this.blobs.size(`${hls.key}${part}`);
    if (size === undefined) throw new ApiError('RESOURCE_NOT_FOUND', `The stream part ${part} is missing`);
    const mimeType = part.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t';
    return assetBlob(file, 'hls', hls, { name: part, size, mimeType });
  }

  /** The bytes of a blob (or of one range of it); undefined when they are missing from the blob store. */
  async open(blob: ServedBlob, range: ByteRange | undefined): Promise<Readable | undefined> {
    try {
      return await this.blobs.get(blob.key, range);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return undefined;
    }
  }

  /**
   * Where to send a checked download instead of proxying it: the blob store's own presigned URL, when the
   * settings ask for redirects and the store can presign (S3). The signature and expiry were checked exactly as
   * for a proxied download; the store's URL lives no longer than the signed one had left (S3 caps presigned
   * URLs at 7 days).
   */
  async presignedDownloadUrl(check: Extract<DownloadCheck, { ok: true }>): Promise<string | undefined> {
    if (!this.options.redirectDownloads || !this.blobs.presignedUrl) return undefined;
    const remaining = check.download.exp - Math.floor(Date.now() / 1000);
    return this.blobs.presignedUrl(check.blob.key, {
      expiresInSeconds: Math.max(1, Math.min(remaining, PRESIGNED_MAX_SECONDS)),
      fileName: check.download.name,
      contentType: check.blob.mimeType,
      disposition: check.download.disposition,
    });
  }

  // "A private file's `url` and per-asset urls answer 403"; it is read only through signed URLs.
  private async publicFile(fileId: string): Promise<FileRow> {
    const file = await this.files.row(fileId);
    if (file.private === 1) throw new ApiError('PERMISSION_DENIED', 'This file is private');
    return file;
  }
}
