import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = () => void;

let collector: Collect | undefined;

/**
 * V8's full collection, through the `gc` function that `--expose-gc` gives a new context (the flag set at run
 * time reaches contexts made afterwards; the server's own global gets no `gc`).
 */
function collectFully(): void {
  if (!collector) {
    v8.setFlagsFromString('--expose-gc');
    collector = runInNewContext('gc') as Collect;
  }
  collector();
}

/** Bytes in use in V8's old generation (where objects that outlive two young collections go). */
export function oldGenerationUsed(): number {
  let used = 0;
  for (const space of v8.getHeapSpaceStatistics()) {
    if (space.space_name === 'old_space' || space.space_name === 'large_object_space') {
      used += space.space_used_size;
    }
  }
  return used;
}

/**
 * Keeps bursts of promoted garbage from growing the heap. A zip of 1000 small files keeps ~1 KB per entry (its
 * plan, yazl's entries) for its whole run, which outlives young collections and lands in the old generation;
 * `npm start` runs V8 without incremental marking (see README), and then nothing collects the old generation
 * until it needs new pages, which it gets readily: 20 such zips grew the heap by 30 MB. After each such unit of
 * work, `settle()` runs a full collection once the old generation has grown `growthBytes` since the last one
 * (about 15 ms for this server's ~25 MB heap, once every several zips).
 */
export class OldGenerationGuard {
  private floor = oldGenerationUsed();

  constructor(private readonly growthBytes: number) {}

  settle(): void {
    const used = oldGenerationUsed();
    // V8 collected meanwhile: measure growth from there.
    if (used < this.floor) this.floor = used;
    if (used - this.floor < this.growthBytes) return;
    collectFully();
    this.floor = oldGenerationUsed();
  }
}
