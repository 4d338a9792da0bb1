import { isoIn, nowIso } from '../clock.ts';
import { randomToken, safeEqual, sha256 } from '../secrets.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';

export interface Session {
  csrfToken: string;
}

/**
 * The admin API key, browser sessions and one-time login links. Sessions and login links live in the metadata
 * store (hashed), so they survive a restart and any instance can check them.
 */
export class AuthService {
  constructor(
    private readonly store: MetadataStore,
    private readonly apiKey: string,
    private readonly ttl: { sessionDays: number; loginLinkMinutes: number },
  ) {}

  /** `Authorization: <key>` or `Authorization: Bearer <key>`, compared in constant time. */
  isApiKey(authorization: string | undefined): boolean {
    if (!authorization) return false;
    const key = authorization.replace(/^Bearer\s+/i, '').trim();
    return safeEqual(key, this.apiKey);
  }

  async createSession(): Promise<{ cookie: string; session: Session; maxAgeSeconds: number }> {
    const cookie = randomToken(32);
    const csrfToken = randomToken(24);
    const maxAgeSeconds = this.ttl.sessionDays * 24 * 3600;
    await this.store.insertSession(sha256(cookie), csrfToken, nowIso(), isoIn(maxAgeSeconds * 1000));
    return { cookie, session: { csrfToken }, maxAgeSeconds };
  }

  async session(cookie: string | undefined): Promise<Session | undefined> {
    if (!cookie) return undefined;
    const row = await this.store.getSession(sha256(cookie), nowIso());
    return row && { csrfToken: row.csrf_token };
  }

  async endSession(cookie: string | undefined): Promise<void> {
    if (cookie) await this.store.deleteSession(sha256(cookie));
  }

  /** A new one-time login token (printed at start, like Jupyter's token URL). */
  async createLoginToken(): Promise<string> {
    const token = randomToken(24);
    await this.store.insertLoginToken(sha256(token), isoIn(this.ttl.loginLinkMinutes * 60_000));
    return token;
  }

  consumeLoginToken(token: string): Promise<boolean> {
    return this.store.consumeLoginToken(sha256(token), nowIso());
  }
}
