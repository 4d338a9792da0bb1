import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';

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
const SETPRIV = '/usr/bin/setpriv';

let parentDeathGuard: boolean | undefined;

/**
 * Whether tools are started under util-linux's `setpriv --pdeathsig KILL`: the kernel then kills them when the
 * server dies, even by SIGKILL or a crash that runs no cleanup (a transcode would otherwise go on alone for
 * hours). Checked once: `setpriv` exists and knows `--pdeathsig` (util-linux 2.33+). Without it, tools are
 * killed on a graceful stop and on their time limit only; the server logs that at start.
 */
export function hasParentDeathGuard(): boolean {
  if (parentDeathGuard === undefined) {
    parentDeathGuard =
      process.platform === 'linux' &&
      fs.existsSync(SETPRIV) &&
      spawnSync(SETPRIV, ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore', timeout: 10_000 })
        .status === 0;
  }
  return parentDeathGuard;
}

/**
 * Runs a command without a shell (arguments are never parsed), collects stdout, keeps the tail of stderr,
 * and kills it when `signal` aborts or after `timeoutMs`; it settles only once the process is gone. The
 * process dies with the server (see `hasParentDeathGuard`).
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const guarded = hasParentDeathGuard();
    // setpriv execs the tool: the child's pid is the tool's, so killing it kills the tool.
    const child = guarded
      ? spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    let settled = false;
    let exited = false;
    /** Set when the command was stopped: the error it ends with once the process is gone. */
    let stopped: Error | undefined;
    const finish = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(Buffer.concat(out).toString('utf8'));
    };
    const stop = (error: Error) => {
      if (stopped || settled) return;
      stopped = error;
      if (exited) return finish(error);
      child.kill('SIGKILL');
    };
    const onAbort = () =>
      stop(options.signal?.reason instanceof Error ? options.signal.reason : new Error('aborted'));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => stop(new CommandError(`${command} took longer than ${options.timeoutMs} ms`, err)),
            options.timeoutMs,
          );
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      exited = true;
      finish(stopped ?? (error.code === 'ENOENT' ? new MissingToolError(command) : error));
    });
    child.on('close', (code) => {
      exited = true;
      if (stopped) finish(stopped);
      else if (code === 0) finish(undefined);
      // setpriv could not start the tool: 127 and its message, as a shell would say it.
      else if (guarded && code === 127 && /failed to execute/.test(err))
        finish(new MissingToolError(command));
      else finish(new CommandError(`${command} exited with code ${String(code)}`, err));
    });
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
