import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type ApiError } from '../errors.ts';
import { contentMismatch, sniffMime } from './sniff.ts';
import { IngestGate, mimeAllowed } from './upload-limits.ts';

const bytes = (...values: number[]) => Buffer.from(values);
const text = (value: string) => Buffer.from(value, 'latin1');

const SAMPLES: Record<string, Buffer> = {
  jpeg: bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46),
  png: bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d),
  gif: text('GIF89a\x01\x00\x01\x00'),
  webp: text('RIFF\x24\x00\x00\x00WEBPVP8 '),
  wav: text('RIFF\x24\x00\x00\x00WAVEfmt '),
  pdf: text('%PDF-1.7\n%\xe2\xe3'),
  zip: bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0),
  mp4: text('\x00\x00\x00\x20ftypisom\x00\x00\x02\x00'),
  heic: text('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00'),
  mp3: text('ID3\x04\x00\x00\x00\x00\x00\x00'),
  mp3frame: bytes(0xff, 0xfb, 0x90, 0x64, 0, 0),
  ogg: text('OggS\x00\x02\x00\x00'),
  svg: Buffer.from(
    '<?xml version="1.0"?>\n<!-- drawn by hand -->\n<svg xmlns="http://www.w3.org/2000/svg"></svg>',
  ),
};

describe('content sniffing', () => {
  it.each([
    ['jpeg', 'image/jpeg'],
    ['png', 'image/png'],
    ['gif', 'image/gif'],
    ['webp', 'image/webp'],
    ['wav', 'audio/wav'],
    ['pdf', 'application/pdf'],
    ['zip', 'application/zip'],
    ['mp4', 'video/mp4'],
    ['mp3', 'audio/mpeg'],
    ['mp3frame', 'audio/mpeg'],
    ['ogg', 'audio/ogg'],
    ['svg', 'image/svg+xml'],
  ])('recognises %s', (sample, mime) => {
    expect(sniffMime(SAMPLES[sample]!)).toBe(mime);
  });

  it('knows nothing about plain text or random bytes', () => {
    expect(sniffMime(Buffer.from('hello world'))).toBeUndefined();
    expect(sniffMime(Buffer.from('<?xml version="1.0"?><rss></rss>'))).toBeUndefined();
    expect(sniffMime(Buffer.alloc(0))).toBeUndefined();
  });

  // [declared, sample, refused?]
  const cases: [string, string, boolean][] = [
    // The example and other clear contradictions across categories.
    ['image/png', 'pdf', true],
    ['image/jpeg', 'zip', true],
    ['video/mp4', 'mp3', true],
    ['audio/mpeg', 'png', true],
    ['application/pdf', 'zip', true],
    ['application/pdf', 'png', true],
    ['text/plain', 'pdf', true],
    ['text/csv', 'zip', true],
    ['image/svg+xml', 'png', true],
    ['image/png', 'svg', true],
    ['video/webm', 'webp', true],
    ['image/jpeg', 'heic', true],
    // Agreeing, or same category (a .jpg that is a PNG: browsers take the type from the extension).
    ['image/png', 'png', false],
    ['image/jpeg', 'png', false],
    ['IMAGE/PNG; charset=binary', 'png', false],
    ['image/heic', 'heic', false],
    ['image/avif', 'mp4', false],
    ['video/quicktime', 'mp4', false],
    ['audio/mp4', 'mp4', false],
    ['audio/x-m4a', 'mp4', false],
    ['audio/wav', 'wav', false],
    ['audio/x-wav', 'wav', false],
    ['audio/ogg', 'ogg', false],
    ['video/ogg', 'ogg', false],
    ['audio/aac', 'mp3', false],
    ['application/pdf', 'pdf', false],
    ['application/postscript', 'pdf', false],
    ['application/zip', 'zip', false],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'zip', false],
    ['application/epub+zip', 'zip', false],
    ['model/vnd.usdz+zip', 'zip', false],
    ['image/svg+xml', 'svg', false],
    ['text/plain', 'svg', false],
    // Generic or unchecked declared types are never refused.
    ['application/octet-stream', 'pdf', false],
    ['binary/octet-stream', 'png', false],
    ['application/json', 'png', false],
  ];
  it.each(cases)('declared %s with %s bytes: refused %s', (declared, sample, refused) => {
    const mismatch = contentMismatch(declared, SAMPLES[sample]!);
    expect(mismatch !== undefined).toBe(refused);
  });

  it('accepts unknown content under any declared type', () => {
    for (const declared of ['image/png', 'video/mp4', 'application/pdf', 'text/plain']) {
      expect(contentMismatch(declared, Buffer.from('just some bytes'))).toBeUndefined();
    }
  });
});

describe('MIME patterns (ALLOWED_MIME_TYPES)', () => {
  it.each([
    ['image/png', [], true],
    ['image/png', ['*'], true],
    ['image/png', ['*/*'], true],
    ['image/png', ['image/*'], true],
    ['IMAGE/PNG', ['image/*'], true],
    ['image/png; q=1', ['image/png'], true],
    ['image/png', ['video/*', 'application/pdf'], false],
    ['application/pdf', ['video/*', 'application/pdf'], true],
    ['application/pdfx', ['application/pdf'], false],
    ['imagex/png', ['image/*'], false],
  ] as [string, string[], boolean][])('%s against %j: %s', (mime, patterns, allowed) => {
    expect(mimeAllowed(mime, patterns)).toBe(allowed);
  });
});

describe('IngestGate', () => {
  async function through(
    chunks: Buffer[],
    options: Partial<ConstructorParameters<typeof IngestGate>[0]> = {},
  ) {
    const gate = new IngestGate({
      maxBytes: 1000,
      quotaRemaining: null,
      quotaBytes: null,
      declaredMime: 'image/png',
      ...options,
    });
    const out: Buffer[] = [];
    await pipeline(
      Readable.from(chunks),
      gate,
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          out.push(chunk);
          done();
        },
      }),
    );
    return { gate, out: Buffer.concat(out) };
  }

  it('passes bytes through unchanged, counts and hashes them, even when the head comes in tiny pieces', async () => {
    const content = Buffer.concat([SAMPLES.png!, Buffer.alloc(700, 1)]);
    const chunks = [...content].map((b) => Buffer.from([b]));
    const { gate, out } = await through(chunks);
    expect(out.equals(content)).toBe(true);
    expect(gate.size).toBe(content.length);
    expect(gate.detectedMime).toBe('image/png');
    expect(gate.digest()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('holds the head back and lets none of it through when it contradicts the declared type', async () => {
    const gate = new IngestGate({
      maxBytes: 1000,
      quotaRemaining: null,
      quotaBytes: null,
      declaredMime: 'image/png',
    });
    const out: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out.push(chunk);
        done();
      },
    });
    const error = await pipeline(Readable.from([SAMPLES.pdf!, Buffer.alloc(600)]), gate, sink).catch(
      (e: unknown) => e,
    );
    expect((error as ApiError).code).toBe('MISMATCH_MIME_TYPE');
    expect(out).toEqual([]);
  });

  it('stops at the size limit and at the quota', async () => {
    const tooBig = await through([Buffer.alloc(600), Buffer.alloc(600)]).catch((e: unknown) => e);
    expect((tooBig as ApiError).code).toBe('FILE_SIZE_OVER_LIMIT');
    const overQuota = await through([Buffer.alloc(600)], { quotaRemaining: 500, quotaBytes: 2000 }).catch(
      (e: unknown) => e,
    );
    expect((overQuota as ApiError).code).toBe('SITE_QUOTA_EXCEEDED');
  });
});
