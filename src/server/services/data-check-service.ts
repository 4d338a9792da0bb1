import type { BlobStore } from '../blobs/blob-store.ts';
import type { CheckedFileRow, IntegrityStore } from '../stores/integrity-store.ts';
import type { BlobSweeper } from './blob-sweeper.ts';
import type { TusLeftoverSource } from './tus/leftovers.ts';

/** What a file whose bytes are gone says to its owner (`failureReason`); also how fsck knows it marked it. */
export const MISSING_BYTES_REASON =
  'The bytes of this file are missing from storage (found by a data check); upload it again';

/** Rows read (and blobs looked up) per round. */
const FILE_PAGE = 500;
/** Blob lookups in flight at once (HEAD requests on S3). */
const LOOKUPS = 8;

export interface DataCheckOptions {
  /** Fix what can be fixed; otherwise only report. */
  repair?: boolean;
  /** The time the check counts ages from (tests move it). */
  now?: number;
  /** Examples kept per kind of problem. */
  examples?: number;
}

export interface DataCheckLimits {
  /** A running job whose lock ran out this long ago is stuck: a live runner would have taken it over. */
  stuckLockMs: number;
  /** A job running (claimed) for longer than this is stuck, however its lock is renewed. */
  maxRunMs: number;
}

/** One kind of problem: how many, how many were fixed, the first few. */
export interface Finding {
  found: number;
  repaired: number;
  examples: string[];
}

export interface DataCheckReport {
  repair: boolean;
  /** File rows whose original is not in the blob store. Repair: FAILED with `MISSING_BYTES_REASON`. */
  missingBytes: Finding & { checked: number; alreadyMarked: number };
  /** Blobs no row owns, past the grace period. Repair: deleted. */
  orphanBlobs: Finding & { checked: number; bytes: number; inGrace: number; graceMinutes: number };
  /** What unfinished or never-finalized resumable uploads left. Repair: removed. */
  tusLeftovers: Finding;
  /** Jobs nobody runs (lock ran out) or that run forever. Repair: queued again. */
  stuckJobs: Finding;
  /** Found and not repaired: what the exit code reports. */
  problems: number;
}

function finding(): Finding {
  return { found: 0, repaired: 0, examples: [] };
}

/**
 * `npm run fsck`: checks that the metadata and the bytes agree, and with `repair` makes them. Rows without
 * bytes are never deleted (their owner would not learn what happened): they become FAILED with a reason. Blobs
 * without rows are deleted only past the sweeper's grace period, so it is safe with servers running.
 */
export class DataCheckService {
  constructor(
    private readonly integrity: IntegrityStore,
    private readonly blobs: BlobStore,
    private readonly sweeper: BlobSweeper,
    private readonly tus: TusLeftoverSource,
    private readonly limits: DataCheckLimits,
  ) {}

