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

log() { echo "import: $*" >&2; }
# shellcheck source=host-and-postgres.sh
source "$(dirname "${BASH_SOURCE[0]}")/host-and-postgres.sh"

status=0
for cases in ${BENCH_IMPORT_CASES:-100000}; do
  dotnet "$BENCH_DLL" import --cs "$CS" --host-dll "$HOST_DLL" --cases "$cases" "$@" || status=1
done
exit $status
