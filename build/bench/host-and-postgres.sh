# build/bench/host-and-postgres.sh — sourced by upload.sh and import.sh (the commands that start the host as its own
# process on a database of their own): builds the bench and the host in Release (unless BENCH_NO_BUILD=1), and sets
# BENCH, ROOT, HOST_DLL, BENCH_DLL and CS — BENCH_CS (a server connection string) when set, else the embedded
# PostgreSQL (build/postgres.sh start; stopped on exit if it was started here). Needs log() defined.
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/../.." && pwd)"
source "$ROOT/build/master-key.sh" # the host's master key (Omct__Privacy__*), .local/master-key unless given
PROJECT="$BENCH/Omct.Platform.Bench/Omct.Platform.Bench.csproj"
HOST_DLL="$ROOT/host/Omct.Platform.Host/bin/Release/net10.0/Omct.Platform.Host.dll"
BENCH_DLL="$BENCH/Omct.Platform.Bench/bin/Release/net10.0/Omct.Platform.Bench.dll"

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
