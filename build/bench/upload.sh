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

log() { echo "upload: $*" >&2; }
# shellcheck source=host-and-postgres.sh
source "$(dirname "${BASH_SOURCE[0]}")/host-and-postgres.sh"

dotnet "$BENCH_DLL" upload --cs "$CS" --host-dll "$HOST_DLL" "$@"
