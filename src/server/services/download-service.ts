import {
  DOWNLOAD_EXPIRATION_MINUTES_DEFAULT,
  type ContentDisposition,
  type DownloadUrl,
} from '../../contract/index.ts';
import { ApiError } from '../errors.ts';
import { hmac, safeEqual } from '../secrets.ts';
import type { FileRow } from '../stores/schema.ts';
import type { FileService } from './file-service.ts';

/** Asset keys a file can be downloaded as. Renditions come with media processing. */
const ASSET_KEYS = ['src'] as const;

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
  | { ok: true; download: SignedDownload; file: FileRow }
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
    return hmac(
      this.secret,
      ['download', d.fileId, d.asset, d.exp, d.disposition, d.name, d.redirect].join('\n'),
    );
  }

  async generateFileDownloadUrls(request: DownloadUrlRequest): Promise<{ downloadUrls: DownloadUrl[] }> {
    const file = await this.files.row(request.fileId);
    const assetKeys = request.assetKeys && request.assetKeys.length > 0 ? request.assetKeys : ['src'];
    const unknown = assetKeys.filter((key) => !(ASSET_KEYS as readonly string[]).includes(key));
    if (unknown.length > 0) {
      throw new ApiError('INVALID_ASSET_KEY', `Unknown asset key(s): ${unknown.join(', ')}`, {
        assetKeys: unknown,
        available: [...ASSET_KEYS],
      });
    }
    const minutes = request.expirationInMinutes ?? DOWNLOAD_EXPIRATION_MINUTES_DEFAULT;
    const exp = Math.floor(Date.now() / 1000) + minutes * 60;
    const downloadUrls = [...new Set(assetKeys)].map((asset) => {
      const signed: SignedDownload = {
        fileId: file.id,
        asset,
        exp,
        disposition: request.contentDisposition === 'INLINE' ? 'inline' : 'attachment',
        name: request.downloadFileName ?? file.display_name,
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
    const exp = Number(query.exp);
    const disposition = query.disp;
    if (
      !query.sig ||
      !query.asset ||
      !Number.isSafeInteger(exp) ||
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
    return { ok: true, download, file };
  }
}
