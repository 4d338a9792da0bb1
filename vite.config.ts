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
          include: ['src/server/**/*.test.ts', 'src/contract/**/*.test.ts'],
          pool: 'forks',
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
