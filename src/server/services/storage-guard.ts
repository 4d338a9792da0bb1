import type { DiskSpaceProbe, VolumeRoom } from '../blobs/disk-space.ts';
import { ApiError } from '../errors.ts';

/** Most bytes a stream may pass between two free-space checks, however much room there is. */
const CHECK_EVERY_BYTES = 8 * 1024 * 1024;

export function insufficientStorage(room: VolumeRoom): ApiError {
  return new ApiError(
    'INSUFFICIENT_STORAGE',
    `The server is low on disk space: uploads are refused while less than ${room.minFreeBytes} bytes would ` +
      'stay free. Delete files forever (from the trash) to make room.',
    { freeBytes: String(room.freeBytes), minFreeBytes: String(room.minFreeBytes) },
  );
}

/**
 * Counts the bytes of one transfer (a plain upload, an import, one tus PATCH) and checks the free space at its
 * first chunk, then whenever the bytes since the last check may have used up half of the room that was left
 * (at most every 8 MiB): rare on an empty disk, at every chunk near the reserve. A check is one `statfs` per
 * volume, a few microseconds. Several concurrent transfers can each overshoot by what they passed since their last
 * check; that is bounded by the same halving and taken from the reserve, which is there for it.
 */
export class SpaceMeter {
  /** Bytes that may still pass before the next check. */
  private allowance = 0;

  constructor(private readonly probe: DiskSpaceProbe) {}

  /** Counts `bytes`; a promise (rejected with `INSUFFICIENT_STORAGE`) when a check is due, else undefined. */
  passed(bytes: number): Promise<void> | undefined {
    this.allowance -= bytes;
    if (this.allowance > 0) return undefined;
    return this.recheck();
  }

  private async recheck(): Promise<void> {
    const room = await this.probe.room();
    if (!room) {
      this.allowance = CHECK_EVERY_BYTES;
      return;
    }
    const headroom = room.freeBytes - room.minFreeBytes;
    if (headroom < 0) throw insufficientStorage(room);
    this.allowance = Math.min(CHECK_EVERY_BYTES, Math.floor(headroom / 2));
  }
}

/**
 * The free-space reserve (`MIN_FREE_DISK_BYTES`): new uploads and imports are refused with 507
 * `INSUFFICIENT_STORAGE` when storing them would leave less than the reserve free on the data volume, so
 * anonymous uploads can never fill the disk that SQLite, sessions and the trash need. Reading, signing in,
 * trashing and deleting forever are never refused: they are how the owner makes room again.
 */
export class StorageGuard {
  constructor(
    private readonly probe: DiskSpaceProbe,
    /** Whether uploaded bytes land on the watched volumes (blobs on disk), not only metadata (S3). */
    private readonly bytesOnDisk: boolean,
  ) {}

  /**
   * Refuses when fewer than the reserve plus `incoming` bytes are free (`incoming`: the declared size of what is
   * about to be stored, when known; ignored when the bytes go to S3).
   */
  async check(incoming = 0): Promise<void> {
    if (!this.probe.enabled) return;
    const room = await this.probe.room();
    if (!room) return;
    const stored = this.bytesOnDisk ? incoming : 0;
    if (room.freeBytes - stored < room.minFreeBytes) throw insufficientStorage(room);
  }

  /** A meter for one transfer whose bytes go to the watched disk; undefined when they do not. */
  meter(): SpaceMeter | undefined {
    return this.probe.enabled && this.bytesOnDisk ? new SpaceMeter(this.probe) : undefined;
  }
}
