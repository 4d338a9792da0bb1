import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FILE_SINK_BATCH, FileSink, pipeToSink } from './file-sink.ts';

/** `bytes` cut into chunks of the given sizes, in turn. */
function chunked(bytes: Buffer, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** `fs.writev` as FileSink calls it. */
type Writev = (
  fd: number,
  buffers: Buffer[],
  position: number,
  callback: (error: NodeJS.ErrnoException | null, written: number) => void,
) => void;

/** Replaces `fs.writev` with `fake`, which gets the real one to call. */
function fakeWritev(fake: (real: Writev, ...args: Parameters<Writev>) => void): void {
  const real = fs.writev.bind(fs) as unknown as Writev;
  vi.spyOn(fs, 'writev').mockImplementation(((...args: Parameters<Writev>) =>
    fake(real, ...args)) as unknown as typeof fs.writev);
}

describe('FileSink', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'file-sink-'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes every byte in order, in batches of at least FILE_SINK_BATCH bytes (the last may be smaller)', async () => {
    const bytes = randomBytes(3 * FILE_SINK_BATCH + 12_345);
    const writes: number[] = [];
    fakeWritev((writev, fd, buffers, position, callback) => {
      writes.push(buffers.reduce((sum, buffer) => sum + buffer.length, 0));
      writev(fd, buffers, position, callback);
    });
    const file = path.join(dir, 'out');
    const sink = new FileSink(file, { flags: 'wx' });
    await pipeline(Readable.from(chunked(bytes, [65_536, 1000, 30_000])), sink);

    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(sink.bytesWritten).toBe(bytes.length);
    expect(writes.reduce((a, b) => a + b, 0)).toBe(bytes.length);
    expect(writes.length).toBeLessThanOrEqual(4);
    for (const size of writes.slice(0, -1)) expect(size).toBeGreaterThanOrEqual(FILE_SINK_BATCH);
  });

  it('joins many tiny chunks into one buffer (a writev takes at most IOV_MAX of them)', async () => {
    const bytes = randomBytes(FILE_SINK_BATCH + 10);
    const counts: number[] = [];
    fakeWritev((writev, fd, buffers, position, callback) => {
      counts.push(buffers.length);
      writev(fd, buffers, position, callback);
    });
    const file = path.join(dir, 'tiny');
    await pipeline(Readable.from(chunked(bytes, [7])), new FileSink(file, { flags: 'wx' }));
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(Math.max(...counts)).toBeLessThanOrEqual(64);
  });

  it('goes on after a write that took fewer bytes than it was given', async () => {
    const bytes = randomBytes(2 * FILE_SINK_BATCH + 99);
    // Each call writes only the first half of its first buffer.
    fakeWritev((writev, fd, buffers, position, callback) => {
      const first = buffers[0]!;
      writev(fd, [first.subarray(0, Math.ceil(first.length / 2))], position, callback);
    });
    const file = path.join(dir, 'partial');
    const sink = new FileSink(file, { flags: 'wx' });
    await pipeline(Readable.from(chunked(bytes, [65_536, 333])), sink);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(sink.bytesWritten).toBe(bytes.length);
  });

  it("with 'r+' and start, writes into an existing file at that offset, keeping what is before", async () => {
    const file = path.join(dir, 'resume');
    const head = randomBytes(1000);
    fs.writeFileSync(file, head);
    const tail = randomBytes(FILE_SINK_BATCH + 5);
    const sink = new FileSink(file, { flags: 'r+', start: head.length });
    await pipeline(Readable.from([tail]), sink);
    expect(fs.readFileSync(file).equals(Buffer.concat([head, tail]))).toBe(true);
    expect(sink.bytesWritten).toBe(tail.length);
  });

  it("fails when the file cannot be opened ('wx' on an existing file), and leaves it as it was", async () => {
    const file = path.join(dir, 'taken');
    fs.writeFileSync(file, 'keep');
    await expect(
      pipeline(Readable.from([Buffer.from('new')]), new FileSink(file, { flags: 'wx' })),
    ).rejects.toThrow(/EEXIST/);
    expect(fs.readFileSync(file, 'utf8')).toBe('keep');
  });

  it('holds at most a batch plus its high-water mark while a write is slow (backpressure)', async () => {
    let release: (() => void) | undefined;
    fakeWritev((writev, fd, buffers, position, callback) => {
      release = () => writev(fd, buffers, position, callback);
    });
    const sink = new FileSink(path.join(dir, 'slow'), { flags: 'wx' });
    await new Promise((resolve) => sink.once('open', resolve));
    const chunk = Buffer.alloc(16 * 1024, 1);
    let accepted = 0;
    while (sink.write(chunk)) accepted += chunk.length;
    await new Promise((resolve) => setImmediate(resolve));
    expect(release).toBeDefined();
    expect(accepted).toBeLessThanOrEqual(FILE_SINK_BATCH + sink.writableHighWaterMark);
    release!();
    await new Promise((resolve) => sink.once('drain', resolve));
    sink.destroy();
  });

  it('destroyed while a write is in flight, closes its file only after that write (and writes no more)', async () => {
    let release: (() => void) | undefined;
    let calls = 0;
    // The write in flight is slow, and short: it takes half its first buffer.
    fakeWritev((writev, fd, buffers, position, callback) => {
      calls++;
      const first = buffers[0]!;
      release = () => writev(fd, [first.subarray(0, first.length / 2)], position, callback);
    });
    const sink = new FileSink(path.join(dir, 'in-flight'), { flags: 'wx' });
    sink.on('error', () => {});
    const fd = await new Promise<number>((resolve) => sink.once('open', resolve));
    sink.write(Buffer.alloc(FILE_SINK_BATCH, 7));
    await vi.waitFor(() => expect(release).toBeDefined());
    let closed = false;
    sink.once('close', () => (closed = true));
    sink.destroy(new Error('cut'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    expect(fs.fstatSync(fd).isFile()).toBe(true);
    release!();
    await vi.waitFor(() => expect(closed).toBe(true));
    expect(calls).toBe(1);
    expect(sink.bytesWritten).toBe(FILE_SINK_BATCH / 2);
    expect(() => fs.fstatSync(fd)).toThrow(/EBADF/);
  });

  it('takes chunks while its file is still opening, and closes the file when destroyed before the open ends', async () => {
    const early = new FileSink(path.join(dir, 'early'), { flags: 'wx' });
    // Accepted at once: the first batch gathers while the file opens.
    expect(early.write(Buffer.alloc(1000, 1))).toBe(true);
    await new Promise<void>((resolve, reject) =>
      early.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    expect(fs.readFileSync(path.join(dir, 'early')).equals(Buffer.alloc(1000, 1))).toBe(true);

    const sink = new FileSink(path.join(dir, 'gone-early'), { flags: 'wx' });
    let fd: number | undefined;
    sink.once('open', (opened: number) => (fd = opened));
    sink.on('error', () => {});
    sink.destroy(new Error('cut'));
    await new Promise((resolve) => sink.once('close', resolve));
    expect(fd).toBeDefined();
    expect(() => fs.fstatSync(fd!)).toThrow(/EBADF/);
  });

  it('closes its file when destroyed with bytes still pending', async () => {
    const sink = new FileSink(path.join(dir, 'destroyed'), { flags: 'wx' });
    const failed = new Promise<Error>((resolve) => sink.once('error', resolve));
    const fd = await new Promise<number>((resolve) => sink.once('open', resolve));
    sink.write(Buffer.alloc(1000));
    const closed = new Promise((resolve) => sink.once('close', resolve));
    sink.destroy(new Error('cut'));
    await closed;
    expect((await failed).message).toBe('cut');
    expect(() => fs.fstatSync(fd)).toThrow(/EBADF/);
  });

  describe('pipeToSink', () => {
    it('settles once every byte is written and the file is closed', async () => {
      const bytes = randomBytes(3 * FILE_SINK_BATCH + 123);
      const sink = new FileSink(path.join(dir, 'piped'), { flags: 'wx' });
      let fd: number | undefined;
      sink.once('open', (opened: number) => (fd = opened));
      await pipeToSink(Readable.from(chunked(bytes, [65_536, 1000])), sink);
      expect(sink.bytesWritten).toBe(bytes.length);
      expect(fs.readFileSync(path.join(dir, 'piped')).equals(bytes)).toBe(true);
      expect(() => fs.fstatSync(fd!)).toThrow(/EBADF/);
    });

    it("rejects with the source's error and destroys the sink, closing its file", async () => {
      const sink = new FileSink(path.join(dir, 'cut'), { flags: 'wx' });
      const fd = await new Promise<number>((resolve) => sink.once('open', resolve));
      const source = new Readable({ read() {} });
      const piped = pipeToSink(source, sink);
      source.push(Buffer.alloc(1000, 7));
      source.destroy(new Error('connection cut'));
      await expect(piped).rejects.toThrow('connection cut');
      // Rejected only once the file is closed.
      expect(sink.closed).toBe(true);
      expect(() => fs.fstatSync(fd)).toThrow(/EBADF/);
    });

    it("rejects with the sink's error (its file cannot be opened) and destroys the source", async () => {
      const source = new Readable({ read() {} });
      const sink = new FileSink(path.join(dir, 'missing', 'file'), { flags: 'r+' });
      const piped = pipeToSink(source, sink);
      source.push(Buffer.alloc(FILE_SINK_BATCH + 1));
      await expect(piped).rejects.toThrow(/ENOENT/);
      expect(source.destroyed).toBe(true);
    });
  });
});
