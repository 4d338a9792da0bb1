import { ApiError } from '../errors.ts';
import { hmac, randomToken, safeEqual } from '../secrets.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import type { FileRow } from '../stores/schema.ts';
import { SharingStore, type ShareLinkRow } from '../stores/sharing-store.ts';
import type { FileService } from './file-service.ts';
import { originalBlob, type ServedBlob } from './served-blob.ts';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** The expiries an owner picks from (a month is 30 days, a year 365). */
export const SHARE_EXPIRIES = {
  HOUR: HOUR_MS,
  DAY: DAY_MS,
  WEEK: 7 * DAY_MS,
  MONTH: 30 * DAY_MS,
  YEAR: 365 * DAY_MS,
} as const;
export type ShareExpiry = keyof typeof SHARE_EXPIRIES;

/** At most this many files per set-private request (as the contract's bulk endpoints). */
export const SET_PRIVATE_MAX = 1000;

/** A share link as the API answers it. */
export interface ShareLink {
  id: string;
  fileId: string;
  url: string;
  createdDate: string;
  expiresDate: string;
}

/** Why a share link does not work (`data.reason` of the 403), so a page or client can say so plainly. */
export type ShareRefusal = 'INVALID' | 'EXPIRED' | 'REVOKED' | 'TRASHED';

const REFUSALS: Record<ShareRefusal, string> = {
  INVALID: 'This share link is not valid',
  EXPIRED: 'This share link has expired',
  REVOKED: 'This share link was revoked, or its file was deleted',
  TRASHED: 'The file of this share link is in the trash',
};

export function shareRefusal(reason: ShareRefusal): ApiError {
  return new ApiError('PERMISSION_DENIED', REFUSALS[reason], { reason });
}

const UNIX_SECONDS = /^[1-9][0-9]{0,15}$/;
const LINK_ID = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Share links: `PUBLIC_URL/download/v1/share/<linkId>?exp=&sig=`, a download of a file's original under its
 * name, valid until its expiry unless revoked. Unlike the contract's signed download URLs (which stay valid
 * until they expire, whatever happens), a share link has a row: every use checks the HMAC first (a forgery
 * costs no query), then that the row still exists, so revoking (deleting the row) works at once on every
 * instance sharing the database. Links to a trashed file refuse while it is trashed; deleting the file forever
 * deletes its links.
 */
export class ShareService {
  private readonly sharing: SharingStore;
  /** The clock, in ms; tests replace it to reach an expiry. */
  now: () => number = Date.now;

  constructor(
    private readonly store: MetadataStore,
    private readonly files: FileService,
    private readonly secret: string,
    private readonly publicUrl: string,
  ) {
    this.sharing = new SharingStore(store);
  }

  private signatureOf(id: string, exp: number): string {
    return hmac(this.secret, ['share', id, String(exp)].join('\n'));
  }

  private toWire(row: ShareLinkRow): ShareLink {
    const exp = Math.floor(Date.parse(row.expires_at) / 1000);
    const query = new URLSearchParams({ exp: String(exp), sig: this.signatureOf(row.id, exp) });
    return {
      id: row.id,
      fileId: row.file_id,
      url: `${this.publicUrl}/download/v1/share/${row.id}?${query.toString()}`,
      createdDate: row.created_at,
      expiresDate: row.expires_at,
    };
  }

  async create(fileId: string, expiresIn: ShareExpiry): Promise<ShareLink> {
    const file = await this.files.row(fileId);
    if (file.state !== 'OK') {
      throw new ApiError('FAILED_PRECONDITION', `File ${file.id} is in the trash: restore it to share it`);
    }
    // Whole seconds: the URL carries the expiry in Unix seconds, and the row must say the same moment.
    const now = Math.floor(this.now() / 1000) * 1000;
    const row: ShareLinkRow = {
      id: randomToken(16),
      file_id: file.id,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + SHARE_EXPIRIES[expiresIn]).toISOString(),
    };
    await this.sharing.insert(row);
    return this.toWire(row);
  }

  async list(fileId: string): Promise<ShareLink[]> {
    const file = await this.files.row(fileId);
    const rows = await this.sharing.liveOf(file.id, new Date(this.now()).toISOString());
    return rows.map((row) => this.toWire(row));
  }

  async revoke(fileId: string, linkId: string): Promise<void> {
    const file = await this.files.row(fileId);
    if (!(await this.sharing.delete(file.id, linkId))) {
      throw new ApiError('RESOURCE_NOT_FOUND', `File ${file.id} has no share link ${linkId}`);
    }
  }

  /** All or nothing: an unknown id fails the request (404, naming the ids) and changes no file. */
  async setPrivate(fileIds: readonly string[], isPrivate: boolean): Promise<{ updatedFiles: number }> {
    const unique = [...new Set(fileIds)];
    return this.store.transaction(async (store) => {
      const sharing = new SharingStore(store);
      const existing = new Set(await sharing.existingFileIds(unique));
      const missing = unique.filter((id) => !existing.has(id));
      if (missing.length > 0) {
        throw new ApiError('RESOURCE_NOT_FOUND', `No file with id ${missing.join(', ')}`, {
          fileIds: missing,
        });
      }
      return { updatedFiles: await sharing.setPrivate(unique, isPrivate) };
    });
  }

  /**
   * Expired links, and links of files purged some other way than TrashService (which deletes them at once);
   * part of the periodic cleanup.
   */
  async deleteExpired(): Promise<number> {
    const expired = await this.sharing.deleteExpired(new Date(this.now()).toISOString());
    return expired + (await this.sharing.deleteOrphans());
  }

  /**
   * Checks a share link: signature, expiry, the row, the file's state. Resolves with what to serve, or rejects
   * with a 403 whose `data.reason` says why (and the file when there is one, for a page to link to).
   */
  async check(
    linkId: string,
    query: Record<string, string | undefined>,
  ): Promise<{ file: FileRow; blob: ServedBlob; expiresAtMs: number }> {
    const exp = query.exp !== undefined && UNIX_SECONDS.test(query.exp) ? Number(query.exp) : undefined;
    if (
      !LINK_ID.test(linkId) ||
      exp === undefined ||
      !query.sig ||
      !safeEqual(query.sig, this.signatureOf(linkId, exp))
    ) {
      throw shareRefusal('INVALID');
    }
    if (exp * 1000 <= this.now()) throw shareRefusal('EXPIRED');
    const row = await this.sharing.get(linkId);
    if (!row) throw shareRefusal('REVOKED');
    const file = await this.files.row(row.file_id).catch(() => undefined);
    if (!file) throw shareRefusal('REVOKED');
    if (file.state !== 'OK') throw shareRefusal('TRASHED');
    return { file, blob: originalBlob(file), expiresAtMs: exp * 1000 };
  }
}
