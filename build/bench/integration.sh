#!/usr/bin/env bash
# build/bench/integration.sh — the integrators' side: target 4 of shared/design/benchmarks.md (the
# change feed pulled from the start at first: 1000) and the bulk export's memory (target 8:
# "exports stream in constant memory"), over HTTP against the host as its own process.
#
#   build/bench/integration.sh            # uses BENCH_CS, or the embedded PostgreSQL (build/postgres.sh)
#
# Steps: build the bench (and the host) in Release; generate the 100,000-case data set unless the
# database holds it (the same generator as run.sh); start the host (Production, jobs off, a random
# bootstrap admin key); pull the feed from the start with first: 1000 (a warm-up and BENCH_RUNS
# runs, each checked against mt_events: 0 repeated, 0 skipped); export the cases twice as NDJSON
# and once as CSV, sampling the host's resident memory (VmRSS, every 20 ms) before and during.
#
# Environment: BENCH_CS (a connection string; its database is used as is), BENCH_DB (omct_bench,
#   with the embedded PostgreSQL), BENCH_CASES (100000), BENCH_RUNS (3), BENCH_HOST_PORT (5191).
# Output: the figures on stdout; the host's log in build/bench/.local/integration-host.log.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/../.." && pwd)"
source "$ROOT/build/master-key.sh" # the host's master key (Omct__Privacy__*), .local/master-key unless given
OUT="$BENCH/.local"
PROJECT="$BENCH/Omct.Platform.Bench/Omct.Platform.Bench.csproj"
BENCH_DLL="$BENCH/Omct.Platform.Bench/bin/Release/net10.0/Omct.Platform.Bench.dll"
HOST_DIR="$ROOT/host/Omct.Platform.Host"
HOST_DLL="$HOST_DIR/bin/Release/net10.0/Omct.Platform.Host.dll"
CASES="${BENCH_CASES:-100000}"
RUNS="${BENCH_RUNS:-3}"
HOST_PORT="${BENCH_HOST_PORT:-5191}"
HOST_URL="http://127.0.0.1:$HOST_PORT"
HOST_PID=""
STARTED_PG=0

log() { echo "bench: $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$HOST_PID" ]] && kill -0 "$HOST_PID" 2>/dev/null; then
    kill -TERM "$HOST_PID" 2>/dev/null || true
    wait "$HOST_PID" 2>/dev/null || true
    log "stopped the host (pid $HOST_PID)"
  fi
  [[ "$STARTED_PG" == 1 ]] && "$ROOT/build/postgres.sh" stop >/dev/null 2>&1
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$OUT"

log "dotnet build -c Release (bench + host)"
dotnet build "$PROJECT" -c Release --nologo -v quiet -clp:ErrorsOnly >&2 || die "build failed"

if [[ -n "${BENCH_CS:-}" ]]; then
  CS="$BENCH_CS"
else
  if ! "$ROOT/build/postgres.sh" status >/dev/null 2>&1; then STARTED_PG=1; fi
  BASE_CS="$("$ROOT/build/postgres.sh" start)"
  DB="${BENCH_DB:-omct_bench}"
  PG_PORT="$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$BASE_CS")"
  if [[ "$(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc "select 1 from pg_database where datname = '$DB'")" != 1 ]]; then
    psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "create database $DB encoding 'UTF8' template template0" >&2
  fi
  CS="${BASE_CS/Database=omct;/Database=$DB;}"
fi

dotnet "$BENCH_DLL" generate --cs "$CS" --cases "$CASES"

ADMIN_KEY="bench-admin-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | cut -c1-20)"
log "starting the host on $HOST_URL"
(cd "$HOST_DIR" && ConnectionStrings__Postgres="$CS" ASPNETCORE_URLS="$HOST_URL" ASPNETCORE_ENVIRONMENT=Production \
  Omct__Jobs__Enabled=false Omct__SeedDemoData=false Omct__Security__BootstrapAdminApiKey="$ADMIN_KEY" \
  Serilog__MinimumLevel__Default=Warning exec dotnet "$HOST_DLL" >"$OUT/integration-host.log" 2>&1) &
HOST_PID=$!
deadline=$((SECONDS + 120))
until [[ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$HOST_URL/health/ready" || true)" == 200 ]]; do
  kill -0 "$HOST_PID" 2>/dev/null || die "the host exited during start-up (see $OUT/integration-host.log)"
  ((SECONDS < deadline)) || die "the host was not ready within 120 s"
  sleep 0.5
done

dotnet "$BENCH_DLL" feed --host "$HOST_URL" --key "$ADMIN_KEY" --cs "$CS" --first 1000 --runs "$RUNS"
dotnet "$BENCH_DLL" export --host "$HOST_URL" --key "$ADMIN_KEY" --pid "$HOST_PID" --name cases --format ndjson --runs 2
dotnet "$BENCH_DLL" export --host "$HOST_URL" --key "$ADMIN_KEY" --pid "$HOST_PID" --name cases --format csv --runs 1
