import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Shared by the benchmarks that run the server in a child process: ports and memory sampling. */

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${port} not listening after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb === undefined ? 0 : Number(kb) / 1024;
  } catch {
    return 0;
  }
}

/** Samples one process's RSS every 100 ms; `reset` starts a new window (start and peak). */
export class RssSampler {
  start = 0;
  peak = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly pid: number) {
    this.timer = setInterval(() => this.sample(), 100);
  }
  sample(): void {
    this.peak = Math.max(this.peak, rssMb(this.pid));
  }
  reset(): void {
    this.start = rssMb(this.pid);
    this.peak = this.start;
  }
  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}

/**
 * For investigation: `--cpu-prof` into BENCH_PROFILE_DIR/<name> when set (where each server spends its CPU),
 * and for the app, the node flags in BENCH_APP_FLAGS (e.g. `--trace-gc`, its output on this process's stdout).
 */
export function investigationFlags(name: 'app' | 'bare'): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  const extra = name === 'app' ? (process.env.BENCH_APP_FLAGS?.split(/\s+/).filter(Boolean) ?? []) : [];
  return [...(dir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(dir, name)}`] : []), ...extra];
}

/** Builds the server as `npm start` does (one esbuild bundle run by plain node, no TypeScript loader). */
export function buildServer(): void {
  execFileSync('npm', ['run', '--silent', 'build:server'], { stdio: 'inherit' });
}

/**
 * Starts the built server (`buildServer()` first) in a child process as `npm start` starts it: through its
 * launcher `scripts/start` (the glibc environment and V8 flags kept by the pooled benchmarks), so that what is
 * measured is the production server. The investigation flags go after the launcher's own (for a flag given twice,
 * the later one wins). `env` adds to the environment (DATA_DIR, PORT, ...); the server listens on 127.0.0.1 and
 * logs warnings only. The launcher execs node: the child's pid is the server's.
 */
export function spawnBuiltServer(env: Record<string, string>): ChildProcess {
  const root = path.resolve(import.meta.dirname, '..');
  return spawn(path.join(root, 'scripts', 'start'), investigationFlags('app'), {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', process.env.BENCH_APP_FLAGS ? 'inherit' : 'ignore', 'inherit'],
  });
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One HTTP request; the body (if any) is a stream piped into it. */
export function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Readable | string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body === undefined) req.end();
    else if (typeof body === 'string') req.end(body);
    else {
      body.on('error', (error) => req.destroy(error));
      body.pipe(req);
    }
  });
}

export function expectStatus(answer: Answer, status: number, what: string): void {
  if (answer.status !== status)
    throw new Error(`${what}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`);
}

/** tus `Upload-Metadata`: keys with base64 values. */
export function metadataHeader(metadata: Record<string, string>): string {
  return Object.entries(metadata)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');
}

/** The value of `--name value` or `--name=value` on the command line. */
export function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

/** A size like `1G`, `8M`, `4.5G` or `512`, in bytes. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(text.trim());
  if (!match) throw new Error(`bad size: ${text}`);
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[
    match[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'
  ];
  return Math.round(Number(match[1]) * unit);
}

/**
 * A byte range of a payload that is `block` repeated, as a stream of views into the block (at most 1 MiB each):
 * the client reads no disk and spends next to no CPU making it.
 */
export function payloadSlice(block: Buffer, start: number, length: number): Readable {
  return Readable.from(
    (function* () {
      for (let at = start, end = start + length; at < end;) {
        const from = at % block.length;
        const n = Math.min(1024 ** 2, block.length - from, end - at);
        yield block.subarray(from, from + n);
        at += n;
      }
    })(),
    { objectMode: false },
  );
}

/** SHA-256 of the first `size` bytes of `block` repeated. */
export function payloadDigest(block: Buffer, size: number): string {
  const hash = createHash('sha256');
  for (let at = 0; at < size; at += block.length)
    hash.update(block.subarray(0, Math.min(block.length, size - at)));
  return hash.digest('hex');
}
