import { spawn } from 'node:child_process';

/** A tool that exited badly; `stderr` keeps its last lines for the log (never shown to clients). */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/** A tool that is not installed (ffmpeg, ffprobe, pdftoppm). */
export class MissingToolError extends Error {
  constructor(readonly tool: string) {
    super(`${tool} is not installed on the server`);
    this.name = 'MissingToolError';
  }
}

const STDERR_KEEP = 4000;

/**
 * Runs a command without a shell (arguments are never parsed), collects stdout, keeps the tail of stderr,
 * and kills it when `signal` aborts or after `timeoutMs`.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { signal?: AbortSignal | undefined; timeoutMs: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    let settled = false;
    const finish = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(Buffer.concat(out).toString('utf8'));
    };
    const onAbort = () => {
      child.kill('SIGKILL');
      finish(options.signal?.reason instanceof Error ? options.signal.reason : new Error('aborted'));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new CommandError(`${command} took longer than ${options.timeoutMs} ms`, err));
    }, options.timeoutMs);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish(error.code === 'ENOENT' ? new MissingToolError(command) : error),
    );
    child.on('close', (code) => {
      if (code === 0) finish(undefined);
      else finish(new CommandError(`${command} exited with code ${String(code)}`, err));
    });
  });
}
