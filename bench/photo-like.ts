import sharp from 'sharp';

/** A photo-like RGB image: smooth colour fields, mid-size blobs and fine grain, from a seed. */
export async function photoLike(width: number, height: number, seed: number): Promise<Buffer> {
  let state = seed * 2654435761;
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const layer = async (w: number, h: number) => {
    const noise = Buffer.alloc(w * h * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(random() * 256);
    return sharp(noise, { raw: { width: w, height: h, channels: 3 } })
      .resize(width, height, { kernel: 'cubic' })
      .raw()
      .toBuffer();
  };
  const [coarse, mid] = await Promise.all([layer(8, 6), layer(64, 48)]);
  const out = Buffer.alloc(width * height * 3);
  for (let i = 0; i < out.length; i++) {
    const grain = (random() - 0.5) * 24;
    out[i] = Math.max(0, Math.min(255, coarse[i]! * 0.65 + mid[i]! * 0.35 + grain));
  }
  return sharp(out, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}
