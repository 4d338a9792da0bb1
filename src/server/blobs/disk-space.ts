import fs from 'node:fs';
import fsp from 'node:fs/promises';

/** Default reserve: 1 GiB, or a tenth of the volume when that is less (a small volume is not refused whole). */
const DEFAULT_RESERVE_BYTES = 1024 ** 3;
const DEFAULT_RESERVE_FRACTION = 0.1;

/** The room left on the tightest of the watched volumes. */
export interface VolumeRoom {
  /** Bytes an unprivileged writer may still use (`bavail`), on the volume with the least headroom. */
  freeBytes: number;
  /** The reserve that volume keeps. */
  minFreeBytes: number;
}

/**
 * Measures the free space of the volumes the server writes to (the data dir: SQLite and its journal, blobs on
 * disk, unfinished tus uploads, processing temp files) with `statfs`: one system call per volume (directories on
 * the same device are measured once), all at once.
 */
export class DiskSpaceProbe {
  /** The directories to measure, one per device, once each of them exists. */
  private measured: string[] | undefined;

  constructor(
    /** Directories to watch; missing ones are skipped until they exist. */
    private readonly directories: readonly string[],
    /** Bytes to keep free on each; null: 1 GiB or a tenth of the volume, whichever is less. */
    private readonly minFreeBytes: number | null,
  ) {}

  /** False when there is nothing to watch (no local state, or the reserve is turned off with 0). */
  get enabled(): boolean {
    return this.directories.length > 0 && this.minFreeBytes !== 0;
  }

  /** The watched volume with the least room above its reserve; undefined when none could be measured. */
  async room(): Promise<VolumeRoom | undefined> {
    const all = await Promise.all(this.volumes().map((directory) => this.measure(directory)));
    let tightest: VolumeRoom | undefined;
    for (const room of all) {
      if (
        room &&
        (!tightest || room.freeBytes - room.minFreeBytes < tightest.freeBytes - tightest.minFreeBytes)
      ) {
        tightest = room;
      }
    }
    return tightest;
  }

  /** One existing directory per device (worked out once all of them exist). */
  private volumes(): string[] {
    if (this.measured) return this.measured;
    const devices = new Map<number, string>();
    let complete = true;
    for (const directory of this.directories) {
      try {
        const { dev } = fs.statSync(directory);
        if (!devices.has(dev)) devices.set(dev, directory);
      } catch {
        complete = false;
      }
    }
    const volumes = [...devices.values()];
    if (complete) this.measured = volumes;
    return volumes;
  }

  private async measure(directory: string): Promise<VolumeRoom | undefined> {
    let stats: Awaited<ReturnType<typeof fsp.statfs>>;
    try {
      stats = await fsp.statfs(directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const freeBytes = stats.bavail * stats.bsize;
    const minFreeBytes =
      this.minFreeBytes ??
      Math.min(DEFAULT_RESERVE_BYTES, Math.ceil(stats.blocks * stats.bsize * DEFAULT_RESERVE_FRACTION));
    return { freeBytes, minFreeBytes };
  }
}
