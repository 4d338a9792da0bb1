#!/usr/bin/env bash
# The server suites again, on PostgreSQL + S3: starts the throwaway PostgreSQL and Swift of scripts/services
# (installing their Debian packages if missing; both `start`s are idempotent), then runs the server Vitest suite
# with TEST_DATABASE_URL and S3_* set, so the HTTP integration suite, the store and blob store suites and
# src/server/scale-out.test.ts run against them. The services are left running (STOP_SERVICES=1 stops them at
# the end); .ci/run stops them itself.
#
#   npm run test:scaled                 # the server suites on PostgreSQL + S3
#   E2E=1 npm run test:scaled           # and then Playwright against a server on PostgreSQL + S3
#   npm run test:scaled -- src/server/scale-out.test.ts   # only some files
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${STOP_SERVICES:-0}" = 1 ]; then
  trap 'scripts/services/swift.sh stop || true; scripts/services/postgres.sh stop || true' EXIT
fi
scripts/services/postgres.sh start
scripts/services/swift.sh start

set -a
eval "$(scripts/services/swift.sh env)"
eval "$(scripts/services/postgres.sh env)"
set +a
export TEST_DATABASE_URL="$DATABASE_URL"
# The server suites create a schema (and a bucket key prefix) per test app; DATABASE_URL itself is for E2E.
unset DATABASE_URL

if [ "$#" -gt 0 ]; then
  npx vitest run "$@"
else
  npx vitest run src/server
fi

if [ "${E2E:-0}" = 1 ]; then
  # The e2e server (playwright.config.ts's webServer inherits this environment) gets a fresh schema of the
  # PostgreSQL database and its own key prefix in the bucket.
  run_id="e2e_$(date +%s)_$$"
  DATABASE_URL=$(node -e '
    const pg = require("pg");
    const [base, schema] = process.argv.slice(1);
    (async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query("create extension if not exists pg_trgm schema public");
      await client.query(`create schema ${schema}`);
      await client.end();
      const url = new URL(base);
      url.searchParams.set("options", `-c search_path=${schema}`);
      console.log(url.toString());
    })().catch((error) => { console.error(error); process.exit(1); });
  ' "$TEST_DATABASE_URL" "$run_id")
  export DATABASE_URL
  export S3_KEY_PREFIX="$run_id"
  npm run test:e2e
fi
