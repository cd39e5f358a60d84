#!/usr/bin/env bash
# shellcheck disable=SC2317  # functions invoked from traps look unreachable
# build/test.sh — build and run the whole test suite with one command.
#
#   build/test.sh [extra dotnet test arguments...]    e.g. build/test.sh --filter "FullyQualifiedName~Cases"
#
# Steps:
#   1. prerequisites: dotnet (required; not installed by this script), node/npm
#      and chromium (apt-get install nodejs npm / chromium when root and missing)
#   2. build/web-assets.sh (node_modules of build/web: the graphql-http audit test needs it) and
#      build/console.sh (the staff console: codegen, typecheck, vite build; skipped when unchanged;
#      a failure stops here — its browser tests need it)
#   3. database for the tests (OMCT_TEST_POSTGRES, an Npgsql connection string):
#        - OMCT_TEST_POSTGRES already set      -> used as is
#        - else a Docker engine answers         -> left unset: tests use Testcontainers
#        - else                                 -> embedded PostgreSQL (build/postgres.sh,
#                                                  OMCT_PG_FAST=1), stopped at the end unless
#                                                  OMCT_KEEP_POSTGRES=1 or it was already running
#   4. dotnet build Omct.Platform.sln -c Release
#   5. dotnet test --no-build, TRX results in .local/test-results/
#   6. last line of output:  N passed, N failed[, N skipped]
# Exit status: non-zero if the build or dotnet test failed, a test failed, or no test ran.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SLN="$ROOT/Omct.Platform.sln"
RESULTS="$ROOT/.local/test-results"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [[ "${CI:-}" == true || "${CI:-}" == 1 ]]; then
  # No MSBuild worker nodes / build servers left running after a CI run.
  export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
fi

log() { echo "test: $*" >&2; }

STARTED_PG=0

stop_started_postgres() {
  if [[ "$STARTED_PG" == 1 ]]; then
    STARTED_PG=0
    if [[ "${OMCT_KEEP_POSTGRES:-0}" == 1 ]]; then
      log "OMCT_KEEP_POSTGRES=1: embedded PostgreSQL left running (build/postgres.sh stop)"
    else
      "$ROOT/build/postgres.sh" stop >/dev/null 2>&1 || log "warning: could not stop the embedded PostgreSQL"
    fi
  fi
}

# Final step of every normal path: stop what we started, then print the
# summary as the very last line and exit.
finish() { # exit-code passed failed skipped
  stop_started_postgres
  if [[ "${CI:-}" == true || "${CI:-}" == 1 ]]; then
    dotnet build-server shutdown >/dev/null 2>&1 || true
  fi
  local line="$2 passed, $3 failed"
  (($4 > 0)) && line="$line, $4 skipped"
  echo "$line"
  exit "$1"
}

on_signal() {
  trap - INT TERM
  log "interrupted"
  stop_started_postgres
  exit 130
}
trap on_signal INT TERM

# ---- 1. prerequisites -----------------------------------------------------------
if ! command -v dotnet >/dev/null 2>&1; then
  log "missing: the .NET 10 SDK ('dotnet' is not on PATH). Install it (https://dot.net) and retry."
  finish 1 0 0 0
fi
if ! command -v npm >/dev/null 2>&1; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "npm not found: installing Debian packages nodejs and npm"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq nodejs npm; } >&2 \
      || log "warning: could not install nodejs/npm"
  else
    log "warning: missing node/npm (Node.js 18+): the GraphQL audit test will fail"
  fi
fi

