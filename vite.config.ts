/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiTarget = `http://127.0.0.1:${process.env.API_PORT ?? '8080'}`;

// Paths the API server answers (matched as whole path segments, so `/media-kit` stays with the app);
// everything else is the single-page app.
const apiPaths = ['site-media', 'site-media-ext', 'auth', 'login', 'media', 'download', 'visitor', 'healthz'];
// Keep the Host header (no changeOrigin) so cookies set by the API belong to the dev server's origin.
// `/upload` itself is the public visitor upload page (the app); only the paths below it are the API's.
const proxy = {
  [`^/(${apiPaths.join('|')})(/|\\?|$)`]: { target: apiTarget },
  '^/upload/': { target: apiTarget },
};

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Everything the first screen imports statically goes into one chunk: left to itself, Rolldown splits
        // the modules the on-demand parts also use into ~30 small chunks, which gzip ~8 kB worse together than
        // as one (bench/first-load-js.ts, docs/benchmarks.md). The on-demand parts import from that chunk.
        codeSplitting: { groups: [{ name: 'first-screen', tags: ['$initial'] }] },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy,
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    proxy,
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          environment: 'node',
          include: ['src/server/**/*.test.ts', 'src/contract/**/*.test.ts', 'scripts/**/*.test.ts'],
          pool: 'forks',
          // These tests stream real files through real servers and databases; on a loaded 2-core machine a
          // single test can take well past Vitest's 5 s default without anything being wrong.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'web',
          environment: 'jsdom',
          include: ['src/web/**/*.test.{ts,tsx}'],
          setupFiles: ['src/web/test/setup.ts'],
        },
      },
    ],
    passWithNoTests: true,
  },
});
