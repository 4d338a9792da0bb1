#!/usr/bin/env bash
# A throwaway OpenStack Swift with its S3 API (s3api + tempauth) on loopback, for testing the S3 blob store.
#
#   scripts/services/swift.sh start   # installs Debian's packages if missing, starts, waits until S3 answers
#   scripts/services/swift.sh env     # S3_* lines for the server and the tests: eval "$(scripts/services/swift.sh env)"
#   scripts/services/swift.sh stop    # stops every process `start` started (the data stays in SWIFT_DIR)
#   scripts/services/swift.sh status
#
# SWIFT_DIR (default /tmp/smm-swift) holds the configs, rings, data, logs and pid files; SWIFT_PORT (default 8580)
# is the proxy's (the S3 endpoint). The object, container and account servers and memcached take
# SWIFT_PORT+10..+13. One device, one replica: nothing here is meant to survive or to be fast.
set -euo pipefail

SWIFT_DIR=${SWIFT_DIR:-/tmp/smm-swift}
SWIFT_PORT=${SWIFT_PORT:-8580}
SWIFT_BUCKET=${SWIFT_BUCKET:-smm}
OBJECT_PORT=$((SWIFT_PORT + 10))
CONTAINER_PORT=$((SWIFT_PORT + 11))
ACCOUNT_PORT=$((SWIFT_PORT + 12))
MEMCACHED_PORT=$((SWIFT_PORT + 13))
# tempauth's user `test:tester`: with s3api the access key is `account:user`, the secret the password.
ACCESS_KEY='test:tester'
SECRET_KEY='testing'
SERVICES=(memcached account container object proxy)

log() { echo "swift.sh: $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
  local missing=0
  for command in swift-proxy-server swift-account-server swift-container-server swift-object-server \
    swift-ring-builder memcached curl openssl; do
    command -v "$command" >/dev/null 2>&1 || missing=1
  done
  # s3api ships inside python3-swift (swift.common.middleware.s3api); check it is importable all the same.
  # Debian's own python3: a pyenv or venv python3 earlier on PATH does not see Debian's modules.
  /usr/bin/python3 -c 'import swift.common.middleware.s3api' >/dev/null 2>&1 || missing=1
  [ "$missing" = 0 ] && return
  log 'installing Debian packages (swift, memcached)'
  export DEBIAN_FRONTEND=noninteractive
  # Debian's packages would start their own services from /etc/swift: a policy-rc.d that forbids it keeps the
  # install quiet on a machine without one (Debian's container images ship one already).
  local policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    policy_added=1
  fi
  # Another apt (a parallel job) may hold the lock: wait for it instead of failing.
  as_root apt-get update -qq -o DPkg::Lock::Timeout=600
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
    --no-install-recommends swift swift-proxy swift-account swift-container swift-object memcached curl openssl \
    >/dev/null
  if [ "$policy_added" = 1 ]; then as_root rm -f /usr/sbin/policy-rc.d; fi
}

# Swift reads the hash prefix/suffix from /etc/swift/swift.conf whatever `swift_dir` says. Debian's package ships
# one (with `changeme` values, fine for a throwaway); write a minimal one only when there is none.
ensure_swift_conf() {
  [ -f /etc/swift/swift.conf ] && return
  as_root mkdir -p /etc/swift
  printf '[swift-hash]\nswift_hash_path_suffix = smm-throwaway\nswift_hash_path_prefix = smm-throwaway\n\n[storage-policy:0]\nname = Policy-0\ndefault = yes\n' |
    as_root tee /etc/swift/swift.conf >/dev/null
}

# A process that exited but was not reaped (its parent, the job that started it, is gone and PID 1 may not reap)
# still answers `kill -0`: only a live, non-zombie process counts.
process_alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "${state#Z}" = "$state" ]
}

pid_alive() {
  local file="$SWIFT_DIR/run/$1.pid"
  [ -f "$file" ] || return 1
  local pid
  pid=$(cat "$file")
  [ -n "$pid" ] && process_alive "$pid"
}

