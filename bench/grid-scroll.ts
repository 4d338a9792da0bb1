// Loads a folder of N files (default 100,000) in Chromium and reports time to first tiles, DOM size, frame times
// while scrolling, and JS heap, for the grid and the list view.
// Usage: npm run build && npx tsx bench/grid-scroll.ts [--files 100000] [--seconds 6]
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import type { FileRow } from '../src/server/stores/schema.ts';
import { freePort } from './lib.ts';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const total = option('files', 100_000);
const seconds = option('seconds', 6);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-grid-bench-'));
const key = 'bench-key-0123456789abcdef';
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const config = loadConfig(
  {},
  { dataDir, apiKey: key, port, publicUrl: base, staticDir: path.resolve('dist'), logLevel: 'warn' },
);
const { app, store, folders } = await buildApp(config);

// One folder holding every file, seeded straight into the store (what an upload would have written).
const folder = await folders.create('Big folder', 'media-root');
const started = Date.now();
const BATCH = 500;
for (let start = 0; start < total; start += BATCH) {
  const rows: FileRow[] = [];
  for (let n = start; n < Math.min(total, start + BATCH); n++) {
    const name = `IMG_${String(n).padStart(6, '0')}.jpg`;
    const id = `${randomBytes(16).toString('hex')}.jpg`;
    const date = new Date(Date.parse('2025-01-01T00:00:00Z') + n * 1000).toISOString();
    rows.push({
      id,
      display_name: name,
      sort_name: name.toLowerCase(),
      search_text: `${name.toLowerCase()}\nimage/jpeg`,
      parent_folder_id: folder.id,
      location_id: folder.id,
      root: 'MEDIA_ROOT',
      scope: 'MEDIA_ROOT',
      state: 'OK',
      trash_batch: null,
      mime_type: 'image/jpeg',
      media_type: 'IMAGE',
      size_in_bytes: 100_000 + n,
      hash: randomBytes(32).toString('hex'),
      private: 0,
      labels: '[]',
      operation_status: 'READY',
      failure_reason: null,
      source_url: null,
      media: JSON.stringify({
        image: {
          image: { id, url: '', width: 4000, height: 3000, filename: name, altText: null },
          colors: null,
          faces: [],
          previewImage: null,
        },
      }),
      external_info: null,
      blob_key: `originals/${id.slice(0, 2)}/${id}`,
      assets: '{}',
      created_date: date,
      updated_date: date,
    });
  }
  await store.db.insertInto('files').values(rows).execute();
}
console.error(
  `seeded ${total.toLocaleString('en')} files in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
await app.listen({ port, host: '127.0.0.1' });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--enable-precise-memory-info',
  ],
});

interface Result {
  view: string;
  firstTilesMs: number;
  domNodesAtStart: number;
  domNodesAfterScroll: number;
  itemsLoaded: number;
  frames: number;
  frameP50: number;
  frameP95: number;
  frameMax: number;
  longFrames: number;
  heapMb: number;
  scrolledPx: number;
}

const results: Result[] = [];
for (const view of ['grid', 'list'] as const) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.request.post(`${base}/auth/session`, { data: { apiKey: key } });
  const page = await context.newPage();
  // tsx keeps function names with an `__name` helper that the page does not have.
  await page.addInitScript('globalThis.__name = (fn) => fn;');
  const t0 = Date.now();
  await page.goto(`${base}/files/${folder.id}?view=${view}&sort=name&order=asc`);
  await page.locator('[role="gridcell"]').first().waitFor();
  const firstTilesMs = Date.now() - t0;
  const domNodesAtStart = await page.evaluate(() => document.querySelectorAll('*').length);

  // Scroll the grid at a steady pace for a few seconds, as a user dragging the scrollbar would, recording the
  // time between frames; pages load as the end of what is loaded comes near.
  const scroll = await page.evaluate(async (duration: number) => {
    const grid = document.querySelector<HTMLElement>('[role="grid"]')!;
    const deltas: number[] = [];
    let last = performance.now();
    const end = last + duration * 1000;
    let scrolled = 0;
    await new Promise<void>((resolve) => {
      const step = (now: number) => {
        deltas.push(now - last);
        last = now;
        const before = grid.scrollTop;
        grid.scrollTop += 400;
        scrolled += grid.scrollTop - before;
        if (now < end) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    });
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    return {
      deltas,
      scrolled,
      heap: memory?.usedJSHeapSize ?? 0,
      nodes: document.querySelectorAll('*').length,
    };
  }, seconds);
  const itemsLoaded = await page.evaluate(
    () =>
      Math.max(
        0,
        ...[...document.querySelectorAll('[role="gridcell"]')].map((c) =>
          Number(c.getAttribute('data-index')),
        ),
      ) + 1,
  );
  const sorted = [...scroll.deltas].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  results.push({
    view,
    firstTilesMs,
    domNodesAtStart,
    domNodesAfterScroll: scroll.nodes,
    itemsLoaded,
    frames: sorted.length,
    frameP50: pick(0.5),
    frameP95: pick(0.95),
    frameMax: sorted.at(-1) ?? 0,
    longFrames: sorted.filter((d) => d > 50).length,
    heapMb: scroll.heap / 1024 / 1024,
    scrolledPx: scroll.scrolled,
  });
  await context.close();
}

await browser.close();
await app.close();
fs.rmSync(dataDir, { recursive: true, force: true });

console.log(
  `\nFolder of ${total.toLocaleString('en')} files, viewport 1440x900, ${seconds} s of scrolling at 400 px/frame\n`,
);
console.log(
  '| view | time to first tiles | DOM nodes (start / after scroll) | last item in view after scroll | frames | frame p50 / p95 / max | frames > 50 ms | JS heap |',
);
console.log('|---|--:|--:|--:|--:|--:|--:|--:|');
for (const r of results) {
  console.log(
    `| ${r.view} | ${r.firstTilesMs} ms | ${r.domNodesAtStart} / ${r.domNodesAfterScroll} | #${r.itemsLoaded.toLocaleString('en')} (${(r.scrolledPx / 1e6).toFixed(2)} M px) | ${r.frames} | ${r.frameP50.toFixed(1)} / ${r.frameP95.toFixed(1)} / ${r.frameMax.toFixed(1)} ms | ${r.longFrames} | ${r.heapMb.toFixed(1)} MB |`,
  );
}
