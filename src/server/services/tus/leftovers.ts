import fsp from 'node:fs/promises';
import path from 'node:path';

/** What an unfinished tus upload left behind, and why it counts as left behind. */
export interface TusLeftover {
  id: string;
  reason: string;
  /** On S3: the multipart upload to abort, and its object key (prefix included). */
  uploadId?: string;
  key?: string;
}

/** Finds and removes what resumable uploads leave behind, wherever they live (disk or S3). */
export interface TusLeftoverSource {
  /** Leftovers as of `now` (uploads expire `expiryMs` after their creation). */
  find(now: number): Promise<TusLeftover[]>;
  remove(leftovers: readonly TusLeftover[]): Promise<void>;
}

const RECORD = '.json';

/**
 * The tus file store's directory (`DATA_DIR/tus`): each upload is its bytes (`<id>`) and its record
 * (`<id>.json`, written just after the bytes' empty file). @tus/file-store's own expiry lists the records only,
 * and its `remove` gives up when the bytes are gone before removing the record, so both halves can outlive
 * their upload: bytes without a record (past the expiry), a record without bytes, and uploads past the expiry.
 */
export class DiskTusLeftovers implements TusLeftoverSource {
  constructor(
    private readonly directory: string,
    private readonly expiryMs: number,
  ) {}

  async find(now: number): Promise<TusLeftover[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const present = new Set(names);
    const before = now - this.expiryMs;
    const found: TusLeftover[] = [];
    for (const name of names) {
      const isRecord = name.endsWith(RECORD);
      const id = isRecord ? name.slice(0, -RECORD.length) : name;
      if (!isRecord && present.has(`${id}${RECORD}`)) continue; // Looked at with its record.
      const mtime = await this.mtimeOf(name);
      if (mtime === undefined) continue; // Removed meanwhile.
      if (!isRecord) {
        if (mtime < before) found.push({ id, reason: 'bytes without a record, past the expiry' });
        continue;
      }
      if (!present.has(id)) {
        found.push({ id, reason: 'a record without bytes' });
        continue;
      }
      const created = await this.creationOf(name);
      if ((created ?? mtime) < before) {
        const when = new Date(created ?? mtime).toISOString();
        found.push({ id, reason: `not finalized, expired (created ${when})` });
      }
    }
    return found;
  }

  async remove(leftovers: readonly TusLeftover[]): Promise<void> {
    for (const { id } of leftovers) {
      await fsp.rm(path.join(this.directory, id), { force: true });
      await fsp.rm(path.join(this.directory, `${id}${RECORD}`), { force: true });
    }
  }

  private async mtimeOf(name: string): Promise<number | undefined> {
    try {
      return (await fsp.stat(path.join(this.directory, name))).mtimeMs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** The record's `creation_date`, or undefined when it is unreadable (its file's age is used instead). */
  private async creationOf(name: string): Promise<number | undefined> {
    try {
      const record = JSON.parse(await fsp.readFile(path.join(this.directory, name), 'utf8')) as {
        creation_date?: unknown;
      };
      const created = typeof record.creation_date === 'string' ? Date.parse(record.creation_date) : NaN;
      return Number.isNaN(created) ? undefined : created;
    } catch {
      return undefined;
    }
  }
}

/** The part of the S3 tus store (`s3-store.ts`, loaded only with S3) the leftovers need. */
interface S3TusStore {
  findLeftovers(now: number): Promise<TusLeftover[]>;
  removeLeftovers(leftovers: readonly TusLeftover[]): Promise<void>;
}

/** Uploads in the bucket (under `tus/`): anything of an upload older than the expiry. */
export function s3TusLeftovers(store: S3TusStore): TusLeftoverSource {
  return {
    find: (now) => store.findLeftovers(now),
    remove: (leftovers) => store.removeLeftovers(leftovers),
  };
}