write_configs() {
  local etc="$SWIFT_DIR/etc" user
  user=$(id -un)
  mkdir -p "$etc" "$SWIFT_DIR/srv/d1" "$SWIFT_DIR/cache" "$SWIFT_DIR/run" "$SWIFT_DIR/log"
  # Settings every server shares. `user`: Swift drops privileges to it at start; the current user (root in CI).
  # mount_check off: the device is a plain directory, not a mount point.
  local common="bind_ip = 127.0.0.1
workers = 0
user = $user
swift_dir = $etc
devices = $SWIFT_DIR/srv
mount_check = false
disable_fallocate = true
recon_cache_path = $SWIFT_DIR/cache
log_level = INFO"
  local kind port
  for kind in account container object; do
    case $kind in
      account) port=$ACCOUNT_PORT ;;
      container) port=$CONTAINER_PORT ;;
      object) port=$OBJECT_PORT ;;
    esac
    cat >"$etc/$kind-server.conf" <<EOF
[DEFAULT]
$common
bind_port = $port
log_name = $kind-server

[pipeline:main]
pipeline = $kind-server

[app:$kind-server]
use = egg:swift#$kind
EOF
  done
  # s3api must come before the auth middleware; multipart uploads need slo (parts become segments of a
  # static large object) and copy; dlo and versioned_writes are listed because Swift inserts them anyway.
  # Swift's defaults allow 1000 parts where AWS allows 10000: raise both limits so a client using AWS's limits
  # (8 MiB parts for streams of unknown size: up to 78 GiB) works here too.
  cat >"$etc/proxy-server.conf" <<EOF
[DEFAULT]
$common
bind_port = $SWIFT_PORT
log_name = proxy-server

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo versioned_writes proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:s3api]
use = egg:swift#s3api
location = us-east-1
max_upload_part_num = 10000

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = $SECRET_KEY .admin

[filter:slo]
use = egg:swift#slo
max_manifest_segments = 10000

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$MEMCACHED_PORT

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:copy]
use = egg:swift#copy

[filter:dlo]
use = egg:swift#dlo

[filter:versioned_writes]
use = egg:swift#versioned_writes
EOF
}

# One device, one replica. Rebuilt only when missing or when the ports changed (with a single device every
# partition lives on it, so a rebuild never strands data).
build_rings() {
  local etc="$SWIFT_DIR/etc" stamp="$SWIFT_PORT"
  if [ -f "$etc/object.ring.gz" ] && [ -f "$etc/container.ring.gz" ] && [ -f "$etc/account.ring.gz" ] &&
    [ "$(cat "$etc/rings.port" 2>/dev/null)" = "$stamp" ]; then
    return
  fi
  local kind port status
  for kind in account container object; do
    case $kind in
      account) port=$ACCOUNT_PORT ;;
      container) port=$CONTAINER_PORT ;;
      object) port=$OBJECT_PORT ;;
    esac
    rm -f "$etc/$kind.builder" "$etc/$kind.ring.gz"
    swift-ring-builder "$etc/$kind.builder" create 6 1 0 >/dev/null
    swift-ring-builder "$etc/$kind.builder" add "r1z1-127.0.0.1:$port/d1" 100 >/dev/null
    # Exit 1 is a warning (e.g. balance), not a failure.
    status=0
    swift-ring-builder "$etc/$kind.builder" rebalance >/dev/null || status=$?
    [ "$status" -le 1 ] || { log "ring $kind: rebalance failed ($status)"; exit 1; }
  done
  echo "$stamp" >"$etc/rings.port"
}

# Each service in its own session, so that it outlives this script and the job that ran it, and so that Swift's
# own `killpg` on SIGTERM hits nothing but itself. The pid written is the one that execs into the service.
launch() {
  local name=$1
  shift
  pid_alive "$name" && return
  # shellcheck disable=SC2016 # expanded by the inner sh, on purpose
  setsid sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$SWIFT_DIR/run/$name.pid" "$@" \
    >>"$SWIFT_DIR/log/$name.log" 2>&1 </dev/null &
  # The pid file is written by the child: wait for it, or a check right after would take the service for dead.
  for _ in $(seq 100); do
    [ -s "$SWIFT_DIR/run/$name.pid" ] && return
    sleep 0.05
  done
  log "$name did not start"
  exit 1
}

