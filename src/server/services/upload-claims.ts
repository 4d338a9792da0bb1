import { isoIn, nowIso } from '../clock.ts';
import { ApiError } from '../errors.ts';
import { randomToken } from '../secrets.ts';
import type { MetadataStore } from '../stores/metadata-store.ts';

/** What a successful use does to the token: a plain URL is used up, a tus token remembers its file. */
export type ClaimEnd = 'consume' | 'complete';

/** The error of a claim another use of the URL took over (its holder had stalled past the lease). */
function claimLost(): ApiError {
  return new ApiError(
    'PERMISSION_DENIED',
    'Another use of this upload URL took it over while this one had stalled; retry to see its outcome',
  );
}

/**
 * This process's claim on an upload token, a lease: it runs out `leaseMs` after it was taken or last renewed,
 * so a claim whose process died (kill -9, power loss) frees the URL again instead of stranding it. While the
 * holder works it renews the claim every third of the lease: on every tick while server-side work runs
 * (finalize), only when bytes arrived since the last tick while a client sends them (a client that stalls
 * for a whole lease lets a retry of its own take over). The claim is checked once more in the transaction
 * that writes the file row (`commit`): a holder that lost it writes nothing, so one token makes one file.
 */
export class UploadClaim {
  /** Random per claim; only its holder can renew, release or commit it. */
  readonly id = randomToken(16);
  private timer: NodeJS.Timeout | undefined;
  private progress: (() => number) | undefined;
  private lastProgress = -1;
  private onLost: ((error: ApiError) => void) | undefined;
  private lost = false;

  constructor(
    private readonly store: MetadataStore,
    readonly tokenHash: string,
    private readonly leaseMs: number,
    private readonly end: ClaimEnd,
  ) {}

  /** When a claim taken now runs out. */
  leaseUntil(): string {
    return isoIn(this.leaseMs);
  }

  /** Starts renewing (every tick, until `watchBytes` or `stop`). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.renew(), Math.max(1, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  /**
   * Renews only while `progress` (bytes received so far) grows; `onLost` is told when another use took the
   * token over meanwhile (the transfer should stop: it can no longer make the file).
   */
  watchBytes(progress: () => number, onLost: (error: ApiError) => void): void {
    this.progress = progress;
    this.lastProgress = -1;
    this.onLost = onLost;
    this.start();
  }

  /** Back to renewing on every tick (the bytes are in; server-side work goes on). */
  unwatchBytes(): void {
    this.progress = undefined;
    this.onLost = undefined;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async renew(): Promise<void> {
    if (this.lost) return;
    if (this.progress) {
      const now = this.progress();
      if (now === this.lastProgress) return;
      this.lastProgress = now;
    }
    try {
      if (await this.store.uploadTokens.renewUploadClaim(this.tokenHash, this.id, this.leaseUntil())) return;
    } catch {
      // A database hiccup: the next tick tries again, and `commit` decides in the end.
      return;
    }
    this.lost = true;
    this.stop();
    this.onLost?.(claimLost());
  }

  /**
   * Run in the transaction that inserts the file `fileId`: ends the claim as a success (the token used up, or
   * marked with the file). Throws, rolling the transaction back, when the claim is not this holder's any more.
   */
  async commit(store: MetadataStore, fileId: string): Promise<void> {
    const held =
      this.end === 'consume'
        ? await store.uploadTokens.consumeUploadToken(this.tokenHash, this.id)
        : await store.uploadTokens.completeUploadToken(this.tokenHash, this.id, fileId);
    if (!held) throw claimLost();
  }

  /** Gives the token back for a retry (no-op when the claim is not this holder's any more). */
  async release(): Promise<void> {
    this.stop();
    await this.store.uploadTokens.releaseUploadToken(this.tokenHash, this.id);
  }
}

/** Takes claims on upload tokens with the configured lease. */
export class UploadClaims {
  constructor(
    private readonly store: MetadataStore,
    private readonly leaseMs: number,
  ) {}

  /** Claims a plain upload's token; undefined when it is unknown, expired, used, or held by a live claim. */
  async claimPlain(tokenHash: string): Promise<{ claim: UploadClaim; params: string } | undefined> {
    const claim = new UploadClaim(this.store, tokenHash, this.leaseMs, 'consume');
    const params = await this.store.uploadTokens.claimUploadToken(
      tokenHash,
      nowIso(),
      claim.leaseUntil(),
      claim.id,
    );
    return params === undefined ? undefined : { claim, params };
  }

  /** Claims a resumable upload's token for its finalize call (same conditions, and not finalized yet). */
  async claimFinalize(
    tokenHash: string,
  ): Promise<{ claim: UploadClaim; params: string; uploadId: string } | undefined> {
    const claim = new UploadClaim(this.store, tokenHash, this.leaseMs, 'complete');
    const claimed = await this.store.uploadTokens.claimBoundUploadToken(
      tokenHash,
      nowIso(),
      claim.leaseUntil(),
      claim.id,
    );
    return claimed && { claim, ...claimed };
  }
}
