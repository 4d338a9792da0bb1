#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for development and tests (metadata on PostgreSQL).
#
#   scripts/services/postgres.sh start   install Debian's postgresql if missing, initdb once, start, create db `smm`
#   scripts/services/postgres.sh stop    stop the cluster (its files stay in PG_DIR for the next start)
#   scripts/services/postgres.sh env     print DATABASE_URL=... (eval "$(scripts/services/postgres.sh env)")
#
# PG_DIR (default /tmp/smm-pg) holds the cluster, PG_PORT (default 55432) is its port. Trust auth on 127.0.0.1
# only and fsync off: data here is disposable, never use this for anything you want to keep.
set -euo pipefail

PG_DIR=${PG_DIR:-/tmp/smm-pg}
PG_PORT=${PG_PORT:-55432}
PG_DB=smm
DATA="$PG_DIR/data"
LOG="$PG_DIR/postgres.log"

url() { echo "postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB"; }

# The newest installed server version's binaries (Debian keeps them off PATH, one directory per version).
find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$dir" && -x "$dir/initdb" ]]; then echo "$dir"; fi
}

ensure_installed() {
  if [[ -n "$(find_bin)" ]]; then return; fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "postgres.sh: PostgreSQL server binaries not found; install them (apt-get install postgresql)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

# initdb and postgres refuse to run as root: run them as the `postgres` OS user then, which owns PG_DIR.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

is_running() {
  local bin
  bin=$(find_bin)
  [[ -n "$bin" && -f "$DATA/PG_VERSION" ]] && as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

start() {
  ensure_installed
  local bin
  bin=$(find_bin)
  mkdir -p "$PG_DIR"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$PG_DIR"; fi
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    # Cluster-wide UTF8; the schema gives the sort columns COLLATE "C" itself, so the locale does not matter.
    as_owner "$bin/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
    cat >"$DATA/pg_hba.conf" <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
  fi
  if ! is_running; then
    as_owner "$bin/pg_ctl" -D "$DATA" -l "$LOG" -o "-p $PG_PORT" -w -t 60 start >/dev/null
  fi
  for _ in $(seq 1 60); do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then break; fi
    sleep 0.5
  done
  if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
    echo "postgres.sh: PostgreSQL did not become ready; see $LOG" >&2
    exit 1
  fi
  local exists
  exists=$("$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc \
    "select 1 from pg_database where datname = '$PG_DB'")
  if [[ "$exists" != 1 ]]; then
    "$bin/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "create database $PG_DB"
  fi
  echo "PostgreSQL ready: $(url)"
}

stop() {
  local bin
  bin=$(find_bin)
  if is_running; then as_owner "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
  echo "PostgreSQL stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) echo "DATABASE_URL=$(url)" ;;
  *)
    echo "usage: $0 start|stop|env" >&2
    exit 2
    ;;
esac
