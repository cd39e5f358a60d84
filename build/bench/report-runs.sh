#!/usr/bin/env bash
# build/bench/report-runs.sh — issue 24: a scheduled report definition over the benchmark data set (100,000 cases) run
# now by the host running as its own process, paging through cases(first: 100) into CSV, XLSX and HTML, next to the same
# report over three countries (about a tenth of the rows) in the same run, with the host's memory (VmRSS sampled every
# 20 ms, VmHWM): the rows stream, so the large run's peak is about the small one's.
#
#   build/bench/report-runs.sh                          # BENCH_REPORT_CASES cases (default 100000)
#
# PostgreSQL: BENCH_CS (a server connection string; a database omct_bench_reports_<pid> is created there and dropped),
# else the embedded one (build/postgres.sh start; stopped at the end if this script started it).
# Exit status 1 when a run did not succeed or did not count every case.
set -euo pipefail

log() { echo "report-runs: $*" >&2; }
# shellcheck source=host-and-postgres.sh
source "$(dirname "${BASH_SOURCE[0]}")/host-and-postgres.sh"

dotnet "$BENCH_DLL" report-run --cs "$CS" --host-dll "$HOST_DLL" --cases "${BENCH_REPORT_CASES:-100000}" "$@"
