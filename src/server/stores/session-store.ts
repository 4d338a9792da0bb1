import type { MetadataStore } from './metadata-store.ts';

/** Admin sessions and the one-time login tokens that open them (both stored hashed). */
export class SessionStore {
  constructor(private readonly store: MetadataStore) {}

  /** The store's connection, or its open transaction (see `MetadataStore.db`). */
  private get db() {
    return this.store.db;
  }

  async insertSession(idHash: string, csrfToken: string, now: string, expiresAt: string): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({ id_hash: idHash, csrf_token: csrfToken, created_at: now, expires_at: expiresAt })
      .execute();
  }

  getSession(idHash: string, now: string) {
    return this.db
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async insertLoginToken(tokenHash: string, expiresAt: string): Promise<void> {
    await this.db
      .insertInto('login_tokens')
      .values({ token_hash: tokenHash, expires_at: expiresAt })
      .execute();
  }

  /** Consumes a one-time login token; true when it existed and had not expired. */
  async consumeLoginToken(tokenHash: string, now: string): Promise<boolean> {
    const row = await this.db
      .deleteFrom('login_tokens')
      .where('token_hash', '=', tokenHash)
      .returning('expires_at')
      .executeTakeFirst();
    return row !== undefined && row.expires_at > now;
  }
}
