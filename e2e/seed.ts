// Seeding many files quickly for the big-folder specs: tiny distinct PNGs uploaded through the API, many at once.
import { deflateSync } from 'node:zlib';
import type { APIRequestContext } from '@playwright/test';
import { type ApiFile, uploadFile } from './fixtures';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc(body));
  return Buffer.concat([len, body, sum]);
}

/** A valid 1x1 PNG whose pixel differs per `seed`, so every file has its own bytes. */
export function tinyPng(seed: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8;
  header[9] = 2;
  const pixel = Buffer.from([0, seed & 0xff, (seed >> 8) & 0xff, (seed >> 16) & 0xff]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixel)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The name of the n-th seeded file: zero-padded, so name order is number order. */
export const seededName = (n: number) => `img-${String(n).padStart(5, '0')}.png`;

/** Uploads `count` tiny PNGs (`img-00000.png`...) into a folder, `parallel` at a time. */
export async function seedPngs(
  api: APIRequestContext,
  parentFolderId: string,
  count: number,
  parallel = 12,
): Promise<ApiFile[]> {
  const files: ApiFile[] = new Array<ApiFile>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      files[n] = await uploadFile(api, {
        fileName: seededName(n),
        mimeType: 'image/png',
        data: tinyPng(n + 1),
        parentFolderId,
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return files;
}
