import { ApiError } from '../../errors.ts';

/**
 * Bounded concurrency for renders: at most `concurrency` run (each holds a decoded image in memory), at most
 * `queueLimit` wait; past that the caller is told to come back (503 + `Retry-After`) instead of the server
 * growing until it runs out of memory.
 */
export class RenderQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queueLimit: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queueLimit) {
        throw new ApiError('UNAVAILABLE', 'Too many images are being rendered; try again shortly', {
          retryAfterSeconds: 1,
        });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line (running stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  get pending(): number {
    return this.waiting.length;
  }
}

/** Identical concurrent requests share one render: the second waits for the first's promise. */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const current = this.inFlight.get(key);
    if (current) return current;
    const promise = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }
}
