#!/usr/bin/env bash
# build/bench/upload.sh — issue 21's check: a 200 MB tus upload to the host (its own process), its connection aborted
# midway, resumed with HEAD + PATCH from the offset, attached, downloaded, SHA-256 compared; the host's VmRSS sampled
# every 20 ms and its growth over the upload bounded. Exit status 1 when the SHA-256 differs or the bound is passed.
#
#   build/bench/upload.sh [--mb 200] [--abort-at-mb 100] [--bound-mb 150] [--port 5184]
#
# PostgreSQL: BENCH_CS (a server connection string; a database omct_bench_upload_<pid> is created there and dropped),
# else the embedded one (build/postgres.sh start; stopped at the end if this script started it).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/../.." && pwd)"
PROJECT="$BENCH/Omct.Platform.Bench/Omct.Platform.Bench.csproj"
HOST_DLL="$ROOT/host/Omct.Platform.Host/bin/Release/net10.0/Omct.Platform.Host.dll"
log() { echo "upload: $*" >&2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log "dotnet build -c Release (the bench and the host)"
dotnet build "$PROJECT" -c Release --nologo -v quiet >&2
dotnet build "$ROOT/host/Omct.Platform.Host/Omct.Platform.Host.csproj" -c Release --nologo -v quiet >&2

STARTED_PG=0
if [[ -n "${BENCH_CS:-}" ]]; then
  CS="$BENCH_CS"
else
  "$ROOT/build/postgres.sh" status >/dev/null 2>&1 || STARTED_PG=1
  CS="$("$ROOT/build/postgres.sh" start)"
fi
cleanup() { if [[ "$STARTED_PG" == 1 ]]; then "$ROOT/build/postgres.sh" stop >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT

dotnet "$BENCH/Omct.Platform.Bench/bin/Release/net10.0/Omct.Platform.Bench.dll" upload --cs "$CS" --host-dll "$HOST_DLL" "$@"
