// The demo library of the screenshots (`screenshots.ts`): the API calls that fill it, and its media, made by ffmpeg.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as net.AddressInfo;
      server.close(() => resolve(free));
    });
  });
}

/** Folders and uploads through the API at `base` with the API key `key`. */
export function demoApi(base: string, key: string) {
  async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
    const response = await fetch(`${base}/site-media/v1${url}`, {
      method,
      headers: { Authorization: key, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function folder(name: string, parent = 'media-root'): Promise<string> {
    return (
      await api<{ folder: { id: string } }>('POST', '/folders', { displayName: name, parentFolderId: parent })
    ).folder.id;
  }

  async function upload(
    fileName: string,
    mimeType: string,
    bytes: Buffer,
    parentFolderId = 'media-root',
    extra = {},
  ) {
    const { uploadUrl } = await api<{ uploadUrl: string }>('POST', '/files/generate-upload-url', {
      mimeType,
      fileName,
      parentFolderId,
      ...extra,
    });
    const response = await fetch(uploadUrl, {
      method: 'PUT',
      headers: { 'Content-Type': mimeType },
      body: new Uint8Array(bytes),
    });
    if (!response.ok) throw new Error(`PUT ${fileName}: ${response.status}`);
    return ((await response.json()) as { file: { id: string } }).file.id;
  }

  return { api, folder, upload };
}

/** Media files made in `dir` from ffmpeg's lavfi test sources, so previews show pictures. */
export function demoMedia(dir: string) {
  /** A media file made by ffmpeg from its lavfi test sources. */
  function ffmpegMade(name: string, args: string[]): Buffer {
    const file = path.join(dir, name);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...args, file]);
    return fs.readFileSync(file);
  }

  function testImage(hue: number): Buffer {
    const file = path.join(dir, `demo-${hue}.jpg`);
    execFileSync('ffmpeg', [
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=800x600`,
      '-frames:v',
      '1',
      '-vf',
      `hue=h=${hue}`,
      file,
    ]);
    return fs.readFileSync(file);
  }

  return { ffmpegMade, testImage };
}
