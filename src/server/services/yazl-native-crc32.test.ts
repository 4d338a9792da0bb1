import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ZipFile } from 'yazl';
import { nativeUnsigned, PINNED, useNativeCrc32ForYazl, yazlCrc32Module } from './yazl-native-crc32.ts';

/**
 * The version pin of the one patch of a dependency's internals (see `yazl-native-crc32.ts`): these fail, and
 * say why, as soon as yazl or buffer-crc32 is upgraded or yazl stops taking its CRC where the patch puts it.
 */
describe('yazl with zlib crc32', () => {
  it('is the yazl and buffer-crc32 the patch was made for (upgrading either: re-check the patch, then PINNED)', () => {
    const { yazlVersion, crc32Version } = yazlCrc32Module();
    expect(yazlVersion.startsWith(PINNED.yazl), `yazl ${yazlVersion}`).toBe(true);
    expect(crc32Version.startsWith(PINNED.bufferCrc32), `buffer-crc32 ${crc32Version}`).toBe(true);
  });

  it("puts zlib's crc32 where yazl looks it up", () => {
    useNativeCrc32ForYazl();
    expect(yazlCrc32Module().crc32.unsigned).toBe(nativeUnsigned);
  });

  it('yazl computes the CRC of a streamed entry through it, and writes the right value', async () => {
    useNativeCrc32ForYazl();
    const { crc32 } = yazlCrc32Module();
    const data = randomBytes(200_000);
    let calls = 0;
    crc32.unsigned = (chunk, previous) => {
      calls++;
      return nativeUnsigned(chunk, previous);
    };
    try {
      const zip = new ZipFile();
      zip.addReadStream(Readable.from([data.subarray(0, 70_000), data.subarray(70_000)]), 'a.bin', {
        compress: false,
      });
      zip.end();
      const chunks: Buffer[] = [];
      for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
      const archive = Buffer.concat(chunks);
      // The central directory header (PK\1\2) holds the entry's CRC-32 at offset 16.
      const central = archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      expect(central).toBeGreaterThan(0);
      expect(archive.readUInt32LE(central + 16)).toBe(zlib.crc32(data));
      expect(calls, 'yazl no longer calls buffer-crc32 `unsigned`: the patch does nothing').toBeGreaterThan(
        0,
      );
    } finally {
      crc32.unsigned = nativeUnsigned;
    }
  });
});
