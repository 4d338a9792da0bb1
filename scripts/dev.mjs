#!/usr/bin/env node
// Development: the API server (tsx watch, restarts on change) and the Vite dev server (hot reload, proxies API
// paths to the API) side by side. Ctrl-C or SIGTERM stops both; if either one exits, the other is stopped too.
//
//   npm run dev                 API on 127.0.0.1:8080, app on http://127.0.0.1:5173 (open this one)
//   API_PORT=9090 npm run dev   API on another port (Vite's proxy follows it)
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const apiPort = process.env.API_PORT ?? '8080';
const WEB_PORT = '5173';
const bin = (name) =>
  path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

/** @type {{ name: string, child: import('node:child_process').ChildProcess }[]} */
const children = [];
let stopping = false;
let exitCode = 0;

function start(name, command, args, { env, stdin }) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: [stdin, 'inherit', 'inherit'],
    shell: process.platform === 'win32',
  });
  child.on('error', (error) => {
    console.error(`[dev] could not start ${name}: ${error.message}`);
    exitCode = 1;
    stopAll('SIGTERM');
  });
  child.on('exit', (code, signal) => {
    children.splice(
      children.findIndex((entry) => entry.child === child),
      1,
    );
    if (!stopping) {
      console.error(`[dev] ${name} exited (${signal ?? `code ${code}`}); stopping the rest`);
      exitCode = code ?? 1;
      stopAll('SIGTERM');
    }
    if (children.length === 0) process.exit(exitCode);
  });
  children.push({ name, child });
}

function stopAll(signal) {
  if (stopping) return;
  stopping = true;
  for (const { child } of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
  // Whatever has not stopped after a few seconds is killed.
  setTimeout(() => {
    for (const { name, child } of children) {
      console.error(`[dev] ${name} did not stop; killing it`);
      child.kill('SIGKILL');
    }
    process.exit(exitCode || 1);
  }, 5000).unref();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    exitCode = 0;
    stopAll(signal === 'SIGHUP' ? 'SIGTERM' : signal);
  });
}

// The terminal's input goes to Vite (its `h + enter` shortcuts), not to tsx watch (which reruns on Return).
// PUBLIC_URL points at Vite, so the one-time login link the API prints, file URLs and upload URLs all go through
// the dev server (which proxies them) and the session cookie belongs to the page's origin.
start('api', bin('tsx'), ['watch', '--clear-screen=false', 'src/server/main.ts'], {
  env: { PORT: apiPort, PUBLIC_URL: process.env.PUBLIC_URL ?? `http://127.0.0.1:${WEB_PORT}` },
  stdin: 'ignore',
});
start('web', bin('vite'), ['--port', WEB_PORT, '--strictPort'], {
  env: { API_PORT: apiPort },
  stdin: 'inherit',
});
