import sharp from 'sharp';
import { expect } from 'vitest';

// Helpers of the image transformation suites (src/server/http/transforms*.test.ts).

const WIX = 'https://static.wixstatic.com/media/';

/** A URL written by Wix's packages, with Wix's host swapped for this server (the path is what is requested). */
export function local(url: string): string {
  expect(url.startsWith(WIX)).toBe(true);
  return `/media/${url.slice(WIX.length)}`;
}

/** 800x600 in four colours: red top-left, green top-right, blue bottom-left, yellow bottom-right. */
export async function quadrants(format: 'jpeg' | 'png' = 'jpeg'): Promise<Buffer> {
  const square = (r: number, g: number, b: number) => ({
    input: { create: { width: 400, height: 300, channels: 3 as const, background: { r, g, b } } },
  });
  return sharp({ create: { width: 800, height: 600, channels: 3, background: '#000' } })
    .composite([
      { ...square(255, 0, 0), left: 0, top: 0 },
      { ...square(0, 255, 0), left: 400, top: 0 },
      { ...square(0, 0, 255), left: 0, top: 300 },
      { ...square(255, 255, 0), left: 400, top: 300 },
    ])
    [format]()
    .toBuffer();
}

export async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + info.channels)];
}

export function near(actual: number[], expected: number[]): void {
  expected.forEach((value, i) => expect(Math.abs(actual[i]! - value)).toBeLessThan(40));
}
