/**
 * A fixed-window counter per key (a client IP): at most `limit` units per window. In memory: the limit is a
 * guard against abuse by one client, and a restart forgetting the windows does no harm.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Takes one unit for `key`: 0 when allowed, else the milliseconds until the key may try again. */
  take(key: string, now = Date.now()): number {
    const waitMs = this.waitMs(key, now);
    if (waitMs === 0) this.add(key, now);
    return waitMs;
  }

  /** 0 while `key` has units left in its window, else the milliseconds until it has again. */
  waitMs(key: string, now = Date.now()): number {
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs || window.count < this.limit) return 0;
    return window.start + this.windowMs - now;
  }

  /** Counts one unit for `key` without asking (a failure that has already happened). */
  add(key: string, now = Date.now()): void {
    if (this.windows.size > 10_000) this.prune(now);
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
  }

  /** Forgets `key`'s window. */
  reset(key: string): void {
    this.windows.delete(key);
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(key);
    }
  }
}
