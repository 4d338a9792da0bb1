import {
  DOWNLOAD_EXPIRATION_MINUTES_DEFAULT,
  VIDEO_STREAM_EXPIRATION_MINUTES_DEFAULT,
  type ContentDisposition,
  type DownloadUrl,
} from '../../contract/index.ts';
import { ApiError } from '../errors.ts';
import { hmac, safeEqual } from '../secrets.ts';
import type { FileRow } from '../stores/schema.ts';
import type { FileService } from './file-service.ts';
import { assetOf, assetsOf } from './processing/assets.ts';
import { assetBlob, originalBlob, type ServedBlob } from './served-blob.ts';

/** The original's asset key; renditions have theirs (`preview`, `480p.mp4`, `mp3`...) once processed. */
const SOURCE_ASSET = 'src';
/** Streamed, not downloaded: `generate-video-stream-url` gives its URL. */
const STREAM_ONLY_ASSETS = new Set(['hls']);

/**
 * Unix seconds as the URLs carry them: decimal digits, no sign, point, exponent, space, hex prefix or leading
 * zero. `Number()` reads all of those, and each would be another spelling of a signed value.
 */
const UNIX_SECONDS = /^[1-9][0-9]{0,15}$/;

function parseExp(text: string | undefined): number | undefined {
  if (text === undefined || !UNIX_SECONDS.test(text)) return undefined;
  const exp = Number(text);
  return Number.isSafeInteger(exp) ? exp : undefined;
}

/**
 * The signed text of a download URL: one text per tuple of fields. Joined with `\n`, fields holding a `\n` (a
 * `downloadFileName` may) could be split another way, name `a\nb` with redirect `c` reading as name `a` with
 * redirect `b\nc`. Such tuples are signed as a JSON array under another prefix instead; tuples without a
 * newline keep the joined text (which splits one way only), so URLs handed out before stay valid.
 */
export function downloadPayload(d: SignedDownload): string {
  const fields = [d.fileId, d.asset, String(d.exp), d.disposition, d.name, d.redirect];
  if (fields.some((field) => field.includes('\n'))) return `download/json:${JSON.stringify(fields)}`;
  return ['download', ...fields].join('\n');
}

/** The asset keys a file can be downloaded as. */
export function downloadableAssetKeys(file: Pick<FileRow, 'assets'>): string[] {
  return [SOURCE_ASSET, ...Object.keys(assetsOf(file)).filter((key) => !STREAM_ONLY_ASSETS.has(key))];
}

/**
 * The signature of a private file's thumbnail URL: a capability that does not expire ("`thumbnailUrl` is
 * present for private files too"), made and checked with the server's secret.
 */
export function thumbnailSignature(secret: string, fileId: string): string {
  return hmac(secret, ['thumbnail', fileId].join('\n'));
}

/** A rendition's file name: the original's base name, the asset key and the rendition's extension. */
function downloadNameOf(file: FileRow, assetKey: string): string {
  if (assetKey === SOURCE_ASSET) return file.display_name;
  const asset = assetOf(assetsOf(file), assetKey);
  const dot = file.display_name.lastIndexOf('.');
  const base = dot > 0 ? file.display_name.slice(0, dot) : file.display_name;
  const ext = asset ? (asset.key.split('/').at(-1)?.split('.').at(-1) ?? '') : '';
  const label = assetKey.replace(/\.[a-z0-9]+$/, '');
  return `${base} (${label})${ext ? `.${ext}` : ''}`;
}

export interface VideoStreamRequest {
  fileId: string;
  format?: 'HLS' | 'DASH' | undefined;
  expirationInMinutes?: number | undefined;
}

export interface DownloadUrlRequest {
  fileId: string;
  downloadFileName?: string | undefined;
  expirationInMinutes?: number | undefined;
  expirationRedirectUrl?: string | undefined;
  assetKeys?: string[] | undefined;
  contentDisposition?: ContentDisposition | undefined;
}

/** The signed fields of a download URL, in the order they are signed. */
export interface SignedDownload {
  fileId: string;
  asset: string;
  /** Unix seconds. */
  exp: number;
  disposition: 'attachment' | 'inline';
  name: string;
  redirect: string;
}

export type DownloadCheck =
  | { ok: true; download: SignedDownload; file: FileRow; blob: ServedBlob }
  | { ok: false; reason: 'expired'; redirect: string }
  | { ok: false; reason: 'invalid' };

/**
 * Signed, expiring download URLs: `/download/v1/<fileId>?asset=&exp=&disp=&name=&redirect=&sig=`. The
 * signature is an HMAC over every field, so none can be changed; a tampered URL answers 403 and an expired one
 * 403 or a redirect to `expirationRedirectUrl`.
 */
export class DownloadService {
  constructor(
    private readonly files: FileService,
    private readonly secret: string,
    private readonly publicUrl: string,
  ) {}

  private signatureOf(d: SignedDownload): string {
    return hmac(this.secret, downloadPayload(d));
  }

