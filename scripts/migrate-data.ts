// Copies a single-machine install (SQLite in <dir>/metadata.sqlite, blobs in <dir>/blobs) into the configured
// PostgreSQL (DATABASE_URL) and S3 bucket (S3_*), for moving to several instances. Stop the old server first
// for a consistent copy; running it again copies whatever is missing (rows by primary key, blobs by key and
// size), so an interrupted run is resumed by running it again.
//
//   DATABASE_URL=postgres://... S3_ENDPOINT=... S3_BUCKET=... npm run migrate-data -- --from-data-dir ./data
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/server/config.ts';
import { migrateData } from '../src/server/data-migration.ts';

const { values } = parseArgs({
  options: {
    'from-data-dir': { type: 'string' },
    'batch-size': { type: 'string', default: '500' },
  },
});
const fromDataDir = values['from-data-dir'];
if (!fromDataDir) {
  console.error('usage: npm run migrate-data -- --from-data-dir <dir>   (with DATABASE_URL and S3_* set)');
  process.exit(2);
}
const batchSize = Number(values['batch-size']);
if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
  console.error('--batch-size must be a positive integer');
  process.exit(2);
}
try {
  const report = await migrateData({
    fromDataDir,
    target: loadConfig(),
    batchSize,
    log: (message) => console.log(message),
  });
  const rows = Object.values(report.tables).reduce((sum, counts) => sum + counts.source, 0);
  console.log(`Done: ${rows} rows and ${report.blobs.source} blobs are in PostgreSQL and S3.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
