#!/usr/bin/env bash
# build/bench/import.sh — issue 22: the benchmark data set (100,000 cases, ~500,000 events) imported from NDJSON through
# the API (tus upload, createImport, startImport) by the host running as its own process, next to the generator's own
# rate for the same cases measured in the same run, with the host's memory (VmRSS sampled, VmHWM).
#
#   build/bench/import.sh                                   # BENCH_IMPORT_CASES cases (default 100000)
#   BENCH_IMPORT_CASES="10000 100000" build/bench/import.sh # one run per size, in turn: the memory does not grow with the file
#
# PostgreSQL: BENCH_CS (a server connection string; databases omct_bench_import_<pid> and omct_bench_importgen_<pid> are
# created there and dropped), else the embedded one (build/postgres.sh start; stopped at the end if this script started it).
# Exit status 1 when a run did not succeed or did not append the events its rows hold.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/../.." && pwd)"
PROJECT="$BENCH/Omct.Platform.Bench/Omct.Platform.Bench.csproj"
HOST_DLL="$ROOT/host/Omct.Platform.Host/bin/Release/net10.0/Omct.Platform.Host.dll"
log() { echo "import: $*" >&2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [[ "${BENCH_NO_BUILD:-0}" != 1 ]]; then
  log "dotnet build -c Release (the bench and the host)"
  dotnet build "$PROJECT" -c Release --nologo -v quiet >&2
  dotnet build "$ROOT/host/Omct.Platform.Host/Omct.Platform.Host.csproj" -c Release --nologo -v quiet >&2
fi

STARTED_PG=0
if [[ -n "${BENCH_CS:-}" ]]; then
  CS="$BENCH_CS"
else
  "$ROOT/build/postgres.sh" status >/dev/null 2>&1 || STARTED_PG=1
  CS="$("$ROOT/build/postgres.sh" start)"
fi
cleanup() { if [[ "$STARTED_PG" == 1 ]]; then "$ROOT/build/postgres.sh" stop >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT

status=0
for cases in ${BENCH_IMPORT_CASES:-100000}; do
  dotnet "$BENCH/Omct.Platform.Bench/bin/Release/net10.0/Omct.Platform.Bench.dll" import --cs "$CS" --host-dll "$HOST_DLL" --cases "$cases" "$@" || status=1
done
exit $status
