import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { E2E_API_KEY, E2E_BASE_URL, E2E_IMPORT_PORT, E2E_PICKER_HOST_PORT, E2E_PORT } from './e2e/env';

// End-to-end tests against the real server serving the built app (`npm run test:e2e` builds first), in Debian's
// Chromium. Every run gets a fresh, empty DATA_DIR, removed when the run ends. This file is also loaded by the
// worker processes: they inherit E2E_DATA_DIR from the runner and so reuse its directory.
function e2eDataDir(): string {
  const existing = process.env.E2E_DATA_DIR;
  if (existing) return existing;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smm-e2e-'));
  process.env.E2E_DATA_DIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    baseURL: E2E_BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    command: 'npx tsx src/server/main.ts',
    url: `${E2E_BASE_URL}/healthz`,
    env: {
      PORT: String(E2E_PORT),
      HOST: '127.0.0.1',
      DATA_DIR: e2eDataDir(),
      MEDIA_API_KEY: E2E_API_KEY,
      // uploads.spec.ts imports from a small HTTP server of its own on this port.
      IMPORT_ALLOW_HOSTS: `127.0.0.1:${E2E_IMPORT_PORT}`,
      // picker.spec.ts embeds the media picker in a page of its own served on this origin.
      PICKER_ALLOWED_ORIGINS: `http://127.0.0.1:${E2E_PICKER_HOST_PORT}`,
      // Bulk operations ("Select all N", bulk-all.spec.ts) in small batches with a pause: their progress shows.
      BULK_BATCH_SIZE: '10',
      BULK_BATCH_PAUSE_MS: '200',
    },
    // A fresh server with empty data every run: a server already on the port is an error, not reused.
    reuseExistingServer: false,
    timeout: 60_000,
    // E2E_SERVER_LOGS=1 shows the server's log among the test output.
    stdout: process.env.E2E_SERVER_LOGS ? 'pipe' : 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
  },
});
