#!/usr/bin/env node
// Run before `npm start` (prestart): builds the web app and the server bundle only when a build is missing or a
// source is newer than it, so a restart is not a full vite + esbuild build each time.
import { execSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** What the build reads. */
const sources = ['src', 'public', 'index.html', 'package.json', 'package-lock.json', 'vite.config.ts'];
/** What the build writes last in each half (vite, then esbuild); a half-finished build lacks one of them. */
const outputs = ['dist/index.html', 'dist-server/main.mjs'];

function mtime(file) {
  try {
    return statSync(path.join(root, file)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The newest modification time under a file or folder (0 when absent). */
function newest(entry) {
  const full = path.join(root, entry);
  let stat;
  try {
    stat = statSync(full);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  // A folder's own time changes when a file in it is added, removed or renamed.
  let time = stat.mtimeMs;
  for (const name of readdirSync(full)) time = Math.max(time, newest(path.join(entry, name)));
  return time;
}

const built = outputs.map(mtime);
const reason = built.includes(undefined)
  ? 'no build yet'
  : Math.max(...sources.map(newest)) > Math.min(...built)
    ? 'sources changed since the last build'
    : undefined;

if (reason === undefined) {
  console.log('Build is up to date (dist/, dist-server/).');
} else {
  console.log(`Building (${reason})...`);
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