  async check(options: DataCheckOptions = {}): Promise<DataCheckReport> {
    const repair = options.repair ?? false;
    const now = options.now ?? Date.now();
    const examples = options.examples ?? 10;
    const note = (list: string[], text: string) => {
      if (list.length < examples) list.push(text);
    };

    const missingBytes = { ...finding(), checked: 0, alreadyMarked: 0 };
    let after: string | null = null;
    for (;;) {
      const rows = await this.integrity.filesWithBytes(after, FILE_PAGE);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      missingBytes.checked += rows.length;
      const missing: CheckedFileRow[] = [];
      for (const row of await this.withoutBytes(rows)) {
        if (row.operation_status === 'FAILED' && row.failure_reason === MISSING_BYTES_REASON) {
          missingBytes.alreadyMarked++;
          continue;
        }
        missing.push(row);
        note(missingBytes.examples, `file ${row.id} "${row.display_name}": no blob ${row.blob_key}`);
      }
      missingBytes.found += missing.length;
      if (repair && missing.length > 0) {
        await this.integrity.markFilesFailed(
          missing.map((row) => row.id),
          MISSING_BYTES_REASON,
        );
        missingBytes.repaired += missing.length;
      }
    }

    const graceMinutes = Math.round(this.sweeper.graceMs / 60_000);
    const orphanBlobs = { ...finding(), checked: 0, bytes: 0, inGrace: 0, graceMinutes };
    for await (const batch of this.sweeper.orphans(now)) {
      orphanBlobs.checked += batch.checked;
      orphanBlobs.inGrace += batch.recent.length;
      orphanBlobs.found += batch.stale.length;
      for (const entry of batch.stale) {
        orphanBlobs.bytes += entry.size;
        note(orphanBlobs.examples, `${entry.key} (${entry.size} bytes, ${entry.lastModified.toISOString()})`);
      }
      if (repair && batch.stale.length > 0) {
        await this.blobs.delete(batch.stale.map((entry) => entry.key));
        orphanBlobs.repaired += batch.stale.length;
      }
    }

    const tusLeftovers = finding();
    const leftovers = await this.tus.find(now);
    tusLeftovers.found = leftovers.length;
    for (const leftover of leftovers)
      note(tusLeftovers.examples, `upload ${leftover.id}: ${leftover.reason}`);
    if (repair && leftovers.length > 0) {
      await this.tus.remove(leftovers);
      tusLeftovers.repaired = leftovers.length;
    }

    const stuckJobs = finding();
    const lockExpiredBefore = new Date(now - this.limits.stuckLockMs).toISOString();
    const claimedBefore = new Date(now - this.limits.maxRunMs).toISOString();
    stuckJobs.found = await this.integrity.countStuckJobs(lockExpiredBefore, claimedBefore);
    // The rows themselves a page at a time: requeued ones drop out of the query.
    let seen = 0;
    for (;;) {
      const jobs = await this.integrity.stuckJobs(lockExpiredBefore, claimedBefore, FILE_PAGE);
      for (const job of jobs) {
        const why =
          job.locked_until !== null && job.locked_until < lockExpiredBefore
            ? `lock ran out ${job.locked_until}`
            : `running since ${job.updated_at}`;
        if (seen++ < examples)
          note(stuckJobs.examples, `job ${job.id} (${job.kind}, attempt ${job.attempts}): ${why}`);
      }
      if (!repair || jobs.length === 0) break;
      stuckJobs.repaired += await this.integrity.requeueJobs(
        jobs.map((job) => job.id),
        'requeued by a data check: it was stuck',
        new Date(now).toISOString(),
      );
    }

    const findings = [missingBytes, orphanBlobs, tusLeftovers, stuckJobs];
    const problems = findings.reduce((sum, f) => sum + f.found - f.repaired, 0);
    return { repair, missingBytes, orphanBlobs, tusLeftovers, stuckJobs, problems };
  }

  /** The rows whose original is not in the blob store, looked up a few at a time. */
  private async withoutBytes(rows: CheckedFileRow[]): Promise<CheckedFileRow[]> {
    const missing: CheckedFileRow[] = [];
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        if ((await this.blobs.size(row.blob_key)) === undefined) missing.push(row);
      }
    };
    await Promise.all(Array.from({ length: Math.min(LOOKUPS, rows.length) }, worker));
    return missing.sort((a, b) => (a.id < b.id ? -1 : 1));
  }
}

/** The report as the script prints it. */
export function formatDataCheckReport(report: DataCheckReport): string {
  const lines: string[] = [];
  const section = (title: string, f: Finding, detail: string, fix: string) => {
    const status =
      f.found === 0 ? 'ok' : report.repair ? `${f.found} found, ${f.repaired} ${fix}` : `${f.found} found`;
    lines.push(`${title}: ${status}${detail ? ` (${detail})` : ''}`);
    for (const example of f.examples) lines.push(`  - ${example}`);
    if (f.found > f.examples.length && f.examples.length > 0) {
      lines.push(`  ... and ${f.found - f.examples.length} more`);
    }
  };
  const m = report.missingBytes;
  section(
    'Files without bytes',
    m,
    `${m.checked} files checked${m.alreadyMarked ? `, ${m.alreadyMarked} marked FAILED earlier` : ''}`,
    'marked FAILED',
  );
  const o = report.orphanBlobs;
  section(
    'Blobs without files',
    o,
    `${o.checked} blobs checked, ${o.bytes} bytes${o.inGrace ? `; ${o.inGrace} younger than the ${o.graceMinutes}-minute grace period left alone` : ''}`,
    'deleted',
  );
  section('Resumable upload leftovers', report.tusLeftovers, '', 'removed');
  section('Stuck jobs', report.stuckJobs, '', 'queued again');
  lines.push('');
  if (report.problems === 0) {
    lines.push(report.repair ? 'Everything found was repaired.' : 'No problems found.');
  } else {
    lines.push(
      report.repair
        ? `${report.problems} problem(s) remain.`
        : `${report.problems} problem(s) found. Run again with --repair to fix them.`,
    );
  }
  return lines.join('\n');
}
