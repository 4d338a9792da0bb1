import { isoIn, nowIso } from '../clock.ts';
import { randomToken, safeEqual, sha256 } from '../secrets.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';
import { RateLimiter } from './rate-limiter.ts';

/** Wrong API keys one client may send (sign-in and `Authorization` together) per window before it must wait. */
export const KEY_FAILURES_PER_WINDOW = 10;
export const KEY_FAILURE_WINDOW_MS = 15 * 60_000;

/** What a client's API key attempt came to; `throttled`: too many wrong keys lately, not even compared. */
export type KeyAttempt =
  { result: 'valid' } | { result: 'invalid' } | { result: 'throttled'; retryAfterMs: number };

export interface Session {
  csrfToken: string;
}

/**
 * The admin API key, browser sessions and one-time login links. Sessions and login links live in the metadata
 * store (hashed), so they survive a restart and any instance can check them.
 */
export class AuthService {
  /**
   * Wrong keys per client IP. In memory and per process, like the visitor limit: with a key of at least 16
   * characters this only has to make online guessing hopeless, not exact across instances or restarts.
   */
  private readonly keyFailures = new RateLimiter(KEY_FAILURES_PER_WINDOW, KEY_FAILURE_WINDOW_MS);

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

  /**
   * An API key attempt by `client` (its IP), throttled: once a client has sent too many wrong keys in a window,
   * every attempt waits, the right key too (else the answer would still tell a guesser when it hit). A right key
   * clears the client's failures, so an owner's typos never add up.
   */
  tryKey(authorization: string | undefined, client: string): KeyAttempt {
    const retryAfterMs = this.keyFailures.waitMs(client);
    if (retryAfterMs > 0) return { result: 'throttled', retryAfterMs };
    if (this.isApiKey(authorization)) {
      this.keyFailures.reset(client);
      return { result: 'valid' };
    }
    this.keyFailures.add(client);
    return { result: 'invalid' };
  }

  async createSession(): Promise<{ cookie: string; session: Session; maxAgeSeconds: number }> {
    const cookie = randomToken(32);
    const csrfToken = randomToken(24);
    const maxAgeSeconds = this.ttl.sessionDays * 24 * 3600;
    await this.store.sessions.insertSession(sha256(cookie), csrfToken, nowIso(), isoIn(maxAgeSeconds * 1000));
    return { cookie, session: { csrfToken }, maxAgeSeconds };
  }

  async session(cookie: string | undefined): Promise<Session | undefined> {
    if (!cookie) return undefined;
    const row = await this.store.sessions.getSession(sha256(cookie), nowIso());
    return row && { csrfToken: row.csrf_token };
  }

  async endSession(cookie: string | undefined): Promise<void> {
    if (cookie) await this.store.sessions.deleteSession(sha256(cookie));
  }

  /** A new one-time login token (printed at start, like Jupyter's token URL). */
  async createLoginToken(): Promise<string> {
    const token = randomToken(24);
    await this.store.sessions.insertLoginToken(sha256(token), isoIn(this.ttl.loginLinkMinutes * 60_000));
    return token;
  }

  consumeLoginToken(token: string): Promise<boolean> {
    return this.store.sessions.consumeLoginToken(sha256(token), nowIso());
  }
}