s3_list_buckets() {
  local date signature
  date=$(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S GMT')
  signature=$(printf 'GET\n\n\n%s\n/' "$date" | openssl dgst -sha1 -hmac "$SECRET_KEY" -binary | openssl base64)
  curl -fsS -H "Date: $date" -H "Authorization: AWS $ACCESS_KEY:$signature" "http://127.0.0.1:$SWIFT_PORT/" |
    grep -q '<ListAllMyBucketsResult'
}

backends_answer() {
  local port code
  for port in "$ACCOUNT_PORT" "$CONTAINER_PORT" "$OBJECT_PORT"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthcheck" 2>/dev/null) || true
    [ "$code" != 000 ] && [ -n "$code" ] || return 1
  done
}

wait_until_ready() {
  local deadline=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$deadline" ]; do
    for name in "${SERVICES[@]}"; do
      if ! pid_alive "$name"; then
        log "$name exited; its log ($SWIFT_DIR/log/$name.log):"
        tail -n 30 "$SWIFT_DIR/log/$name.log" >&2 || true
        return 1
      fi
    done
    # Ready means every backend answers HTTP, and a real S3 round trip works: a ListBuckets signed (AWS signature
    # v2, which s3api still takes, and which openssl can make) goes through s3api, tempauth, the auto-created
    # account and the account server.
    if backends_answer && s3_list_buckets >/dev/null 2>&1; then return 0; fi
    sleep 0.3
  done
  log "not ready after 60 s; logs in $SWIFT_DIR/log"
  return 1
}

start() {
  ensure_packages
  ensure_swift_conf
  local all_up=1 name
  for name in "${SERVICES[@]}"; do pid_alive "$name" || all_up=0; done
  if [ "$all_up" = 1 ]; then
    wait_until_ready
    log "already running on 127.0.0.1:$SWIFT_PORT"
    return
  fi
  # Half up (a crash, a killed job): start over cleanly.
  stop_services quiet
  write_configs
  build_rings
  launch memcached memcached -l 127.0.0.1 -p "$MEMCACHED_PORT" -U 0 -m 64 -u "$(id -un)"
  local etc="$SWIFT_DIR/etc"
  launch account swift-account-server "$etc/account-server.conf" --verbose
  launch container swift-container-server "$etc/container-server.conf" --verbose
  launch object swift-object-server "$etc/object-server.conf" --verbose
  launch proxy swift-proxy-server "$etc/proxy-server.conf" --verbose
  wait_until_ready
  log "ready: S3 at http://127.0.0.1:$SWIFT_PORT (state in $SWIFT_DIR)"
}

stop_services() {
  local name pid file
  for name in "${SERVICES[@]}"; do
    file="$SWIFT_DIR/run/$name.pid"
    [ -f "$file" ] || continue
    pid=$(cat "$file")
    if [ -n "$pid" ] && process_alive "$pid"; then
      [ "${1:-}" = quiet ] || log "stopping $name ($pid)"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do process_alive "$pid" || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
  done
}

print_env() {
  cat <<EOF
S3_ENDPOINT=http://127.0.0.1:$SWIFT_PORT
S3_REGION=us-east-1
S3_ACCESS_KEY=$ACCESS_KEY
S3_SECRET_KEY=$SECRET_KEY
S3_BUCKET=$SWIFT_BUCKET
S3_FORCE_PATH_STYLE=true
EOF
}

status() {
  local name
  for name in "${SERVICES[@]}"; do
    if pid_alive "$name"; then echo "$name: running ($(cat "$SWIFT_DIR/run/$name.pid"))"; else echo "$name: stopped"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop_services ;;
  env) print_env ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|env|status" >&2
    exit 2
    ;;
esac
