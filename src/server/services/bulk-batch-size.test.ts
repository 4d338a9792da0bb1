import { describe, expect, it } from 'vitest';
import { nextBatchSize } from './bulk-batch-size.ts';

// A bulk operation's batch is one store transaction, and every other request waits for it: its size follows
// what the last batch took (at 1M files, fixed batches of 200 held the server for seconds).
describe('nextBatchSize', () => {
  it('shrinks a batch that took longer than the target, down to 8 items (a batch has a fixed cost too)', () => {
    expect(nextBatchSize(200, 1000, 50, 200)).toBe(10);
    expect(nextBatchSize(200, 2000, 50, 200)).toBe(8);
    expect(nextBatchSize(8, 1000, 50, 200)).toBe(8);
    expect(nextBatchSize(8, 1000, 50, 4)).toBe(4);
  });

  it('grows a quick batch at most twofold, up to the configured maximum', () => {
    expect(nextBatchSize(8, 5, 50, 200)).toBe(16);
    expect(nextBatchSize(8, 0, 50, 200)).toBe(16);
    expect(nextBatchSize(150, 10, 50, 200)).toBe(200);
    expect(nextBatchSize(10, 40, 50, 200)).toBe(12);
  });
});
