/**
 * Part buffers of multipart uploads, reused. A fresh 8 MiB buffer is a fresh `mmap` (glibc maps allocations
 * over `MALLOC_MMAP_THRESHOLD_`, 4 MiB under `scripts/start`) whose pages the kernel faults in one by one as the
 * part is filled, then unmaps when the garbage collector gets to it: `--cpu-prof` of a 256 MiB tus PATCH to S3
 * showed the copies into fresh part buffers (`Buffer.copy`, faulting) as the largest single cost, about 9 s per
 * GiB of CPU, and the buffers waiting for the collector as most of the RSS above the idle server's. Reused
 * buffers stay mapped: filling one is a plain copy, and memory stays at the buffers in use.
 *
 * Only buffers of the pool's size are kept (the usual part size; uploads with bigger parts allocate theirs), at
 * most `keep` of them, and all are let go after `idleMs` without use so an idle server gives the memory back.
 * Letting go only makes them collectable: an idle server runs no collection, so a buffer let go is still mapped
 * when the next upload comes, and allocating a fresh one then would map the pool twice over (a 1 GiB upload
 * after a 10 s pause peaked 24 MB higher). Until the collector takes them they are taken again, through weak
 * references.
 */
export class PartBuffers {
  private readonly free: Buffer[] = [];
  private letGo: WeakRef<ArrayBuffer>[] = [];
  private idle: NodeJS.Timeout | undefined;

  constructor(
    readonly size: number,
    private readonly keep: number,
    private readonly idleMs = 10_000,
  ) {}

  /** A buffer of `length` bytes (contents undefined): a kept one when it fits the pool's size. */
  take(length: number): Buffer {
    if (length <= 0) return Buffer.alloc(0);
    if (length > this.size) return Buffer.allocUnsafeSlow(length);
    const buffer = this.free.pop() ?? this.stillMapped() ?? Buffer.allocUnsafeSlow(this.size);
    return length === this.size ? buffer : buffer.subarray(0, length);
  }

  private stillMapped(): Buffer | undefined {
    for (let memory = this.letGo.pop(); memory; memory = this.letGo.pop()) {
      const alive = memory.deref();
      if (alive) return Buffer.from(alive, 0, this.size);
    }
    return undefined;
  }

  /**
   * Gives back a buffer from `take` once nothing reads it any more (its part was stored; not after a failed send,
   * whose request may still hold it).
   */
  give(buffer: Buffer): void {
    if (buffer.buffer.byteLength !== this.size || this.free.length >= this.keep) return;
    this.free.push(Buffer.from(buffer.buffer, 0, this.size));
    this.idle?.refresh();
    this.idle ??= setTimeout(() => {
      this.letGo = this.free.splice(0).map((kept) => new WeakRef(kept.buffer as ArrayBuffer));
      this.idle = undefined;
    }, this.idleMs).unref();
  }
}

const shared = new Map<number, PartBuffers>();

/**
 * The pool of buffers of `size` bytes that every upload of this process shares (the blob store's plain uploads,
 * the tus store's PATCHes), keeping up to `keep` of them (the first caller's).
 */
export function partBuffersOf(size: number, keep: number): PartBuffers {
  let buffers = shared.get(size);
  if (!buffers) shared.set(size, (buffers = new PartBuffers(size, keep)));
  return buffers;
}
