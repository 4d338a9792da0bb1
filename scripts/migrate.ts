// Brings the configured metadata database (DATABASE_URL, else SQLite in DATA_DIR) to the latest schema and
// exits. The server migrates at start too; this is for deploys that migrate once before starting instances.
//
//   npm run migrate
//   DATABASE_URL=postgres://user@host/db npm run migrate
import { loadConfig } from '../src/server/config.ts';
import { openMetadataDb } from '../src/server/stores/metadata-db.ts';
import { MetadataStore } from '../src/server/stores/metadata-store.ts';

const config = loadConfig();
const store = new MetadataStore(await openMetadataDb(config));
try {
  await store.migrate();
  console.log(`Migrated the ${store.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'} metadata database.`);
} finally {
  await store.close();
}
