import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { OldGenerationGuard, oldGenerationUsed } from './old-generation-guard.ts';

/** A `gc` entry's detail (Node's GC performance entries). */
type GcDetail = { kind?: number } | undefined;

/** Full (mark-compact) collections V8 ran while `work` ran, as seen by a `gc` performance observer. */
async function majorCollectionsDuring(work: () => void): Promise<number> {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  work();
  // gc entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return entries.filter(
    (entry) =>
      (entry as PerformanceEntry & { detail?: GcDetail }).detail?.kind ===
      constants.NODE_PERFORMANCE_GC_MAJOR,
  ).length;
}

describe('OldGenerationGuard', () => {
  it('measures the old generation', () => {
    expect(oldGenerationUsed()).toBeGreaterThan(0);
  });

  it('runs a full collection once the old generation has grown past the threshold', async () => {
    const guard = new OldGenerationGuard(0);
    expect(await majorCollectionsDuring(() => guard.settle())).toBeGreaterThanOrEqual(1);
  });

  it('leaves the heap alone below the threshold', async () => {
    const guard = new OldGenerationGuard(1024 ** 3);
    expect(await majorCollectionsDuring(() => guard.settle())).toBe(0);
  });
});
