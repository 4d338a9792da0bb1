// Checks that the metadata and the bytes agree, with the server's own settings (DATA_DIR, DATABASE_URL, S3_*):
// files without bytes, blobs without files (past BLOB_SWEEP_GRACE_MINUTES), resumable upload leftovers, stuck
// jobs. Prints a summary; exits 1 when problems are found (and, with --repair, when some remain). Safe to run
// next to running servers.
//
//   npm run fsck
//   npm run fsck -- --repair --examples 20
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/server/config.ts';
import { DEFAULT_DATA_CHECK_LIMITS, openDataCheck } from '../src/server/data-check.ts';
import { formatDataCheckReport } from '../src/server/services/data-check-service.ts';

const usage =
  'usage: npm run fsck -- [--repair] [--examples N] [--stuck-after-minutes M] [--max-run-hours H]';
let values;
try {
  ({ values } = parseArgs({
    options: {
      repair: { type: 'boolean', default: false },
      examples: { type: 'string', default: '10' },
      'stuck-after-minutes': {
        type: 'string',
        default: String(DEFAULT_DATA_CHECK_LIMITS.stuckLockMs / 60_000),
      },
      'max-run-hours': { type: 'string', default: String(DEFAULT_DATA_CHECK_LIMITS.maxRunMs / 3600_000) },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const numbers = ['examples', 'stuck-after-minutes', 'max-run-hours'] as const;
const [examples, stuckMinutes, maxRunHours] = numbers.map((name) => {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`--${name} must be a non-negative number\n${usage}`);
    process.exit(2);
  }
  return value;
}) as [number, number, number];

try {
  const opened = await openDataCheck(loadConfig(), {
    stuckLockMs: stuckMinutes * 60_000,
    maxRunMs: maxRunHours * 3600_000,
  });
  try {
    const report = await opened.service.check({ repair: values.repair, examples });
    console.log(formatDataCheckReport(report));
    process.exitCode = report.problems > 0 ? 1 : 0;
  } finally {
    await opened.close();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 3;
}
