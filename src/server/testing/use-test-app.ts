import { afterEach, beforeEach, vi } from 'vitest';
import type { Config } from '../config.ts';
import { createTestApp, type TestApp } from './test-app.ts';

/**
 * A fresh server for each test of the surrounding describe, handed to `use` (`let t: TestApp;
 * useTestApp((app) => (t = app));`), and closed after each test, with fake timers and spies undone first.
 */
export function useTestApp(use: (t: TestApp) => void, overrides: Partial<Config> = {}): void {
  let current: TestApp | undefined;
  beforeEach(async () => {
    current = await createTestApp(overrides);
    use(current);
  });
  afterEach(async () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    await current?.close();
    current = undefined;
  });
}
