#!/usr/bin/env bash
# build/postgres.sh — a private ("embedded") PostgreSQL server for this repo.
#
#   build/postgres.sh start    initdb once, start if not running, create database
#                              `omct`, print the Npgsql connection string (stdout)
#   build/postgres.sh stop     stop it (pg_ctl stop -m fast); no-op when stopped
#   build/postgres.sh status   exit 0 when running, 3 when stopped
#   build/postgres.sh url      print the connection string (exit 1 if never started)
#
# Files (all git-ignored under .local/):
#   .local/postgres/data/               the cluster (PGDATA)
#   .local/postgres/run/                unix socket directory
#   .local/postgres/log                 server log
#   .local/postgres/port                the TCP port in use (127.0.0.1 only)
#   .local/postgres/connection-string   e.g. Host=127.0.0.1;Port=55432;Username=postgres;...
#
# Environment:
#   OMCT_PG_PORT=N   preferred port (default 55432; if taken, the next free
#                    port above it is used and recorded in .local/postgres/port)
#   OMCT_PG_FAST=1   test mode: fsync=off, synchronous_commit=off,
#                    full_page_writes=off (never use for data you want to keep)
#   OMCT_PG_STATE=D  another cluster: its state directory instead of .local/postgres
#                    (build/ops uses one of its own, so restarting it never
#                    disturbs the tests' server)
#   OMCT_PG_DATABASE=name  the database to create (default omct)
#
# PostgreSQL refuses to run as root: when root, the server runs as the
# `postgres` system user (created if missing). If that user cannot reach the
# repo (e.g. a clone under /root with mode 700), the data, socket and log live
# in /tmp/omct-postgres-<hash of repo path>/ instead; port and
# connection-string stay in .local/postgres/ and .local/postgres/log is then a
# symlink to the real log.
#
# Only informational messages go to stderr; stdout carries just the
# connection string (start, url), so `CS=$(build/postgres.sh start)` works.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$(realpath -m "${OMCT_PG_STATE:-$ROOT/.local/postgres}")"   # absolute: pg_ctl runs from / as the postgres user
DEFAULT_PORT=55432
DB_NAME="${OMCT_PG_DATABASE:-omct}"
DB_USER=postgres

log() { echo "postgres: $*" >&2; }
die() { echo "postgres: error: $*" >&2; exit 1; }

is_root() { [[ "$(id -u)" == 0 ]]; }

# ---------------------------------------------------------------------------
# Binaries
# ---------------------------------------------------------------------------
# Prints the directory holding initdb, pg_ctl and postgres. If the cluster
# already exists, the binaries of its major version are preferred.
has_server_bins() { [[ -x "$1/initdb" && -x "$1/pg_ctl" && -x "$1/postgres" ]]; }

find_bindir() {
  local want="" d
  [[ -f "${PGDATA:-}/PG_VERSION" ]] && want="$(cat "$PGDATA/PG_VERSION")"
  if [[ -n "$want" ]] && has_server_bins "/usr/lib/postgresql/$want/bin"; then
    echo "/usr/lib/postgresql/$want/bin"; return 0
  fi
  # Debian/Ubuntu layout, newest major version first
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5,5 -V -r); do
    if has_server_bins "$d"; then echo "$d"; return 0; fi
  done
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir 2>/dev/null || true)"
    if [[ -n "$d" ]] && has_server_bins "$d"; then echo "$d"; return 0; fi
  fi
  if command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1; then
    d="$(dirname "$(readlink -f "$(command -v initdb)")")"
    if has_server_bins "$d"; then echo "$d"; return 0; fi
  fi
  return 1
}

