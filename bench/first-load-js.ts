// The JavaScript the app's first screen needs, gzipped. Usage: `npx vite build && npx tsx bench/first-load-js.ts
// [--dist dist] [--budget 150]`.
//
// What the first screen needs is what index.html loads before anything runs: its module script and the chunks
// Vite lists as `modulepreload` (the entry's static imports). Every `import()` (routes, the viewer, the
// uploader, hls.js) is left out: those load on demand. Each file is gzipped at level 9 (what a server or CDN
// sends) and the sizes summed; the script fails when the sum is over the budget.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const dist = path.resolve(option('dist', 'dist'));
const budgetKb = Number(option('budget', '150'));
const html = readFileSync(path.join(dist, 'index.html'), 'utf8');

const scripts = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]);
const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
const files = [...new Set([...scripts, ...preloads])].filter((f): f is string => !!f);

let raw = 0;
let gzipped = 0;
const rows: string[] = [];
for (const file of files) {
  const bytes = readFileSync(path.join(dist, file.replace(/^\//, '')));
  const gz = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzipped += gz;
  rows.push(`| ${file} | ${(bytes.length / 1024).toFixed(1)} | ${(gz / 1024).toFixed(1)} |`);
}
console.log('| file | kB | kB gzipped |');
console.log('| --- | ---: | ---: |');
for (const row of rows) console.log(row);
console.log(`| **first screen, total** | ${(raw / 1024).toFixed(1)} | ${(gzipped / 1024).toFixed(1)} |`);
const over = gzipped / 1024 > budgetKb;
console.log(`\nBudget ${budgetKb} kB gzipped: ${over ? 'OVER' : 'within'}`);
if (over) process.exitCode = 1;
