import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors.ts';
import { RenderQueue, SingleFlight } from './render-queue.ts';
import { canonicalTransform, parseTransform } from './transform-grammar.ts';

function fieldOf(path: string): string | undefined {
  try {
    parseTransform(path);
    return undefined;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.fieldViolations[0]?.field;
  }
}

describe('transform grammar', () => {
  it('parses what image-kit writes', () => {
    expect(parseTransform('fill/w_640,h_480,al_c,q_90,usm_0.66_1.00_0.01,enc_auto/pic.jpg')).toEqual({
      resize: { mode: 'fill', w: 640, h: 480, align: 'c' },
      quality: 90,
      unsharp: { radius: 0.66, amount: 1, threshold: 0.01 },
      encoding: 'auto',
      baseline: false,
      still: false,
      format: 'jpeg',
      name: 'pic.jpg',
    });
    expect(parseTransform('crop/x_100,y_50,w_800,h_600/fill/w_400,h_300,al_c,q_80/a.jpg')).toMatchObject({
      crop: { x: 100, y: 50, w: 800, h: 600 },
      resize: { mode: 'fill', w: 400, h: 300 },
    });
    expect(parseTransform('fit/w_640,h_480,q_80/n.webp')).toMatchObject({
      resize: { mode: 'fit', w: 640, h: 480 },
      format: 'webp',
    });
    expect(
      parseTransform(
        'fill/w_10,h_10,fp_0.20_0.70,lg_2,bl,wm_x,con_10,br_-20,sat_30,hue_40,blur_5,enc_avif,quality_auto,pstr/my%20pic.png',
      ),
    ).toMatchObject({
      resize: { focal: { x: 0.2, y: 0.7 } },
      baseline: true,
      contrast: 10,
      brightness: -20,
      saturation: 30,
      hue: 40,
      blur: 5,
      encoding: 'avif',
      still: true,
      format: 'png',
      name: 'my pic.png',
    });
    expect(parseTransform('crop/w_100,h_100,al_tl/a.gif')).toMatchObject({
      crop: { w: 100, h: 100, align: 'tl' },
    });
    expect(parseTransform('fill/w_10,h_10,anm_all/a.gif').format).toBe('gif');
  });

  it('names the parameter it refuses', () => {
    expect(fieldOf('fill/w_0,h_1/a.jpg')).toBe('w');
    expect(fieldOf('fill/w_5001,h_1/a.jpg')).toBe('w');
    expect(fieldOf('fill/w_1,h_1.5/a.jpg')).toBe('h');
    expect(fieldOf('fill/w_1/a.jpg')).toBe('h');
    expect(fieldOf('fill/w_1,h_1,al_z/a.jpg')).toBe('al');
    expect(fieldOf('fill/w_1,h_1,q_0/a.jpg')).toBe('q');
    expect(fieldOf('fill/w_1,h_1,q_1,q_2/a.jpg')).toBe('q');
    expect(fieldOf('fill/w_1,h_1,fp_2_0/a.jpg')).toBe('fp');
    expect(fieldOf('fit/w_1,h_1,fp_0_0/a.jpg')).toBe('fp');
    expect(fieldOf('fill/w_1,h_1,usm_a_b_c/a.jpg')).toBe('usm');
    expect(fieldOf('fill/w_1,h_1,hue_999/a.jpg')).toBe('hue');
    expect(fieldOf('fill/w_1,h_1,bl_1/a.jpg')).toBe('bl');
    expect(fieldOf('fill/w_1,h_1,nope/a.jpg')).toBe('nope');
    expect(fieldOf('fill/w_1,h_1/a.tiff')).toBe('name');
    expect(fieldOf('fill/w_1,h_1/a')).toBe('name');
    expect(fieldOf('fill/w_1,h_1/%E0%A4%A.jpg')).toBe('name');
    expect(fieldOf('fill/w_1,h_1/crop/x_0,y_0,w_1,h_1/a.jpg')).toBe('fill');
    expect(fieldOf('a.jpg')).toBe('transform');
    expect(fieldOf('blur/w_1/a.jpg')).toBe('transform');
    expect(fieldOf('crop/x_0,w_1,h_1,q_5/a.jpg')).toBe('y');
  });

  it('gives equal transformations equal keys, whatever the name', () => {
    const a = canonicalTransform(parseTransform('fill/w_10,h_10,q_80,al_c/a.jpg'));
    const b = canonicalTransform(parseTransform('fill/w_10,h_10,al_c,q_80/other.jpg'));
    const c = canonicalTransform(parseTransform('fill/w_10,h_10,al_c,q_81/a.jpg'));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});

describe('render queue', () => {
  it('runs at most `concurrency` at once and refuses past the queue limit', async () => {
    const queue = new RenderQueue(1, 1);
    let release!: () => void;
    const first = queue.run(() => new Promise<string>((resolve) => (release = () => resolve('first'))));
    const second = queue.run(async () => 'second');
    await expect(queue.run(async () => 'third')).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 503 });
    expect(queue.pending).toBe(1);
    release();
    expect(await Promise.all([first, second])).toEqual(['first', 'second']);
    expect(await queue.run(async () => 'later')).toBe('later');
  });

  it('single flight shares one promise between identical calls', async () => {
    const flights = new SingleFlight<number>();
    let calls = 0;
    const work = async () => {
      calls += 1;
      await Promise.resolve();
      return calls;
    };
    expect(await Promise.all([flights.run('k', work), flights.run('k', work)])).toEqual([1, 1]);
    expect(await flights.run('k', work)).toBe(2);
  });
});
