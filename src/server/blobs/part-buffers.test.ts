import { describe, expect, it } from 'vitest';
import { PartBuffers } from './part-buffers.ts';

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

  it('lets every buffer go once unused for its idle time', async () => {
    const buffers = new PartBuffers(1024, 2, 20);
    const a = buffers.take(1024);
    buffers.give(a);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(buffers.take(1024).buffer).not.toBe(a.buffer);
  });
});
