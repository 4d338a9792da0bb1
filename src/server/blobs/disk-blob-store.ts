import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { type BlobEntry, type BlobStore, type ByteRange, checkBlobKey } from './blob-store.ts';
import { FileSink, pipeToSink } from './file-sink.ts';

const READ_CHUNK = 64 * 1024;

/** Blobs as files under `root`; writes go to `root/.tmp` and are renamed into place when complete. */
export class DiskBlobStore implements BlobStore {
  private readonly tmpDir: string;

  constructor(private readonly root: string) {
    this.tmpDir = path.join(root, '.tmp');
    fs.mkdirSync(this.tmpDir, { recursive: true });
  }

  private pathOf(key: string): string {
    return path.join(this.root, checkBlobKey(key));
  }

  private tempPath(): string {
    return path.join(this.tmpDir, `${randomBytes(12).toString('hex')}.part`);
  }

  async put(key: string, source: Readable): Promise<number> {
    const target = this.pathOf(key);
    const temp = this.tempPath();
    const sink = new FileSink(temp, { flags: 'wx' });
    try {
      // Settles only once the sink has closed its file, failed or not: a source that fails at once cannot make
      // the temp file appear after it was removed below.
      await pipeToSink(source, sink);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      await fsp.rename(temp, target);
      return sink.bytesWritten;
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
  }

  async putFile(key: string, localPath: string): Promise<number> {
    const target = this.pathOf(key);
    const temp = this.tempPath();
    try {
      try {
        await fsp.link(localPath, temp);
      } catch (error) {
        // Another filesystem (EXDEV) or one without hard links: copy instead.
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
        await fsp.copyFile(localPath, temp);
      }
      await fsp.mkdir(path.dirname(target), { recursive: true });
      await fsp.rename(temp, target);
      return (await fsp.stat(target)).size;
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key);
    // Reads no bigger than asked for: a zip of many small files would otherwise allocate 64 KiB per file.
    const length = range ? range.end - range.start + 1 : READ_CHUNK;
    const stream = fs.createReadStream(file, {
      ...(range ? { start: range.start, end: range.end } : {}),
      highWaterMark: Math.max(1, Math.min(READ_CHUNK, length)),
    });
    // Opened before it is handed out: a missing blob is an ENOENT here, not a stream error later.
    await new Promise<void>((resolve, reject) => {
      stream.once('ready', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }

  read(key: string): Promise<Buffer> {
    return fsp.readFile(this.pathOf(key));
  }

  async size(key: string): Promise<number | undefined> {
    try {
      return (await fsp.stat(this.pathOf(key))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((key) => fsp.rm(this.pathOf(key), { force: true })));
  }

  async *list(prefix: string): AsyncIterable<BlobEntry> {
    // Walk only the directory the prefix names (`renditions/ab/` → `root/renditions/ab`), one directory read at
    // a time; the temp area (`.tmp`) is not a key.
    const slash = prefix.lastIndexOf('/');
    const start = slash < 0 ? '' : prefix.slice(0, slash);
    if (start !== '') checkBlobKey(start);
    const pending = [start];
    while (pending.length > 0) {
      const dir = pending.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = await fsp.readdir(path.join(this.root, dir), { withFileTypes: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Not there (nothing stored under it yet), or removed while we walked.
        if (code === 'ENOENT' || code === 'ENOTDIR') continue;
        throw error;
      }
      for (const entry of entries) {
        const key = dir === '' ? entry.name : `${dir}/${entry.name}`;
        if (dir === '' && entry.name === '.tmp') continue;
        if (entry.isDirectory()) {
          // Descend only where keys under the prefix can be.
          if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) pending.push(key);
        } else if (entry.isFile() && key.startsWith(prefix)) {
          let stat: fs.Stats;
          try {
            stat = await fsp.stat(path.join(this.root, key));
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
            throw error;
          }
          yield { key, size: stat.size, lastModified: stat.mtime };
        }
      }
    }
  }

  /** Removes temp files left by a crash mid-write. Run at start, before any upload can be in flight. */
  async cleanTemp(): Promise<void> {
    await fsp.rm(this.tmpDir, { recursive: true, force: true });
    await fsp.mkdir(this.tmpDir, { recursive: true });
  }
}
