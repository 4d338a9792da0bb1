// Guards the pretest check: with a tool missing from PATH it names the tool and the apt-get line, and fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';

const script = path.join(import.meta.dirname, 'check-tools.mjs');
let bin: string | undefined;

afterEach(() => {
  if (bin) rmSync(bin, { recursive: true, force: true });
  bin = undefined;
});

/** A PATH holding only the named commands (linked from where `which` finds them). */
function pathWith(commands: string[]): string {
  bin = mkdtempSync(path.join(tmpdir(), 'check-tools-'));
  for (const command of commands) {
    const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim();
    if (found) symlinkSync(found, path.join(bin, command));
  }
  return bin;
}

function run(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [script], { encoding: 'utf8', env });
}

test('names ffmpeg and the apt-get line when ffmpeg and ffprobe are not on PATH', () => {
  const result = run({ PATH: pathWith(['pdftoppm', 'unzip']) });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('ffmpeg, ffprobe');
  expect(result.stderr).toMatch(/apt-get install -y --no-install-recommends .*\bffmpeg\b/);
  expect(result.stderr).not.toMatch(/\bpoppler-utils\b/);
});

test('names a CHROMIUM_PATH that does not exist', () => {
  const result = run({ PATH: process.env.PATH, CHROMIUM_PATH: '/nonexistent/chromium' });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('/nonexistent/chromium');
  expect(result.stderr).toMatch(/apt-get install .*\bchromium\b/);
});

test('passes silently on this machine (which has everything the tests need)', () => {
  const result = run(process.env);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});
