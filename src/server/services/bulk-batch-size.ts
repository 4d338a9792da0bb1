/**
 * What a batch's transaction should take. Store transactions run one at a time (SQLite's one connection,
 * PostgreSQL's advisory lock), so every request waits for the batch under way: at 1M files a batch of 200
 * restores took 1-3 s on a loaded machine and small requests waited up to 20 s meanwhile (docs/benchmarks.md).
 * So the number of items per batch follows what the last batch took, up to `batchSize`.
 */
export const BATCH_TARGET_MS = 50;
/**
 * The first batch's size (what an item costs is not known yet), and the least: a batch also has a fixed cost
 * (reading the operation, recording its position), which on a loaded machine alone passed the target, and
 * batches of one then crawled at a few items a second.
 */
export const FIRST_BATCH = 8;

/**
 * The next batch's size after one of `size` items took `elapsedMs`: scaled to take `targetMs`, growing at most
 * twofold per batch (one quick batch is not a trend), within `FIRST_BATCH`..`max`.
 */
export function nextBatchSize(size: number, elapsedMs: number, targetMs: number, max: number): number {
  const scaled = elapsedMs > 0 ? Math.floor((size * targetMs) / elapsedMs) : size * 2;
  return Math.min(max, Math.max(FIRST_BATCH, Math.min(size * 2, scaled)));
}
