import type { MetadataStore } from './metadata-store.ts';

/**
 * Upload tokens (the upload URLs' secrets, stored hashed): claims as leases, binding to a resumable upload,
 * finalizing. Every claim and use is one conditional statement, so two instances never both win.
 */
export class UploadTokenStore {
  constructor(private readonly store: MetadataStore) {}

  /** The store's connection, or its open transaction (see `MetadataStore.db`). */
  private get db() {
    return this.store.db;
  }

  async insertUploadToken(tokenHash: string, params: string, expiresAt: string): Promise<void> {
    await this.db
      .insertInto('upload_tokens')
      .values({
        token_hash: tokenHash,
        params,
        expires_at: expiresAt,
        claimed_at: null,
        upload_id: null,
        claim_expires_at: null,
        claim_id: null,
        file_id: null,
      })
      .execute();
  }

  /**
   * Claims an unexpired token that has not started a resumable upload and that nobody holds (unclaimed, or
   * its claim ran out: its holder died), atomically, until `leaseUntil`; a second claimant gets nothing.
   */
  async claimUploadToken(
    tokenHash: string,
    now: string,
    leaseUntil: string,
    claimId: string,
  ): Promise<string | undefined> {
    const row = await this.db
      .updateTable('upload_tokens')
      .set({ claimed_at: now, claim_expires_at: leaseUntil, claim_id: claimId })
      .where('token_hash', '=', tokenHash)
      .where((eb) => eb.or([eb('claimed_at', 'is', null), eb('claim_expires_at', '<=', now)]))
      .where('upload_id', 'is', null)
      .where('expires_at', '>', now)
      .returning('params')
      .executeTakeFirst();
    return row?.params;
  }

  /** The params of an unexpired token that is free (nobody holds it, not tied to an upload). */
  async freeUploadToken(tokenHash: string, now: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('upload_tokens')
      .select('params')
      .where('token_hash', '=', tokenHash)
      .where((eb) => eb.or([eb('claimed_at', 'is', null), eb('claim_expires_at', '<=', now)]))
      .where('upload_id', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row?.params;
  }

  /**
   * Ties a free token to the resumable upload it creates, atomically (one upload per token), and keeps it
   * until the upload itself expires. False when the token is not free any more.
   */
  async bindUploadToken(
    tokenHash: string,
    uploadId: string,
    now: string,
    expiresAt: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('upload_tokens')
      .set({
        upload_id: uploadId,
        expires_at: expiresAt,
        claimed_at: null,
        claim_expires_at: null,
        claim_id: null,
      })
      .where('token_hash', '=', tokenHash)
      .where((eb) => eb.or([eb('claimed_at', 'is', null), eb('claim_expires_at', '<=', now)]))
      .where('upload_id', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Claims a token tied to a resumable upload and not finalized yet, for its finalize call, until `leaseUntil`
   * (see `claimUploadToken`); a second claimant gets nothing while the claim lasts.
   */
  async claimBoundUploadToken(
    tokenHash: string,
    now: string,
    leaseUntil: string,
    claimId: string,
  ): Promise<{ params: string; uploadId: string } | undefined> {
    const row = await this.db
      .updateTable('upload_tokens')
      .set({ claimed_at: now, claim_expires_at: leaseUntil, claim_id: claimId })
      .where('token_hash', '=', tokenHash)
      .where((eb) => eb.or([eb('claimed_at', 'is', null), eb('claim_expires_at', '<=', now)]))
      .where('upload_id', 'is not', null)
      .where('file_id', 'is', null)
      .where('expires_at', '>', now)
      .returning(['params', 'upload_id'])
      .executeTakeFirst();
    return row?.upload_id ? { params: row.params, uploadId: row.upload_id } : undefined;
  }

  /** The file an unexpired token's resumable upload became, once finalized. */
  async finalizedUploadOf(
    tokenHash: string,
    now: string,
  ): Promise<{ fileId: string; uploadId: string } | undefined> {
    const row = await this.db
      .selectFrom('upload_tokens')
      .select(['file_id', 'upload_id'])
      .where('token_hash', '=', tokenHash)
      .where('file_id', 'is not', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row?.file_id && row.upload_id ? { fileId: row.file_id, uploadId: row.upload_id } : undefined;
  }

  /** Extends a claim its holder still has; false when it is gone (taken over, released, completed). */
  async renewUploadClaim(tokenHash: string, claimId: string, leaseUntil: string): Promise<boolean> {
    const result = await this.db
      .updateTable('upload_tokens')
      .set({ claim_expires_at: leaseUntil })
      .where('token_hash', '=', tokenHash)
      .where('claim_id', '=', claimId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The claim on a token, if any (who holds it is not told). */
  async uploadClaimOf(
    tokenHash: string,
  ): Promise<{ claimedAt: string | null; claimExpiresAt: string | null } | undefined> {
    const row = await this.db
      .selectFrom('upload_tokens')
      .select(['claimed_at', 'claim_expires_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && { claimedAt: row.claimed_at, claimExpiresAt: row.claim_expires_at };
  }

  /**
   * Uses up a plain upload's token, when `claimId` still holds it; run in the transaction that inserts the
   * file, so that a URL makes one file at most. False when the claim is gone.
   */
  async consumeUploadToken(tokenHash: string, claimId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('upload_tokens')
      .where('token_hash', '=', tokenHash)
      .where('claim_id', '=', claimId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /**
   * Marks a resumable upload's token finalized into `fileId`, when `claimId` still holds it (in the
   * transaction that inserts the file). The token stays until it expires, so that finalize can be repeated.
   */
  async completeUploadToken(tokenHash: string, claimId: string, fileId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('upload_tokens')
      .set({ file_id: fileId, claimed_at: null, claim_expires_at: null, claim_id: null })
      .where('token_hash', '=', tokenHash)
      .where('claim_id', '=', claimId)
      .where('file_id', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Forgets the token of a resumable upload (terminated by its client). */
  async deleteUploadTokensOfUpload(uploadId: string): Promise<void> {
    await this.db.deleteFrom('upload_tokens').where('upload_id', '=', uploadId).execute();
  }

  /**
   * Gives a claimed token back after a transfer that did not complete, so the client may retry; only its
   * holder can (a claim taken over meanwhile is someone else's).
   */
  async releaseUploadToken(tokenHash: string, claimId: string): Promise<void> {
    await this.db
      .updateTable('upload_tokens')
      .set({ claimed_at: null, claim_expires_at: null, claim_id: null })
      .where('token_hash', '=', tokenHash)
      .where('claim_id', '=', claimId)
      .execute();
  }

  async deleteUploadToken(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('upload_tokens').where('token_hash', '=', tokenHash).execute();
  }
}
