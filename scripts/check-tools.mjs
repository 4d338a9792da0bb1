#!/usr/bin/env node
// Run before `npm test` (pretest): names the system tools the test suites need that this machine lacks, with
// the one apt-get line that installs them, instead of letting dozens of tests fail on ENOENT later.
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

const onPath = (command) =>
  (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What the tests run, how that is checked, and the Debian package that provides it. */
const tools = [
  // Playwright drives Debian's Chromium (playwright.config.ts), not a downloaded browser.
  {
    name: `chromium (${chromium}, or set CHROMIUM_PATH)`,
    pkg: 'chromium',
    present: () => existsSync(chromium),
  },
  // Video and audio processing, and the tests' own fixtures.
  { name: 'ffmpeg', pkg: 'ffmpeg', present: () => onPath('ffmpeg') },
  { name: 'ffprobe', pkg: 'ffmpeg', present: () => onPath('ffprobe') },
  // PDF thumbnails.
  { name: 'pdftoppm', pkg: 'poppler-utils', present: () => onPath('pdftoppm') },
  // The zip tests check archives with Info-ZIP's unzip.
  { name: 'unzip', pkg: 'unzip', present: () => onPath('unzip') },
  // The server starts tools under `setpriv --pdeathsig` by absolute path (run-command.ts); the tests check
  // that ffmpeg dies with its server.
  { name: 'setpriv (/usr/bin/setpriv)', pkg: 'util-linux', present: () => existsSync('/usr/bin/setpriv') },
  // The type icons (public/icons/*.svg, text included) are rendered by sharp and Chromium: they need a font.
  {
    name: 'DejaVu fonts',
    pkg: 'fonts-dejavu-core',
    present: () => existsSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'),
  },
];

const missing = tools.filter((tool) => !tool.present());
if (missing.length > 0) {
  const packages = [...new Set(missing.map((tool) => tool.pkg))];
  console.error(`Missing system tools needed by the tests: ${missing.map((tool) => tool.name).join(', ')}.`);
  console.error('Install them with:');
  console.error(`  sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`);
  process.exit(1);
}
