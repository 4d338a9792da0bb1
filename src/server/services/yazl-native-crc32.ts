import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * The one place that reaches into yazl's internals. yazl computes each entry's CRC-32 with its dependency
 * buffer-crc32, in JavaScript (~320 MB/s here), and offers no way to pass a CRC or a CRC function. zlib's native
 * crc32 (Node >= 20.15, so every Node `engines` allows) gives the same values several times faster; yazl looks
 * `unsigned` up on buffer-crc32's module object at each call, so replacing it on the copy yazl itself loaded
 * reaches yazl and nothing else in the app. Kept because the pooled A/B bench shows it pays (docs/benchmarks.md,
 * "Folder zips": big files ~1.4x faster, small ones less).
 *
 * It relies on: yazl 3.3 (pinned `~3.3.1` in package.json) requiring buffer-crc32 1.x and calling
 * `crc32.unsigned(chunk, previous)`. `useNativeCrc32ForYazl` checks what it can of that at start-up and throws
 * (the server does not start) rather than zip slowly; `yazl-native-crc32.test.ts` checks the rest (that a zip's
 * CRCs go through zlib and are right), and fails on any upgrade of either package, so whoever bumps them looks here.
 */
export const PINNED = { yazl: '3.3.', bufferCrc32: '1.' } as const;

interface BufferCrc32 {
  unsigned: (data: Buffer, previous?: number) => number;
}

function packageVersion(resolvedEntry: string, name: string): string {
  // buffer-crc32's `exports` hide its package.json: find it above its entry point.
  for (let dir = path.dirname(resolvedEntry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === name) return pkg.version ?? '';
  }
  return '';
}

/** yazl's own copy of buffer-crc32 and both versions. */
export function yazlCrc32Module(): { crc32: BufferCrc32; yazlVersion: string; crc32Version: string } {
  const require = createRequire(import.meta.url);
  const yazlEntry = require.resolve('yazl');
  const yazlRequire = createRequire(yazlEntry);
  const crc32Entry = yazlRequire.resolve('buffer-crc32');
  return {
    crc32: yazlRequire(crc32Entry) as BufferCrc32,
    yazlVersion: packageVersion(yazlEntry, 'yazl'),
    crc32Version: packageVersion(crc32Entry, 'buffer-crc32'),
  };
}

/** zlib's crc32 in buffer-crc32's `unsigned` shape. */
export const nativeUnsigned = (data: Buffer, previous?: number): number => zlib.crc32(data, previous ?? 0);

/** Makes yazl compute CRC-32 with zlib. Throws if yazl or buffer-crc32 is not the version this was made for. */
export function useNativeCrc32ForYazl(): void {
  const { crc32, yazlVersion, crc32Version } = yazlCrc32Module();
  if (crc32.unsigned === nativeUnsigned) return;
  if (
    !yazlVersion.startsWith(PINNED.yazl) ||
    !crc32Version.startsWith(PINNED.bufferCrc32) ||
    typeof crc32.unsigned !== 'function' ||
    typeof zlib.crc32 !== 'function' ||
    crc32.unsigned(Buffer.from('yazl')) !== zlib.crc32(Buffer.from('yazl'))
  ) {
    throw new Error(
      `yazl-native-crc32 was made for yazl ${PINNED.yazl}x with buffer-crc32 ${PINNED.bufferCrc32}x ` +
        `(found yazl ${yazlVersion}, buffer-crc32 ${crc32Version}): check that yazl still takes its CRC from ` +
        `buffer-crc32's \`unsigned\`, then update PINNED (src/server/services/yazl-native-crc32.ts)`,
    );
  }
  crc32.unsigned = nativeUnsigned;
}
