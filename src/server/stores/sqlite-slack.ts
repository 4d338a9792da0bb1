import fs from 'node:fs';

/** Room the slack file keeps for SQLite: its WAL frames for sign-ins, trashing and deleting forever. */
export const SLACK_BYTES = 8 * 1024 * 1024;

/** The slack is made only when this many times its size is free: it never fills a disk itself. */
const ROOM_FACTOR = 4;

/**
 * A file of zeros next to the SQLite database (`metadata.sqlite-slack`), room kept for SQLite on a full disk.
 * At 0 bytes free every SQLite write fails with `SQLITE_FULL`: signing in (a session row), trashing, and the
 * delete forever that would free space. When one does, the store deletes this file and tries again once, so
 * the owner can always sign in and make room. It is made again once the volume has room to spare.
 */
export class SqliteSlack {
  constructor(
    private readonly file: string,
    private readonly bytes = SLACK_BYTES,
  ) {}

  /** Deletes the slack file; true when there was one (its room is now free). */
  release(): boolean {
    try {
      fs.unlinkSync(this.file);
      return true;
    } catch {
      return false;
    }
  }

  /** Makes the slack file when it is missing and the volume has room to spare. Never throws. */
  ensure(): void {
    if (fs.existsSync(this.file)) return;
    const temp = `${this.file}.tmp`;
    try {
      const stats = fs.statfsSync(fs.realpathSync(`${this.file}/..`));
      if (stats.bavail * stats.bsize < this.bytes * ROOM_FACTOR) return;
      // Real zeros, not a sparse file: the point is blocks the volume has handed out already.
      const chunk = Buffer.alloc(1024 * 1024);
      const fd = fs.openSync(temp, 'w');
      try {
        for (let written = 0; written < this.bytes; written += chunk.length) fs.writeSync(fd, chunk);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, this.file);
    } catch {
      fs.rmSync(temp, { force: true });
    }
  }
}
