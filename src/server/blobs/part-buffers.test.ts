import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { PartBuffers } from './part-buffers.ts';

/** V8's full collection (the flag set at run time reaches contexts made afterwards). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('PartBuffers', () => {
  it('gives back the same memory for the next part, shorter parts included', () => {
    const buffers = new PartBuffers(1024, 2);
    const first = buffers.take(1024);
    buffers.give(first);
    const last = buffers.take(100);
    expect(last.length).toBe(100);
    expect(last.buffer).toBe(first.buffer);
    buffers.give(last);
    expect(buffers.take(1024).buffer).toBe(first.buffer);
  });

  it('keeps at most `keep` buffers, and none of another size', () => {
    const buffers = new PartBuffers(1024, 1);
    const [a, b] = [buffers.take(1024), buffers.take(1024)];
    buffers.give(a);
    buffers.give(b);
    buffers.give(Buffer.alloc(2048));
    expect(buffers.take(1024).buffer).toBe(a.buffer);
    const fresh = buffers.take(1024);
    expect(fresh.buffer).not.toBe(a.buffer);
    expect(fresh.buffer).not.toBe(b.buffer);
    expect(buffers.take(4096).length).toBe(4096);
    expect(buffers.take(0).length).toBe(0);
  });

  it('takes a buffer let go after its idle time again while the collector has not taken it', async () => {
    const buffers = new PartBuffers(1024, 2, 20);
    const a = buffers.take(1024);
    buffers.give(a);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(buffers.take(1024).buffer).toBe(a.buffer);
  });

  it('lets every buffer go to the collector once unused for its idle time', async () => {
    const buffers = new PartBuffers(1024, 2, 20);
    let memory: WeakRef<ArrayBufferLike> | undefined;
    (() => {
      const a = buffers.take(1024);
      memory = new WeakRef(a.buffer);
      buffers.give(a);
    })();
    await new Promise((resolve) => setTimeout(resolve, 80));
    collectGarbage();
    expect(memory.deref()).toBeUndefined();
    expect(buffers.take(1024).length).toBe(1024);
  });
});