  async generateFileDownloadUrls(request: DownloadUrlRequest): Promise<{ downloadUrls: DownloadUrl[] }> {
    const file = await this.files.row(request.fileId);
    const assetKeys = request.assetKeys && request.assetKeys.length > 0 ? request.assetKeys : [SOURCE_ASSET];
    const available = downloadableAssetKeys(file);
    const unknown = assetKeys.filter((key) => !available.includes(key));
    if (unknown.length > 0) {
      const streamed = unknown.some((key) => STREAM_ONLY_ASSETS.has(key));
      throw new ApiError(
        'INVALID_ASSET_KEY',
        `Unknown asset key(s) for this file: ${unknown.join(', ')}` +
          (streamed ? ' (HLS is streamed: use generate-video-stream-url)' : ''),
        { assetKeys: unknown, available },
      );
    }
    const minutes = request.expirationInMinutes ?? DOWNLOAD_EXPIRATION_MINUTES_DEFAULT;
    const exp = Math.floor(Date.now() / 1000) + minutes * 60;
    const downloadUrls = [...new Set(assetKeys)].map((asset) => {
      const signed: SignedDownload = {
        fileId: file.id,
        asset,
        exp,
        disposition: request.contentDisposition === 'INLINE' ? 'inline' : 'attachment',
        name: request.downloadFileName ?? downloadNameOf(file, asset),
        redirect: request.expirationRedirectUrl ?? '',
      };
      const query = new URLSearchParams({
        asset: signed.asset,
        exp: String(signed.exp),
        disp: signed.disposition,
        name: signed.name,
      });
      if (signed.redirect) query.set('redirect', signed.redirect);
      query.set('sig', this.signatureOf(signed));
      return {
        url: `${this.publicUrl}/download/v1/${encodeURIComponent(file.id)}?${query.toString()}`,
        assetKey: asset,
      };
    });
    return { downloadUrls };
  }

  /** Checks a download URL's signature and expiry. Signature first: an expired forgery is just a forgery. */
  async check(fileId: string, query: Record<string, string | undefined>): Promise<DownloadCheck> {
    const exp = parseExp(query.exp);
    const disposition = query.disp;
    if (
      !query.sig ||
      !query.asset ||
      exp === undefined ||
      (disposition !== 'attachment' && disposition !== 'inline')
    ) {
      return { ok: false, reason: 'invalid' };
    }
    const download: SignedDownload = {
      fileId,
      asset: query.asset,
      exp,
      disposition,
      name: query.name ?? '',
      redirect: query.redirect ?? '',
    };
    if (!safeEqual(query.sig, this.signatureOf(download))) return { ok: false, reason: 'invalid' };
    if (exp * 1000 <= Date.now()) return { ok: false, reason: 'expired', redirect: download.redirect };
    const file = await this.files.row(fileId);
    if (download.asset === SOURCE_ASSET) return { ok: true, download, file, blob: originalBlob(file) };
    const asset = STREAM_ONLY_ASSETS.has(download.asset)
      ? undefined
      : assetOf(assetsOf(file), download.asset);
    if (!asset) throw new ApiError('RESOURCE_NOT_FOUND', `File ${file.id} has no asset ${download.asset}`);
    return { ok: true, download, file, blob: assetBlob(file, download.asset, asset) };
  }

  /** Unambiguous as joined: `exp` is the last field and never holds a newline. */
  private streamSignature(fileId: string, exp: number): string {
    return hmac(this.secret, ['stream', fileId, exp].join('\n'));
  }

  /**
   * `generate-video-stream-url`: a signed, expiring URL of the file's HLS playlist. The signature is a path
   * segment, so the playlist's relative segment URLs carry it too: every segment request is checked.
   */
  async generateVideoStreamUrl(request: VideoStreamRequest): Promise<{ downloadUrl: DownloadUrl }> {
    if (request.format === 'DASH') {
      throw new ApiError('INVALID_ARGUMENT', 'Only HLS streams are offered; ask for format HLS');
    }
    const file = await this.files.row(request.fileId);
    if (file.media_type !== 'VIDEO') {
      throw new ApiError('FAILED_PRECONDITION', `File ${file.id} is not a video`);
    }
    if (!assetsOf(file).hls) {
      throw new ApiError(
        'FAILED_PRECONDITION',
        file.operation_status === 'PENDING'
          ? `Video ${file.id} is still being processed`
          : `Video ${file.id} has no stream (operationStatus ${file.operation_status})`,
        { operationStatus: file.operation_status },
      );
    }
    const minutes = request.expirationInMinutes ?? VIDEO_STREAM_EXPIRATION_MINUTES_DEFAULT;
    const exp = Math.floor(Date.now() / 1000) + minutes * 60;
    const sig = this.streamSignature(file.id, exp);
    return {
      downloadUrl: {
        url: `${this.publicUrl}/stream/v1/${encodeURIComponent(file.id)}/${exp}/${sig}/index.m3u8`,
        assetKey: 'hls',
      },
    };
  }

  /** Checks a stream URL's signature, then its expiry; resolves with the file. */
  async checkStream(fileId: string, expText: string, sig: string): Promise<FileRow> {
    const exp = parseExp(expText);
    if (exp === undefined || !safeEqual(sig, this.streamSignature(fileId, exp))) {
      throw new ApiError('PERMISSION_DENIED', 'This stream link is not valid');
    }
    if (exp * 1000 <= Date.now()) throw new ApiError('PERMISSION_DENIED', 'This stream link has expired');
    return this.files.row(fileId);
  }
}
