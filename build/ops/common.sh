# shellcheck shell=bash
# build/ops/common.sh — what the operations scripts share: a PostgreSQL cluster of their own
# (never the tests' one), the built host, host processes, a health poller.
# Sourced by pg-restart.sh and scale-out.sh; not meant to be run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/build/master-key.sh" # the hosts' master key (Omct__Privacy__*), .local/master-key unless given
OPS="$ROOT/.local/ops"
mkdir -p "$OPS"
export OMCT_PG_STATE="$OPS/postgres" OMCT_PG_PORT="${OPS_PG_PORT:-56432}" OMCT_PG_DATABASE="${OPS_DB:-omct_ops}"
unset OMCT_PG_FAST # durable: fsync and synchronous commit on, as in production
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
HOST_DLL="$ROOT/host/Omct.Platform.Host/bin/Release/net10.0/Omct.Platform.Host.dll"
ADMIN_KEY="ops-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
HOST_PIDS=()
BACKGROUND_PIDS=()

log() { echo "ops: $*" >&2; }
die() { echo "ops: error: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

ops_prerequisites() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK (dotnet) is missing"
  command -v node >/dev/null 2>&1 || die "node (Node.js 18+) is missing: apt-get install nodejs"
  command -v curl >/dev/null 2>&1 || die "curl is missing: apt-get install curl"
  command -v psql >/dev/null 2>&1 || die "psql is missing: apt-get install postgresql-client"
}

ops_build() {
  log "dotnet build host (Release)"
  dotnet build "$ROOT/host/Omct.Platform.Host/Omct.Platform.Host.csproj" -c Release --nologo -v q >"$OPS/build.log" 2>&1 \
    || { tail -n 30 "$OPS/build.log" >&2; die "build failed (log: $OPS/build.log)"; }
}

# Starts the ops cluster and gives the run an empty database; sets CS (Npgsql) and DB_URL (psql).
ops_database() {
  local port
  CS="$("$ROOT/build/postgres.sh" start)" || die "could not start PostgreSQL"
  port="$(cat "$OMCT_PG_STATE/port")"
  DB_URL="postgresql://postgres@127.0.0.1:$port/$OMCT_PG_DATABASE"
  psql "postgresql://postgres@127.0.0.1:$port/postgres" -X -q -c "DROP DATABASE IF EXISTS $OMCT_PG_DATABASE WITH (FORCE)" \
    -c "CREATE DATABASE $OMCT_PG_DATABASE" >/dev/null || die "could not create database $OMCT_PG_DATABASE"
  log "database $OMCT_PG_DATABASE on 127.0.0.1:$port (durable settings)"
}

# ops_start_host <name> <port> [VAR=value ...]: the built host as its own process, logging to
# $OPS/<name>.log; its pid is in LAST_PID (call it directly, not in $(...), so it is cleaned up).
ops_start_host() {
  local name=$1 port=$2
  shift 2
  # From the project directory, as build/run.sh does: the content root holds wwwroot (GraphiQL).
  (cd "$ROOT/host/Omct.Platform.Host" && exec env ConnectionStrings__Postgres="$CS" ASPNETCORE_URLS="http://127.0.0.1:$port" \
    ASPNETCORE_ENVIRONMENT=Production Omct__Security__BootstrapAdminApiKey="$ADMIN_KEY" Omct__Jobs__NodeId="$name" \
    Omct__GraphQL__RequestsPerSecondPerKey=100000 "$@" \
    dotnet "$HOST_DLL") >"$OPS/$name.log" 2>&1 &
  LAST_PID=$!
  HOST_PIDS+=("$LAST_PID")
}

# ops_wait_ready <port> [timeout s]
ops_wait_ready() {
  local port=$1 deadline=$(($(date +%s) + ${2:-90}))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" == 200 ]]; do
    (($(date +%s) < deadline)) || die "the host on port $port did not become ready (logs in $OPS)"
    sleep 0.5
  done
}

# ops_poll_health <port> <file>: "epoch_ms status" every 250 ms until killed.
ops_poll_health() {
  local port=$1 file=$2
  (
    while true; do
      echo "$(now_ms) $(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")"
      sleep 0.25
    done
  ) >"$file" 2>/dev/null &
  BACKGROUND_PIDS+=($!)
}

ops_cleanup() {
  local pid
  for pid in "${BACKGROUND_PIDS[@]}" "${HOST_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${HOST_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ "${OPS_KEEP_POSTGRES:-0}" != 1 ]]; then
    "$ROOT/build/postgres.sh" stop >/dev/null 2>&1 || true
  fi
}