# The GraphiQL browser test drives Debian's Chromium (playwright-core with /usr/bin/chromium; nothing downloaded).
if [[ ! -x /usr/bin/chromium && -z "${CHROMIUM:-}" ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "chromium not found: installing the Debian package chromium"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq chromium; } >&2 \
      || log "warning: could not install chromium"
  else
    log "warning: missing chromium (apt-get install -y chromium, or CHROMIUM=/path): the GraphiQL browser test will fail"
  fi
fi

# ---- 2. web assets ----------------------------------------------------------------
if ! "$ROOT/build/web-assets.sh"; then
  log "warning: build/web-assets.sh failed; tests that need build/web/node_modules will fail"
fi
if ! "$ROOT/build/console.sh"; then
  log "the staff console did not build (host/console; see above)"
  finish 1 0 0 0
fi

# ---- 3. database ------------------------------------------------------------------
if [[ -n "${OMCT_TEST_POSTGRES:-}" ]]; then
  log "database: OMCT_TEST_POSTGRES from the environment"
elif command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1; then
  log "database: Docker engine available, tests start PostgreSQL with Testcontainers"
else
  if ! "$ROOT/build/postgres.sh" status >/dev/null 2>&1; then
    STARTED_PG=1
  fi
  if ! OMCT_TEST_POSTGRES="$(OMCT_PG_FAST=1 "$ROOT/build/postgres.sh" start)"; then
    log "could not start the embedded PostgreSQL (see messages above)"
    finish 1 0 0 0
  fi
  export OMCT_TEST_POSTGRES
  log "database: embedded PostgreSQL ($OMCT_TEST_POSTGRES)"
fi

# ---- 4. build -----------------------------------------------------------------------
log "dotnet build $(basename "$SLN") -c Release"
if ! dotnet build "$SLN" -c Release --nologo -v minimal; then
  log "build failed"
  finish 1 0 0 0
fi

# ---- 5. test ------------------------------------------------------------------------
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
log "dotnet test (results: ${RESULTS#"$ROOT"/})"
TEST_LOG="$ROOT/.local/test-output.log"
set +e
# LogFilePrefix (not LogFileName): one TRX per test project instead of each
# project overwriting the same file. Output is also kept in .local/test-output.log
# so that exactly this run's TRX files ("Results File: ...") are counted.
dotnet test "$SLN" -c Release --no-build --nologo \
  --logger "trx;LogFilePrefix=omct" \
  --results-directory "$RESULTS" \
  --blame-hang-timeout "${OMCT_TEST_HANG_TIMEOUT:-20m}" --blame-hang-dump-type none \
  "$@" 2>&1 | tee "$TEST_LOG"
test_rc=${PIPESTATUS[0]}
set -e

# ---- 6. summary from the TRX files ----------------------------------------------------
# Each TRX has <Counters total= executed= passed= failed= error= timeout= aborted=
# inconclusive= notExecuted= .../>. failed counts failed+error+timeout+aborted;
# skipped counts notExecuted (xunit's skipped tests).
summarize_python() {
  python3 - "${TRX_FILES[@]}" <<'PY'
import os, sys, xml.etree.ElementTree as ET
ns = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = skipped = 0
durations = []
def seconds(d):
    h, m, s = (d or "0:0:0").split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)
for path in sys.argv[1:]:
    root = ET.parse(path).getroot()
    c = root.find(f"{ns}ResultSummary/{ns}Counters")
    if c is None:
        continue
    g = lambda k: int(c.get(k, "0") or 0)
    p, f, s = g("passed"), g("failed") + g("error") + g("timeout") + g("aborted"), g("notExecuted")
    passed, failed, skipped = passed + p, failed + f, skipped + s
    print(f"test:   {os.path.basename(path)}: {p} passed, {f} failed, {s} skipped", file=sys.stderr)
    for r in root.iter(f"{ns}UnitTestResult"):
        durations.append((seconds(r.get("duration")), r.get("testName")))
        if r.get("outcome") in ("Failed", "Error", "Timeout", "Aborted"):
            print(f"test:     FAILED {r.get('testName')}", file=sys.stderr)
print("test: the ten slowest tests:", file=sys.stderr)
for d, name in sorted(durations, reverse=True)[:10]:
    print(f"test:   {d:7.1f} s  {name}", file=sys.stderr)
print(passed, failed, skipped)
PY
}
summarize_shell() {
  local p=0 f=0 s=0 file counters v
  attr() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  for file in "${TRX_FILES[@]}"; do
    counters="$(tr '\n' ' ' <"$file" | grep -o '<Counters [^>]*>' | head -n 1)" || continue
    v="$(attr passed)"; p=$((p + ${v:-0}))
    for k in failed error timeout aborted; do v="$(attr $k)"; f=$((f + ${v:-0})); done
    v="$(attr notExecuted)"; s=$((s + ${v:-0}))
  done
  echo "$p $f $s"
}

# This run's TRX files, as reported by dotnet test; if none are reported
# (e.g. localized output), every TRX in the results directory.
TRX_FILES=()
while IFS= read -r f; do
  [[ -f "$f" ]] && TRX_FILES+=("$f")
done < <(sed -n 's/^[[:space:]]*Results File:[[:space:]]*\(.*\.trx\)[[:space:]]*$/\1/p' "$TEST_LOG" | sort -u)
if ((${#TRX_FILES[@]} == 0)); then
  while IFS= read -r -d '' f; do TRX_FILES+=("$f"); done < <(find "$RESULTS" -name '*.trx' -print0)
fi
trx_count=${#TRX_FILES[@]}
if command -v python3 >/dev/null 2>&1 && counts="$(summarize_python)"; then
  :
else
  counts="$(summarize_shell)"
fi
read -r passed failed skipped <<<"$counts"

rc=0
if ((test_rc != 0)); then
  log "dotnet test exited with code $test_rc"
  rc=1
fi
if ((failed > 0)); then
  rc=1
fi
if ((trx_count == 0 || passed + failed == 0)); then
  log "no test ran (TRX files: $trx_count)"
  rc=1
fi
log "build and tests took ${SECONDS} s"
finish "$rc" "$passed" "$failed" "$skipped"