ensure_bindir() {
  if BINDIR="$(find_bindir)"; then return 0; fi
  if is_root && command -v apt-get >/dev/null 2>&1; then
    log "PostgreSQL server binaries not found: installing the Debian package 'postgresql'"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    BINDIR="$(find_bindir)" || die "postgresql installed but initdb/pg_ctl/postgres still not found"
    return 0
  fi
  die "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found.
  Looked in /usr/lib/postgresql/*/bin, \`pg_config --bindir\` and PATH.
  Install them, e.g.:  sudo apt-get install -y postgresql   (Debian/Ubuntu)
  or point ConnectionStrings__Postgres / OMCT_TEST_POSTGRES at an existing server."
}

# ---------------------------------------------------------------------------
# Where the cluster lives and who runs it
# ---------------------------------------------------------------------------
# Run a command as the server's OS user (postgres when we are root), from /
# so that an unreadable current directory does not produce warnings.
# fd 9 (the flock below) is closed so that the postmaster does not inherit it.
as_pg() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@" 9>&-)
  else
    (cd / && "$@" 9>&-)
  fi
}

setup_paths() {
  mkdir -p "$STATE"
  AREA="$STATE"
  if is_root; then
    if ! id -u postgres >/dev/null 2>&1; then
      log "creating system user 'postgres'"
      useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres 2>/dev/null \
        || useradd --system postgres
    fi
    # The postgres user must be able to traverse every directory down to AREA.
    if ! runuser -u postgres -- test -x "$STATE" 2>/dev/null; then
      local hash
      hash="$(printf '%s' "${OMCT_PG_STATE:-$ROOT}" | sha256sum | cut -c1-12)"
      AREA="/tmp/omct-postgres-$hash"
      mkdir -p "$AREA"
      chown postgres: "$AREA"
      chmod 700 "$AREA"
    fi
  fi
  PGDATA="$AREA/data"
  LOGFILE="$AREA/log"
  SOCKDIR="$AREA/run"
  # unix socket paths are limited to ~107 bytes
  if (( ${#SOCKDIR} + 20 > 100 )); then
    SOCKDIR="/tmp/omct-pgsock-$(printf '%s' "${OMCT_PG_STATE:-$ROOT}" | sha256sum | cut -c1-12)"
  fi
  if [[ "$AREA" != "$STATE" ]]; then
    ln -sfn "$LOGFILE" "$STATE/log"
  fi
}

# Create data/socket/log with the right owner (only what is missing).
prepare_dirs() {
  mkdir -p "$PGDATA" "$SOCKDIR"
  touch "$LOGFILE"
  chmod 700 "$PGDATA"
  if is_root; then
    chown -R postgres: "$PGDATA"
    chown postgres: "$SOCKDIR" "$LOGFILE"
  fi
}

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
is_running() {
  [[ -f "$PGDATA/PG_VERSION" ]] || return 1
  as_pg "$BINDIR/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

port_free() { # port -> 0 if nothing listens on 127.0.0.1:port and it can be bound
  local p=$1 rc=2
  if command -v python3 >/dev/null 2>&1; then
    # exit 0: could bind (free), 1: in use, anything else: python unusable
    python3 - "$p" <<'PY' 2>/dev/null && rc=0 || rc=$?
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# As the postmaster does: a port whose last connections are in TIME_WAIT is free.
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
  fi
  case $rc in
    0) return 0 ;;
    1) return 1 ;;
  esac
  # Fallback without python: something accepts connections -> taken
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then return 1; fi
  return 0
}

pick_port() {
  local start p
  # A restarted cluster keeps its port when it can, so that clients reconnect to it.
  if [[ -z "${OMCT_PG_PORT:-}" && -f "$STATE/port" ]] && port_free "$(cat "$STATE/port")"; then
    cat "$STATE/port"; return 0
  fi
  start="${OMCT_PG_PORT:-$DEFAULT_PORT}"
  [[ "$start" =~ ^[0-9]+$ ]] || die "OMCT_PG_PORT must be a number"
  for ((p = start; p < start + 200 && p < 65536; p++)); do
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  die "no free TCP port in $start..$((start + 199))"
}

psql_bin() {
  if [[ -x "$BINDIR/psql" ]]; then echo "$BINDIR/psql"
  elif command -v psql >/dev/null 2>&1; then command -v psql
  else die "psql not found (needed to create database $DB_NAME)"; fi
}

connection_string() {
  echo "Host=127.0.0.1;Port=$1;Username=$DB_USER;Database=$DB_NAME;Include Error Detail=true"
}

# Settings written before every start into $PGDATA/omct.conf, which
# postgresql.conf includes (last, so these win).
write_settings() { # port
  local f="$PGDATA/omct.conf"
  {
    echo "# written by build/postgres.sh at each start; edit that script instead"
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $1"
    echo "unix_socket_directories = '$SOCKDIR'"
    echo "max_connections = 300"
    echo "shared_buffers = 128MB"
    echo "log_line_prefix = '%m [%p] %q%u@%d '"
    echo "log_min_messages = warning"
    echo "log_min_error_statement = error"
    if [[ "${OMCT_PG_FAST:-0}" == 1 ]]; then
      echo "# OMCT_PG_FAST=1 (tests): durability traded for speed"
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    fi
  } >"$f.tmp"
  mv -f "$f.tmp" "$f"
  is_root && chown postgres: "$f"
  return 0
}

init_cluster() {
  [[ -f "$PGDATA/PG_VERSION" ]] && return 0
  log "initdb $PGDATA ($("$BINDIR/postgres" --version))"
  # initdb wants an empty directory
  if [[ -n "$(ls -A "$PGDATA" 2>/dev/null)" ]]; then
    die "$PGDATA is not empty but has no PG_VERSION; remove it and retry"
  fi
  as_pg "$BINDIR/initdb" -D "$PGDATA" -U "$DB_USER" --auth=trust \
    --encoding=UTF8 --locale=C >>"$LOGFILE" 2>&1 \
    || { tail -n 30 "$LOGFILE" >&2; die "initdb failed (log: $LOGFILE)"; }
  echo "include_if_exists = 'omct.conf'" >>"$PGDATA/postgresql.conf"
}

ensure_database() { # port
  local psql exists
  psql="$(psql_bin)"
  exists="$(PGCONNECT_TIMEOUT=10 "$psql" -X -q -h 127.0.0.1 -p "$1" -U "$DB_USER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" \
    || die "cannot connect to 127.0.0.1:$1 with psql"
  if [[ "$exists" != 1 ]]; then
    log "creating database $DB_NAME"
    "$psql" -X -q -h 127.0.0.1 -p "$1" -U "$DB_USER" -d postgres \
      -c "CREATE DATABASE $DB_NAME ENCODING 'UTF8' TEMPLATE template0" >&2
  fi
}

current_fsync() { # port -> on|off
  PGCONNECT_TIMEOUT=5 "$(psql_bin)" -X -q -h 127.0.0.1 -p "$1" -U "$DB_USER" -d postgres -tAc "SHOW fsync" 2>/dev/null || true
}

# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------
cmd_start() {
  local port cs attempt
  prepare_dirs
  init_cluster

  if is_running; then
    port="$(cat "$STATE/port" 2>/dev/null || true)"
    [[ -n "$port" ]] || die "server running but $STATE/port is missing; run '$0 stop' then '$0 start'"
    # A server left in test mode (fsync=off) is not good enough for a normal start.
    if [[ "${OMCT_PG_FAST:-0}" != 1 && "$(current_fsync "$port")" == off ]]; then
      log "running with fsync=off (test mode); restarting with durable settings"
      write_settings "$port"
      as_pg "$BINDIR/pg_ctl" -D "$PGDATA" -l "$LOGFILE" -w -t 60 -m fast restart >/dev/null \
        || { tail -n 30 "$LOGFILE" >&2; die "restart failed (log: $LOGFILE)"; }
    else
      log "already running on 127.0.0.1:$port"
    fi
  else
    # Pick a free port; retry if another process grabs it between check and start.
    for attempt in 1 2 3; do
      port="$(pick_port)"
      write_settings "$port"
      log "starting on 127.0.0.1:$port$([[ "${OMCT_PG_FAST:-0}" == 1 ]] && echo ' (OMCT_PG_FAST: fsync=off)') — log: ${LOGFILE}"
      if as_pg "$BINDIR/pg_ctl" -D "$PGDATA" -l "$LOGFILE" -w -t 60 start >/dev/null; then
        break
      fi
      if [[ $attempt == 3 ]] || port_free "$port"; then
        # not a port race: give up
        tail -n 30 "$LOGFILE" >&2
        die "pg_ctl start failed (log: $LOGFILE)"
      fi
      log "port $port was taken meanwhile; trying another"
    done
    echo "$port" >"$STATE/port"
  fi

  ensure_database "$port"
  cs="$(connection_string "$port")"
  echo "$cs" >"$STATE/connection-string"
  echo "$cs"
}

cmd_stop() {
  if is_running; then
    log "stopping (data: $PGDATA)"
    as_pg "$BINDIR/pg_ctl" -D "$PGDATA" -w -t 60 -m fast stop >/dev/null
    log "stopped"
  else
    log "not running"
  fi
}

cmd_status() {
  if is_running; then
    log "running on 127.0.0.1:$(cat "$STATE/port" 2>/dev/null || echo '?') (data: $PGDATA, log: $LOGFILE)"
    return 0
  fi
  log "not running (data: $PGDATA)"
  return 3
}

cmd_url() {
  [[ -f "$STATE/connection-string" ]] || die "no connection string yet: run '$0 start'"
  is_running || log "warning: the server is not running (run '$0 start')"
  cat "$STATE/connection-string"
}

usage() {
  echo "usage: $0 start|stop|status|url" >&2
  exit 2
}

main() {
  [[ $# -eq 1 ]] || usage
  case "$1" in
    start | stop | status | url) ;;
    -h | --help | help) usage ;;
    *) usage ;;
  esac

  setup_paths
  # start installs the binaries if needed; the other commands just need them.
  if [[ "$1" == start ]]; then
    ensure_bindir
  elif ! BINDIR="$(find_bindir)"; then
    if [[ "$1" == url ]]; then cmd_url; return; fi
    log "PostgreSQL binaries not found: nothing is running"
    [[ "$1" == status ]] && return 3
    return 0
  fi

  # Serialize start/stop between concurrent callers (e.g. two test runs).
  exec 9>"$STATE/.lock"
  flock 9

  case "$1" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    url) cmd_url ;;
  esac
}

main "$@"
