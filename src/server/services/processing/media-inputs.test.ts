import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { RefusedInputError, sniffContainer } from './media-containers.ts';
import { processFile } from './media-processors.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smm-inputs-'));
  dirs.push(dir);
  return dir;
}

/** Pixels of a rendition that are clearly red (the referenced file's colour). */
async function redPixels(file: string): Promise<number> {
  const { data, info } = await sharp(file).flatten({ background: '#fff' }).raw().toBuffer({
    resolveWithObject: true,
  });
  let red = 0;
  for (let i = 0; i < data.length; i += info.channels) if (data[i]! > 200 && data[i + 1]! < 60) red++;
  return red;
}

describe('SVG rendering fetches nothing', () => {
  it('files next to it, file:// paths and http:// URLs it references are not drawn nor fetched', async () => {
    const dir = tempDir();
    const red = path.join(dir, 'red.png');
    await sharp({ create: { width: 40, height: 40, channels: 3, background: '#f00' } })
      .png()
      .toFile(red);
    fs.writeFileSync(
      path.join(dir, 'shape.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg"><rect id="r" width="40" height="40" fill="#f00"/></svg>',
    );
    let requests = 0;
    const server = http.createServer((_request, response) => {
      requests++;
      response.writeHead(200, { 'content-type': 'image/png' }).end(fs.readFileSync(red));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const references = [
        '<image href="red.png" x="0" y="0" width="40" height="40"/>',
        `<image xlink:href="file://${red}" x="40" y="0" width="40" height="40"/>`,
        `<image href="http://127.0.0.1:${port}/red.png" x="80" y="0" width="40" height="40"/>`,
        '<use href="shape.svg#r" x="120"/>',
      ];
      const original = path.join(dir, 'original');
      fs.writeFileSync(
        original,
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' +
          `width="160" height="40">${references.join('')}</svg>`,
      );
      const out = path.join(dir, 'out');
      fs.mkdirSync(out);
      const processed = await processFile('VECTOR', {
        fileId: 'f'.repeat(32),
        fileName: 'refs.svg',
        mimeType: 'image/svg+xml',
        path: original,
        workDir: out,
      });
      for (const rendition of processed.renditions) expect(await redPixels(rendition.path)).toBe(0);
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });

  it('a "PNG" that libvips would read as another format (an SVG) is refused', async () => {
    const dir = tempDir();
    const original = path.join(dir, 'original');
    fs.writeFileSync(original, '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    fs.mkdirSync(path.join(dir, 'out'));
    await expect(
      processFile('IMAGE', {
        fileId: 'f'.repeat(32),
        fileName: 'x.png',
        mimeType: 'image/png',
        path: original,
        workDir: path.join(dir, 'out'),
      }),
    ).rejects.toThrow(RefusedInputError);
  });
});

describe('sniffContainer', () => {
  async function sniff(content: Buffer | string, kind: 'video' | 'audio' = 'video') {
    const file = path.join(tempDir(), 'original');
    fs.writeFileSync(file, content);
    return sniffContainer(file, kind);
  }

  it('names the demuxer of common containers', async () => {
    const ts = Buffer.alloc(188 * 4);
    for (let i = 0; i < 4; i++) ts[i * 188] = 0x47;
    expect((await sniff(Buffer.from('\0\0\0\x20ftypisom\0\0\0\0', 'latin1'))).demuxer).toBe('mov');
    expect((await sniff(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0, 0]))).demuxer).toBe('matroska');
    expect((await sniff(Buffer.from('RIFF\0\0\0\0AVI LIST', 'latin1'))).demuxer).toBe('avi');
    expect((await sniff(ts)).demuxer).toBe('mpegts');
    expect((await sniff(Buffer.from('OggS\0\x02', 'latin1'))).demuxer).toBe('ogg');
    expect((await sniff(Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1'), 'audio')).demuxer).toBe('wav');
    expect((await sniff(Buffer.from('fLaC\0\0', 'latin1'), 'audio')).demuxer).toBe('flac');
    expect((await sniff(Buffer.from([0xff, 0xfb, 0x90, 0x64]), 'audio')).demuxer).toBe('mp3');
    expect((await sniff(Buffer.from([0xff, 0xf1, 0x50, 0x80]), 'audio')).demuxer).toBe('aac');
    const id3 = Buffer.concat([
      Buffer.from('ID3\x04\0\0\0\0\0\x0a', 'latin1'),
      Buffer.alloc(10),
      Buffer.from([0xff, 0xfb]),
    ]);
    expect((await sniff(id3, 'audio')).demuxer).toBe('mp3');
  });

  it('refuses playlists, with what they are', async () => {
    const cases: [string, RegExp][] = [
      ['#EXTM3U\n#EXTINF:1,\n../../../blobs/x.mp4\n', /HLS\/M3U playlist/],
      ['\uFEFF  #EXTM3U\n', /HLS\/M3U playlist/],
      ["ffconcat version 1.0\nfile 'a.mp4'\n", /ffconcat/],
      ["# list\nfile '/etc/passwd'\n", /concat list/],
      ['v=0\no=- 0 0 IN IP4 127.0.0.1\n', /SDP/],
      ['<?xml version="1.0"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011">', /XML playlist/],
      ['[playlist]\nFile1=http://x/a.mp3\n', /PLS/],
    ];
    for (const [content, reason] of cases) {
      const refused = await sniff(content).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(RefusedInputError);
      expect((refused as Error).message).toMatch(reason);
    }
    await expect(sniff('hello, this is text')).rejects.toThrow(/not a video or audio format/);
    await expect(sniff(Buffer.from('fLaC\0\0', 'latin1'), 'video')).rejects.toThrow(/FLAC audio/);
  });
});
