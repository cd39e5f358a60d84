#!/usr/bin/env bash
# shellcheck disable=SC2317  # functions invoked from traps look unreachable
# build/bench/run.sh — the nine performance targets of shared/design/benchmarks.md with one
# command, each with a baseline measured in the same run. Prints one table; never fails because a
# target is missed; not part of the test suite.
#
#   build/bench/run.sh [--regenerate] [--only 1,2,..,9] [--duration S] [--runs N] [--cases N]
#
# Steps:
#   1. tools: dotnet (required), wrk (apt-get install wrk when root and missing), psql, curl
#   2. dotnet build -c Release of build/bench/Omct.Platform.Bench (builds the host too)
#   3. PostgreSQL: the bench's own embedded cluster (build/postgres.sh with OMCT_PG_STATE=.local/bench-postgres,
#      port 55480 or the next free one; normal durability; pg_stat_statements and shared_buffers set once
#      with ALTER SYSTEM), database omct_bench — or BENCH_CS, a server of your own (a database that does
#      not exist yet is created, and dropped at the end unless BENCH_KEEP_DB=1)
#   4. the data set: 100,000 cases / ~518,000 events, generated through the host's Marten store
#      unless the database already holds them (--regenerate: drop and generate again)
#   5. the host (Production, jobs off, its JSON request log to build/bench/.local/host.log) and the
#      hand-written baseline endpoint, as separate processes; a stored API key (STAFF/STAFF)
#   6. per target: a warm-up, then N runs, alternating with the baseline of the same run:
#        1  cases(filter: {countries, statuses: [OPEN]}, first: 50), wrk 16 conns   vs Npgsql + System.Text.Json endpoint
#        P  the same page next to PostGraphile 5 (../shared/bench/peer/run.sh with this host as its EXTRA_* server),
#           wrk -t1 at 1 and 16 connections, N runs (root only; BENCH_PEER_DIR)
#        2  caseStatistics(groupBy: COUNTRY), wrk 8 conns                          vs the same endpoint's /stats, raw SQL
#        3  recordCaseEvent, wrk 8 conns on distinct cases; events counted          vs Marten Quick append, the handler's Marten work
#        4  changes(first: 1000) from the start; again while 8 writers append      vs mt_events read straight (Npgsql)
#        5  runJob(ANNIVERSARY_REMINDERS, asOf) on a fresh day, then again         vs the window's SQL alone; rows counted
#        6  runJob(DIGEST, asOf) on a Monday for one weekly STAFF subscription over all countries, then again
#        7  1,000 hostile documents (anonymous, wrk 4 conns): alone, then with target 1's load
#           at the same time; PostgreSQL statements counted (pg_stat_statements) vs an idle window
#        8  the host's VmRSS sampled every 100 ms during target 1; exports (NDJSON x2, CSV) with RSS sampling
#        9  start to /health/ready on the existing database, N starts    vs a minimal ASP.NET Core app's start
#   7. the table (medians over the runs); stops what it started (host, baseline, PostgreSQL)
#
# Environment (defaults): BENCH_DURATION=20 (s per run) BENCH_RUNS=3 BENCH_WARMUP=5 (s)
#   BENCH_INPROC_SECONDS=10 (in-process baselines) BENCH_CASES=100000 BENCH_DB=omct_bench
#   BENCH_COUNTRIES=CO,GT,PH BENCH_HOST_PORT=5181 BENCH_BASELINE_PORT=5182 BENCH_STARTUP_PORT=5183
#   BENCH_CS (a connection string: use that server instead of the embedded one) BENCH_KEEP_DB=1
#   BENCH_PG_PORT=55480 BENCH_PG_SHARED_BUFFERS=1GB (the embedded cluster)
#   BENCH_DIAG=1 (also run target 1 with the bootstrap key, i.e. without the stored-key lookup)
#   BENCH_HOSTILE_CONNECTIONS=4 BENCH_T5_DAYS="2026-06-26 2026-03-21 2026-09-15 2026-12-10 2026-01-15"
#   BENCH_T6_DAYS="2024-03-18 2023-06-12 2025-09-15 2022-11-21 2021-02-01" (Mondays: the weekly subscription's day)
#   BENCH_DIGEST_JOB=DIGEST BENCH_T9_RUNS=5 BENCH_T9_JOBS=1 (the started hosts run the scheduler, as in production)
#   BENCH_KEEP_POSTGRES=1 (leave the embedded PostgreSQL running, and the peer harness's)
#   BENCH_PEER_DIR=../shared/bench/peer (target P's harness; copied to build/bench/.local/peer and run from there)
#   BENCH_QUIET_WAIT=20 / BENCH_QUIET_BUDGET=120: before each run, wait up to 20 s (120 s in all)
#   for other processes to use < 0.25 core; each run prints the CPU of host, baseline, PostgreSQL,
#   load tool and "other processes", and the table warns about runs that shared the machine
# Output: build/bench/.local/ (git-ignored): results.tsv, wrk-*.txt, host.log, baseline.log, rss-*.txt.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/../.." && pwd)"
source "$ROOT/build/master-key.sh" # the host's master key (Omct__Privacy__*), .local/master-key unless given
OUT="$BENCH/.local"
PROJECT="$BENCH/Omct.Platform.Bench/Omct.Platform.Bench.csproj"
HOST_DIR="$ROOT/host/Omct.Platform.Host"

DURATION="${BENCH_DURATION:-20}"
RUNS="${BENCH_RUNS:-3}"
WARMUP="${BENCH_WARMUP:-5}"
INPROC="${BENCH_INPROC_SECONDS:-10}"
CASES="${BENCH_CASES:-100000}"
DB="${BENCH_DB:-omct_bench}"
COUNTRIES="${BENCH_COUNTRIES:-CO,GT,PH}"
HOST_PORT="${BENCH_HOST_PORT:-5181}"
BASELINE_PORT="${BENCH_BASELINE_PORT:-5182}"
STARTUP_PORT="${BENCH_STARTUP_PORT:-5183}"
DIAG="${BENCH_DIAG:-1}"
HOSTILE_CONNS="${BENCH_HOSTILE_CONNECTIONS:-4}"
T5_DAYS=(${BENCH_T5_DAYS:-2026-06-26 2026-03-21 2026-09-15 2026-12-10 2026-01-15})
T6_DAYS=(${BENCH_T6_DAYS:-2024-03-18 2023-06-12 2025-09-15 2022-11-21 2021-02-01})
DIGEST_JOB="${BENCH_DIGEST_JOB:-DIGEST}"
REGENERATE=""
ONLY="1,P,2,3,4,5,6,7,8,9"

log() { echo "bench: $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while (($#)); do
  case "$1" in
    --regenerate) REGENERATE="--regenerate" ;;
    --only) ONLY="${2:?--only needs a list of targets, e.g. 1,3}"; shift ;;
    --only=*) ONLY="${1#--only=}" ;;
    --duration) DURATION="${2:?}"; shift ;;
    --runs) RUNS="${2:?}"; shift ;;
    --cases) CASES="${2:?}"; shift ;;
    -h | --help) usage 0 ;;
    *) echo "bench: unknown argument $1" >&2; usage 2 ;;
  esac
  shift
done
want() { [[ ",$ONLY," == *",$1,"* ]]; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive number"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "--duration must be a positive number of seconds"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

STARTED_PG=0
CREATED_DB=0
HOST_PID=""
BASELINE_PID=""
SAMPLER_PID=""
# The bench's own PostgreSQL cluster, never the one the tests share (.local/postgres).
export OMCT_PG_STATE="${BENCH_PG_STATE:-$ROOT/.local/bench-postgres}"
export OMCT_PG_PORT="${BENCH_PG_PORT:-55480}"
export OMCT_PG_DATABASE="$DB"
unset OMCT_PG_FAST

stop_pid() { # pid name
  local pid=$1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  log "stopped the $2 (pid $pid)"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n "$SAMPLER_PID" ]] && kill "$SAMPLER_PID" 2>/dev/null
  stop_pid "$HOST_PID" host
  stop_pid "$BASELINE_PID" "baseline endpoint"
  if [[ "$CREATED_DB" == 1 && "${BENCH_KEEP_DB:-0}" != 1 ]]; then
    "${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)" >/dev/null 2>&1 && log "dropped the database $DB (BENCH_KEEP_DB=1 keeps it)" \
      || log "warning: could not drop the database $DB"
  fi
  if [[ "$STARTED_PG" == 1 ]]; then
    if [[ "${BENCH_KEEP_POSTGRES:-0}" == 1 ]]; then
      log "BENCH_KEEP_POSTGRES=1: the bench's PostgreSQL is left running (OMCT_PG_STATE=$OMCT_PG_STATE build/postgres.sh stop)"
    else
      "$ROOT/build/postgres.sh" stop >/dev/null 2>&1 || log "warning: could not stop the bench's PostgreSQL"
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT
trap 'log terminated; exit 143' TERM

# ---- 1. tools ---------------------------------------------------------------------------------
command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK (dotnet) is not on PATH"
command -v curl >/dev/null 2>&1 || die "curl is needed (readiness probes)"
command -v psql >/dev/null 2>&1 || die "psql is needed (PostgreSQL client)"
if ! command -v wrk >/dev/null 2>&1; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "wrk not found: installing the Debian package 'wrk'"
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } >&2 \
      || die "could not install wrk"
  else
    die "wrk (HTTP load tool) not found: sudo apt-get install -y wrk"
  fi
fi
mkdir -p "$OUT"

# ---- 2. build ---------------------------------------------------------------------------------
log "dotnet build -c Release (bench + host)"
dotnet build "$PROJECT" -c Release --nologo -v quiet -clp:ErrorsOnly >&2 || die "build failed"
BENCH_DLL="$BENCH/Omct.Platform.Bench/bin/Release/net10.0/Omct.Platform.Bench.dll"
HOST_DLL="$HOST_DIR/bin/Release/net10.0/Omct.Platform.Host.dll"
[[ -f "$BENCH_DLL" && -f "$HOST_DLL" ]] || die "built assemblies not found ($BENCH_DLL, $HOST_DLL)"
bench() { dotnet "$BENCH_DLL" "$@"; }

# ---- 3. database ------------------------------------------------------------------------------
if [[ -n "${BENCH_CS:-}" ]]; then
  # A server of the caller's: its database is used as is, or created (and dropped at the end).
  CS="$BENCH_CS"
  DB="$(sed -n 's/.*Database=\([^;]*\).*/\1/p' <<<"$CS")"
  PG_HOST="$(sed -n 's/.*Host=\([^;]*\).*/\1/p' <<<"$CS")"
  PG_PORT="$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$CS")"
  PG_USER="$(sed -n 's/.*Username=\([^;]*\).*/\1/p' <<<"$CS")"
  [[ -n "$DB" && -n "$PG_HOST" ]] || die "BENCH_CS needs Host=…;Database=…"
  PSQL=(psql -X -q -h "$PG_HOST" -p "${PG_PORT:-5432}" -U "${PG_USER:-postgres}")
else
  if ! "$ROOT/build/postgres.sh" status >/dev/null 2>&1; then STARTED_PG=1; fi
  CS="$("$ROOT/build/postgres.sh" start)"   # no OMCT_PG_FAST: fsync and synchronous_commit on
  PG_PORT="$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$CS")"
  PSQL=(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres)
  # Statement counting (target 7) and a production-like buffer cache: set once, then a restart.
  want_buffers="${BENCH_PG_SHARED_BUFFERS:-1GB}"
  if [[ "$("${PSQL[@]}" -d postgres -tAc 'show shared_preload_libraries')" != *pg_stat_statements* \
        || "$("${PSQL[@]}" -d postgres -tAc 'show shared_buffers')" != "$want_buffers" ]]; then
    log "configuring the bench's cluster: shared_preload_libraries = pg_stat_statements, shared_buffers = $want_buffers (restart)"
    "${PSQL[@]}" -d postgres -c "alter system set shared_preload_libraries = 'pg_stat_statements'" -c "alter system set shared_buffers = '$want_buffers'" >&2
    "$ROOT/build/postgres.sh" stop >/dev/null
    CS="$("$ROOT/build/postgres.sh" start)"
    PG_PORT="$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$CS")"
    PSQL=(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres)
  fi
fi
if [[ "$("${PSQL[@]}" -d postgres -tAc "select 1 from pg_database where datname = '$DB'")" != 1 ]]; then
  log "creating database $DB"
  "${PSQL[@]}" -d postgres -c "create database $DB encoding 'UTF8' template template0" >&2
  [[ -n "${BENCH_CS:-}" ]] && CREATED_DB=1
fi
sql() { "${PSQL[@]}" -d "$DB" -tAc "$1"; }
HAVE_PGSS=0
if sql "create extension if not exists pg_stat_statements" >/dev/null 2>&1 && sql "select 1 from pg_stat_statements limit 1" >/dev/null 2>&1; then
  HAVE_PGSS=1
fi
log "PostgreSQL $(sql 'show server_version'): port $PG_PORT, database $DB (fsync=$(sql 'show fsync'), synchronous_commit=$(sql 'show synchronous_commit'), shared_buffers=$(sql 'show shared_buffers'), statements counted with $( ((HAVE_PGSS)) && echo pg_stat_statements || echo 'pg_stat_database transactions'))"

# ---- 4. data ----------------------------------------------------------------------------------
bench generate --cs "$CS" --cases "$CASES" $REGENERATE

# ---- 5. host, baseline, API key ----------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_free "$HOST_PORT" || die "port $HOST_PORT is taken (BENCH_HOST_PORT)"
port_free "$BASELINE_PORT" || die "port $BASELINE_PORT is taken (BENCH_BASELINE_PORT)"
HOST_URL="http://127.0.0.1:$HOST_PORT"
BASELINE_URL="http://127.0.0.1:$BASELINE_PORT"
ADMIN_KEY="bench-admin-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | cut -c1-20)"   # 32 characters
# The host's settings for every bench run: production, no demo data, jobs off (so nothing fires
# during a measurement), and no per-address rate limit for anonymous callers — target 7 sends its
# hostile documents from one address, and must reach the parser and validation rather than 429.
HOST_ENV=(ConnectionStrings__Postgres="$CS" ASPNETCORE_ENVIRONMENT=Production Omct__SeedDemoData=false
  Omct__Security__BootstrapAdminApiKey="$ADMIN_KEY" Omct__GraphQL__RequestsPerSecondPerAddress=1000000)

wait_ready() { # url pid name
  local deadline=$((SECONDS + 120))
  while ((SECONDS < deadline)); do
    kill -0 "$2" 2>/dev/null || die "the $3 exited during start-up (see $OUT)"
    [[ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" || true)" == 200 ]] && return 0
    sleep 0.5
  done
  die "the $3 did not answer 200 on $1 within 120 s"
}

log "starting the host on $HOST_URL (Production; request log: ${OUT#"$ROOT"/}/host.log)"
start=$SECONDS
(cd "$HOST_DIR" && exec env "${HOST_ENV[@]}" ASPNETCORE_URLS="$HOST_URL" Omct__Jobs__Enabled=false dotnet "$HOST_DLL" >"$OUT/host.log" 2>&1) &
HOST_PID=$!
wait_ready "$HOST_URL/health/ready" "$HOST_PID" host
log "host ready in $((SECONDS - start)) s (pid $HOST_PID)"
# A data set generated before the cases' list rows existed gets them from the host's first start: give the
# planner their statistics before anything is measured (a no-op when they are current).
[[ "$(sql "select to_regclass('omct.cases_list') is not null")" == t ]] && sql "vacuum (analyze) omct.cases_list" >/dev/null

dotnet "$BENCH_DLL" baseline --cs "$CS" --urls "$BASELINE_URL" --bootstrap-key "$ADMIN_KEY" >"$OUT/baseline.log" 2>&1 &
BASELINE_PID=$!
wait_ready "$BASELINE_URL/health" "$BASELINE_PID" "baseline endpoint"
log "baseline endpoint ready (pid $BASELINE_PID)"

bench prepare --cs "$CS" --host "$HOST_URL" --admin-key "$ADMIN_KEY" --baseline "$BASELINE_URL" --out "$OUT" \
  --countries "$COUNTRIES" --first 50
KEY="$(cat "$OUT/api-key")"
RESULTS="$OUT/results.tsv"
: >"$RESULTS"

# ---- 6. workloads -----------------------------------------------------------------------------
# CPU accounting, to tell a slow run from a busy machine: clock ticks (user + system, plus reaped
# children's: PostgreSQL's exited backends and parallel workers) of the host, the baseline, the
# PostgreSQL postmaster and its children, the load tool, and the machine as a whole; "other
# processes" is the rest. (With BENCH_CS on another machine, PostgreSQL's share is not seen.)
HZ="$(getconf CLK_TCK)"
PG_PM="$(head -n 1 "$(sql 'show data_directory' 2>/dev/null)/postmaster.pid" 2>/dev/null || true)"
ticks_of() { if [[ -n "$1" && -r "/proc/$1/stat" ]]; then awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat" 2>/dev/null || echo 0; else echo 0; fi; }
# user + nice + system + steal: interrupt and softirq time (loopback networking) belongs to no process.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $9 }' /proc/stat; }
snapshot() {
  local pg c
  pg="$(ticks_of "$PG_PM")"
  for c in $(pgrep -P "${PG_PM:-0}" 2>/dev/null || true); do pg=$((pg + $(ticks_of "$c"))); done
  echo "$(machine_ticks) $(ticks_of "$HOST_PID") $(ticks_of "$BASELINE_PID") $pg $(date +%s.%N)"
}

# Waits until processes other than ours use < 0.25 core: at most BENCH_QUIET_WAIT seconds per run
# (default 20) and BENCH_QUIET_BUDGET seconds in all (default 120), then measures anyway (the
# table warns about runs that shared the machine).
QUIET_BUDGET="${BENCH_QUIET_BUDGET:-120}"
wait_quiet() {
  local limit="${BENCH_QUIET_WAIT:-20}" waited=0 a b busy
  while :; do
    a="$(machine_ticks)"; sleep 2; b="$(machine_ticks)"
    busy="$(awk -v a="$a" -v b="$b" -v hz="$HZ" 'BEGIN { printf "%.2f", (b - a) / hz / 2 }')"
    awk -v x="$busy" 'BEGIN { exit !(x < 0.25) }' && return 0
    if ((waited >= limit || QUIET_BUDGET <= 0)); then
      echo "     (the machine stays busy: $busy cores used by other processes; measuring anyway)"
      return 0
    fi
    ((waited == 0)) && echo "     waiting for other processes to quieten down ($busy cores busy)…"
    waited=$((waited + 2)); QUIET_BUDGET=$((QUIET_BUDGET - 2))
  done
}

# measured COMMAND...: runs it; sets CPU_LINE (the CPU use during it) and OTHERS (cores used by other processes).
# The load tool's CPU is the command's (with its waited-for children: two wrk under one bash count as one tool).
OTHERS=""
CPU_LINE=""
measured() {
  local before after TIMEFORMAT='%3U %3S'
  before="$(snapshot)"
  { time "$@" 2>&3; } 3>&2 2>"$OUT/.time" || true
  after="$(snapshot)"
  read -r tool_user tool_sys <"$OUT/.time" || true
  local line
  line="$(awk -v a="$before" -v b="$after" -v tu="${tool_user:-0}" -v ts="${tool_sys:-0}" -v hz="$HZ" 'BEGIN {
    split(a, x, " "); split(b, y, " "); s = y[5] - x[5]; if (s <= 0) s = 1
    all = (y[1] - x[1]) / hz; host = (y[2] - x[2]) / hz; base = (y[3] - x[3]) / hz; pg = (y[4] - x[4]) / hz; tool = tu + ts
    other = all - host - base - pg - tool; if (other < 0) other = 0
    printf "%.2f %.2f %.2f %.2f %.2f %.2f", host / s, base / s, pg / s, tool / s, other / s, all / s }')"
  read -r c_host c_base c_pg c_tool OTHERS c_all <<<"$line"
  CPU_LINE="     CPU (cores of $(nproc)): host $c_host, baseline $c_base, postgres $c_pg, load tool/bench $c_tool, other processes $OTHERS (machine $c_all)"
  CPU_SECONDS="$(awk -v a="$before" -v b="$after" 'BEGIN { split(a, x, " "); split(b, y, " "); print y[5] - x[5] }')"
}
# per_request REQUESTS: CPU milliseconds per request of the host, the baseline and PostgreSQL in the last measured run
# (steadier than req/s on a shared machine: other processes slow a run down, they do not add to its CPU per request).
per_request() {
  awk -v n="$1" -v s="$CPU_SECONDS" -v h="$c_host" -v b="$c_base" -v p="$c_pg" 'BEGIN {
    if (n > 0) printf "     CPU per request: host %.2f ms, baseline %.2f ms, postgres %.2f ms\n", h * s * 1000 / n, b * s * 1000 / n, p * s * 1000 / n }'
}

# wrk_run WORKLOAD VARIANT RUN URL CONNECTIONS THREADS SCRIPT ARGS... ; RUN=0 is a warm-up (not recorded)
LAST=""
wrk_run() {
  local workload=$1 variant=$2 run=$3 url=$4 conns=$5 threads=$6 script=$7
  shift 7
  local seconds=$DURATION file="$OUT/wrk-$workload-$variant-$run.txt"
  if ((run == 0)); then
    wrk -t "$threads" -c "$conns" -d "${WARMUP}s" --timeout 10s -s "$BENCH/wrk/$script" "$url" -- "$@" >"$file" 2>&1 || true
    echo "  warm-up $workload $variant: $(sed -n 's/^Requests\/sec: *//p' "$file") req/s"
    LAST="$(grep '^BENCH_RESULT' "$file" || true)"
    return 0
  fi
  wait_quiet
  echo "  -- $workload $variant run $run: wrk -t $threads -c $conns -d ${seconds}s $url"
  measured wrk -t "$threads" -c "$conns" -d "${seconds}s" --timeout 10s --latency -s "$BENCH/wrk/$script" "$url" -- "$@" >"$file"
  show_wrk "$file"
  echo "$CPU_LINE"
  LAST="$(grep '^BENCH_RESULT' "$file" || true)"
  [[ -n "$LAST" ]] || echo "     (wrk printed no result: see $file)"
  per_request "$(field requests)"
}
show_wrk() {
  sed -n '/Thread Stats/,/Transfer\/sec/p' "$1" | sed 's/^/     /'
  grep -h '^first error\|^accepted\|^refusal codes' "$1" | head -n 4 | sed 's/^/     /' || true
}

# inproc_run RUN COMMAND ARGS...: a bench command; the result lines it writes get the CPU note.
inproc_run() {
  local run=$1 lines
  shift
  wait_quiet
  lines="$(wc -l <"$RESULTS")"
  measured dotnet "$BENCH_DLL" "$@" --results "$RESULTS" --run "$run"
  echo "$CPU_LINE"
  sed -i "$((lines + 1)),\$ s/\$/; other processes $OTHERS cores/" "$RESULTS"
}
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$LAST"; }
record() { # WORKLOAD VARIANT RUN NOTE [extra errors]
  [[ -n "$LAST" ]] || return 0
  local errors=$(($(field socket_errors) + $(field non200) + $(field gql_errors) + ${5:-0}))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$(field rps)" \
    "$(awk -v u="$(field p50_us)" 'BEGIN { printf "%.3f", u / 1000 }')" \
    "$(awk -v u="$(field p99_us)" 'BEGIN { printf "%.3f", u / 1000 }')" \
    "$(field requests)" "$errors" "$4; other processes $OTHERS cores" >>"$RESULTS"
}

# The host's resident memory, sampled every 100 ms into a file while target 1 runs (target 8).
rss_start() {
  (while kill -0 "$HOST_PID" 2>/dev/null; do awk '/^VmRSS:/ { print $2 }' "/proc/$HOST_PID/status" 2>/dev/null; sleep 0.1; done) >>"$1" &
  SAMPLER_PID=$!
}
rss_stop() { [[ -n "$SAMPLER_PID" ]] && kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""; }

T1_BODY="$OUT/t1-graphql.json"
if want 1 || want 8; then
  echo
  echo "== target 1: dashboard page, 16 connections, ${DURATION}s x $RUNS runs (countries $COUNTRIES, OPEN, first 50) =="
  : >"$OUT/rss-t1.txt"
  rss_start "$OUT/rss-t1.txt"
  wrk_run t1 graphql 0 "$HOST_URL/graphql" 16 2 post.lua "$T1_BODY" "$KEY"
  want 1 && wrk_run t1 baseline 0 "$BASELINE_URL/cases" 16 2 post.lua "$OUT/t1-baseline.json" "$KEY"
  t1_runs=$RUNS; want 1 || t1_runs=1
  for run in $(seq 1 "$t1_runs"); do
    wrk_run t1 graphql "$run" "$HOST_URL/graphql" 16 2 post.lua "$T1_BODY" "$KEY"
    want 1 && record t1 graphql "$run" "GraphQL, stored API key"
    want 1 || continue
    wrk_run t1 baseline "$run" "$BASELINE_URL/cases" 16 2 post.lua "$OUT/t1-baseline.json" "$KEY"
    record t1 baseline "$run" "Npgsql + System.Text.Json, stored API key"
    if [[ "$DIAG" == 1 ]]; then
      wrk_run t1 graphql-bootstrap "$run" "$HOST_URL/graphql" 16 2 post.lua "$T1_BODY" "$ADMIN_KEY"
      record t1 graphql-bootstrap "$run" "GraphQL, bootstrap key (no key lookup)"
    fi
  done
  rss_stop
  if want 8; then
    read -r rss_median rss_peak rss_n < <(sort -n "$OUT/rss-t1.txt" | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan nan 0"; else printf "%.1f %.1f %d\n", v[int((NR + 1) / 2)] / 1024, v[NR] / 1024, NR }')
    echo "  t8 host VmRSS during target 1: median $rss_median MiB, peak $rss_peak MiB ($rss_n samples)"
    printf 't8\trss\t1\t%s\t%s\t%s\t%s\t0\t%s\n' "$rss_n" "$rss_median" "$rss_peak" "$rss_n" "VmRSS every 100 ms during target 1 (MiB)" >>"$RESULTS"
  fi
fi

# Target 1 side by side with PostGraphile (issue 25): ../shared/bench/peer/run.sh (PostGraphile 5 + connection-filter
# and a hand-written Node endpoint over a relational copy of a 100,000-case data set, on its own PostgreSQL) with this
# host added to the same run through its EXTRA_* settings, RUNS times; each run measures every server at 1 and 16
# connections. The host answers the same page (peer/body.json: 50 OPEN cases in MX, CO, GT, newest first, victims'
# names) over this bench's data set, with the stored STAFF key. Needs root (the peer harness runs its own PostgreSQL
# as postgres) and npm (it installs PostGraphile and Node 24 once).
if want P; then
  echo
  echo "== target P: the dashboard page next to PostGraphile 5, 1 and 16 connections, ${DURATION}s x $RUNS runs =="
  PEER_DIR="${BENCH_PEER_DIR:-$ROOT/../shared/bench/peer}"
  if [[ ! -f "$PEER_DIR/run.sh" ]]; then
    echo "  skipped: no peer harness at $PEER_DIR (BENCH_PEER_DIR)"
  elif [[ "$(id -u)" != 0 ]]; then
    echo "  skipped: the peer harness needs root (it runs its own PostgreSQL as postgres)"
  else
    # A writable copy of the harness (its node_modules stay there between runs).
    PEER_WORK="$OUT/peer"
    mkdir -p "$PEER_WORK"
    cp -f "$PEER_DIR"/*.sh "$PEER_DIR"/*.mjs "$PEER_DIR"/*.sql "$PEER_DIR"/*.graphql "$PEER_DIR"/*.lua "$PEER_DIR"/package.json "$PEER_WORK"/
    cp -f "$PEER_DIR/body.json" "$OUT/peer-omct.json"
    for run in $(seq 1 "$RUNS"); do
      wait_quiet
      keep=1; ((run == RUNS)) && keep="${BENCH_KEEP_POSTGRES:-0}"
      echo "  -- peer run $run: PostGraphile, raw Node (SQL JSON and rows) and this host, wrk -t1 at 1 and 16 connections"
      env EXTRA_NAME=omct EXTRA_URL="$HOST_URL/graphql" EXTRA_BODY="$OUT/peer-omct.json" EXTRA_HEADER="X-Api-Key: $KEY" \
        EXTRA_PID="$HOST_PID" WARMUP="$WARMUP" DURATION="$DURATION" CONNS="1 16" KEEP_PG="$keep" bash "$PEER_WORK/run.sh" >"$OUT/peer-$run.txt" 2>&1 || true
      if ! grep -q '^== results' "$OUT/peer-$run.txt"; then
        echo "     the peer harness failed: $(tail -n 3 "$OUT/peer-$run.txt" | tr '\n' ' ')"
        continue
      fi
      # Its table: | server | conns | req/s | p50 ms | p99 ms | errors | server CPU % | PostgreSQL CPU % | wrk CPU % | server RSS MB |
      sed -n '/^== results/,$p' "$OUT/peer-$run.txt" | grep '^| [a-z]' | grep -v '^| server' | sed 's/^/     /'
      sed -n '/^== results/,$p' "$OUT/peer-$run.txt" | awk -F'|' -v run="$run" '
        /^\| [a-z]/ && $2 !~ /server/ {
          gsub(/ /, "", $2); gsub(/ /, "", $3); gsub(/ /, "", $4); gsub(/ /, "", $5); gsub(/ /, "", $6); gsub(/ /, "", $7)
          printf "tP\t%s-c%s\t%s\t%s\t%s\t%s\t0\t%s\tserver CPU %s%%, its PostgreSQL CPU %s%%\n", $2, $3, run, $4, $5, $6, $7, $8, $9
        }' >>"$RESULTS"
    done
  fi
fi

if want 2; then
  echo
  echo "== target 2: caseStatistics(groupBy: COUNTRY), 8 connections, ${DURATION}s x $RUNS runs =="
  wrk_run t2 graphql 0 "$HOST_URL/graphql" 8 2 post.lua "$OUT/t2-graphql.json" "$KEY"
  wrk_run t2 baseline 0 "$BASELINE_URL/stats" 8 2 post.lua "$OUT/t2-baseline.json" "$KEY"
  for run in $(seq 1 "$RUNS"); do
    wrk_run t2 graphql "$run" "$HOST_URL/graphql" 8 2 post.lua "$OUT/t2-graphql.json" "$KEY"
    record t2 graphql "$run" "GraphQL"
    wrk_run t2 baseline "$run" "$BASELINE_URL/stats" 8 2 post.lua "$OUT/t2-baseline.json" "$KEY"
    record t2 baseline "$run" "Npgsql + System.Text.Json endpoint"
    echo "  -- t2 sql run $run"
    inproc_run "$run" sql-stats --cs "$CS" --key-file "$OUT/api-key" --clients 8 --seconds "$INPROC"
  done
fi

if want 3; then
  echo
  echo "== target 3: recordCaseEvent, 8 connections on distinct cases, ${DURATION}s x $RUNS runs =="
  wrk_run t3 graphql 0 "$HOST_URL/graphql" 8 8 mutate.lua "$OUT/t3-case-ids.txt" "$KEY" 8
  for run in $(seq 1 "$RUNS"); do
    before="$(sql 'select coalesce(max(seq_id), 0) from omct.mt_events')"
    wrk_run t3 graphql "$run" "$HOST_URL/graphql" 8 8 mutate.lua "$OUT/t3-case-ids.txt" "$KEY" 8
    sleep 1   # requests still in flight when wrk stopped
    appended="$(sql "select count(*) from omct.mt_events where seq_id > $before")"
    responses="$(field responses)"
    # Every answered mutation appended exactly one event; at most one more per connection was in flight.
    mismatch=0
    if [[ -n "$responses" ]] && ((appended < responses - $(field non200) - $(field gql_errors) || appended > responses + 8)); then
      mismatch=1
    fi
    echo "     events appended in the database: $appended for $responses responses ($(field non200) non-200, $(field gql_errors) with GraphQL errors)$( ((mismatch)) && echo ' MISMATCH')"
    record t3 graphql "$run" "events appended $appended / responses $responses" "$mismatch"
    echo "  -- t3 quick run $run"
    inproc_run "$run" append-quick --cs "$CS" --writers 8 --seconds "$INPROC"
    echo "  -- t3 fetch run $run"
    inproc_run "$run" append-fetch --cs "$CS" --writers 8 --seconds "$INPROC" --cases-file "$OUT/t3-baseline-case-ids.txt"
  done
fi

if want 4; then
  echo
  echo "== target 4: changes(first: 1000) from the start, $RUNS runs; then while 8 writers append =="
  bench feed --host "$HOST_URL" --key "$ADMIN_KEY" --cs "$CS" --first 1000 --results "$RESULTS" --run 0 --warmup
  for run in $(seq 1 "$RUNS"); do
    echo "  -- t4 feed run $run (GraphQL over HTTP, bootstrap admin key: every change visible)"
    inproc_run "$run" feed --host "$HOST_URL" --key "$ADMIN_KEY" --cs "$CS" --first 1000
    echo "  -- t4 sql run $run (baseline: mt_events read straight)"
    inproc_run "$run" feed-sql --cs "$CS" --first 1000
  done
  echo "  -- t4 feed while 8 writers append (recordCaseEvent over HTTP, distinct cases)"
  inproc_run 1 feed --host "$HOST_URL" --key "$ADMIN_KEY" --cs "$CS" --first 1000 --writers 8 --writer-key "$KEY" --cases-file "$OUT/t3-case-ids.txt"
fi

if want 5; then
  echo
  echo "== target 5: runJob(ANNIVERSARY_REMINDERS, asOf) for one day over 100k cases, $RUNS runs (each on a day not done yet) =="
  for run in $(seq 1 "$RUNS"); do
    day="${T5_DAYS[$(((run - 1) % ${#T5_DAYS[@]}))]}"
    # A fresh day each run: the bench's own database forgets the anniversary reminders and the job's progress.
    sql "delete from omct.reminders_reminder where kind = 'Anniversary'; delete from omct.jobs_progress where job = 'ANNIVERSARY_REMINDERS'" >/dev/null
    echo "  -- t5 job run $run: asOf $day (first run, then the rerun)"
    inproc_run "$run" job --host "$HOST_URL" --key "$ADMIN_KEY" --cs "$CS" --name ANNIVERSARY_REMINDERS --as-of "$day" --workload t5 \
      --count-sql "select count(*) from omct.reminders_reminder"
    echo "  -- t5 sql run $run (baseline: the window's query alone)"
    inproc_run "$run" anniversary-sql --cs "$CS" --as-of "$day" --lead 14
  done
fi

if want 6; then
  echo
  echo "== target 6: runJob($DIGEST_JOB, asOf) for a weekly digest (STAFF audience, all countries) with 100k cases in the store =="
  # One weekly subscription, on Mondays: each run's day is a Monday of the data set's years, so the week
  # before it holds what a real week does (cases opened, events, interventions dated in it).
  sql "delete from omct.digests_delivery; delete from omct.digests_digest; delete from omct.mt_doc_digests_subscription" >/dev/null
  subscription_status="$(curl -s -o "$OUT/t6-subscription.json" -w '%{http_code}' -m 30 "$HOST_URL/graphql" \
    -H 'Content-Type: application/json' -H "X-Api-Key: $ADMIN_KEY" \
    --data '{"query":"mutation { createDigestSubscription(input: { name: \"bench weekly\", period: WEEKLY, weekday: MONDAY, audience: STAFF, emailRecipients: [\"desk@example.org\"] }) { digestSubscription { id } } }"}' || true)"
  grep -q '"id"' "$OUT/t6-subscription.json" 2>/dev/null || echo "  (the weekly subscription was not created: HTTP $subscription_status $(head -c 300 "$OUT/t6-subscription.json" 2>/dev/null))"
  for run in $(seq 1 "$RUNS"); do
    day="${T6_DAYS[$(((run - 1) % ${#T6_DAYS[@]}))]}"
    sql "delete from omct.digests_delivery; delete from omct.digests_digest; delete from omct.jobs_progress where job = '$DIGEST_JOB'" >/dev/null
    echo "  -- t6 job run $run: asOf $day (first run, then the rerun)"
    inproc_run "$run" job --host "$HOST_URL" --key "$ADMIN_KEY" --cs "$CS" --name "$DIGEST_JOB" --as-of "$day" --workload t6 \
      --count-sql "select count(*) from omct.digests_digest"
    echo "  -- t6 run $run: the digest made: $(sql "select count(*) || ' digest(s), ' || coalesce(sum(length(markdown)), 0) || ' characters of Markdown' from omct.digests_digest" 2>/dev/null || echo '?')"
    if tail -n 1 "$RESULTS" | grep -q 'not available'; then break; fi
  done
fi

# PostgreSQL statements executed in the bench's database so far (those of this counting excluded).
statements() {
  if ((HAVE_PGSS)); then
    sql "select coalesce(sum(s.calls), 0) from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = current_database() and s.query not ilike '%pg_stat_statements%'"
  else
    sql "select xact_commit + xact_rollback from pg_stat_database where datname = current_database()"
  fi
}
statement_top() { # FILE: the statements and their calls so far
  ((HAVE_PGSS)) || { : >"$1"; return 0; }
  sql "select s.queryid, s.calls, regexp_replace(left(s.query, 100), '\s+', ' ', 'g') from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = current_database() and s.query not ilike '%pg_stat_statements%'" >"$1"
}
statement_diff() { # BEFORE AFTER: the statements that ran in between, most frequent first
  awk -F'|' 'NR == FNR { c[$1] = $2; next } { d = $2 - c[$1]; if (d > 0) printf "%8d  %s\n", d, $3 }' "$1" "$2" | sort -rn | head -n 6
}

if want 7; then
  echo
  echo "== target 7: 1,000 hostile documents, anonymous, $HOSTILE_CONNS connections, ${DURATION}s x $RUNS runs; then with target 1's load at the same time =="
  bench hostile --out "$OUT/hostile.ndjson" --count 1000
  wrk_run t7 hostile 0 "$HOST_URL/graphql" "$HOSTILE_CONNS" 1 hostile.lua "$OUT/hostile.ndjson"
  for run in $(seq 1 "$RUNS"); do
    wait_quiet
    # The database's own background (the async daemon's polling, autovacuum) over as long, with no load: the baseline count.
    idle_a="$(statements)"; sleep "$DURATION"; idle_b="$(statements)"
    statement_top "$OUT/.stmts-a"
    s_a="$(statements)"
    wrk_run t7 hostile "$run" "$HOST_URL/graphql" "$HOSTILE_CONNS" 1 hostile.lua "$OUT/hostile.ndjson"
    s_b="$(statements)"
    statement_top "$OUT/.stmts-b"
    during=$((s_b - s_a)); idle=$((idle_b - idle_a)); requests="$(field requests)"
    # A round trip per request would add about as many statements as requests; the background adds what it adds idle.
    excess=$((during - idle)); roundtrips=0
    if ((excess > 20 && excess * 1000 > ${requests:-0})); then roundtrips=1; fi
    echo "     PostgreSQL statements in $DB: $during during the run ($requests requests), $idle in ${DURATION}s idle before it$( ((roundtrips)) && echo ' — MORE THAN THE BACKGROUND')"
    statement_diff "$OUT/.stmts-a" "$OUT/.stmts-b" | sed 's/^/       /'
    record t7 hostile "$run" "anonymous; refused $(field refused) of $(field responses), accepted $(field accepted)" "$(( $(field accepted) + $(field server_errors) ))"
    printf 't7\tstatements\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$during" "$idle" "$idle" "${requests:-0}" "$roundtrips" \
      "statements during the hostile run / idle as long; other processes $OTHERS cores" >>"$RESULTS"

    # Target 1 alone, then target 1 with the hostile load on other connections, at the same time.
    wrk_run t7 t1-alone "$run" "$HOST_URL/graphql" 16 2 post.lua "$T1_BODY" "$KEY"
    record t7 t1-alone "$run" "target 1 alone"
    wait_quiet
    echo "  -- t7 together run $run: wrk -c 16 (target 1) and wrk -c $HOSTILE_CONNS (hostile), ${DURATION}s"
    measured bash -c "wrk -t 1 -c $HOSTILE_CONNS -d ${DURATION}s --timeout 10s --latency -s '$BENCH/wrk/hostile.lua' '$HOST_URL/graphql' -- '$OUT/hostile.ndjson' >'$OUT/wrk-t7-hostile-under-t1-$run.txt' &
      wrk -t 2 -c 16 -d ${DURATION}s --timeout 10s --latency -s '$BENCH/wrk/post.lua' '$HOST_URL/graphql' -- '$T1_BODY' '$KEY' >'$OUT/wrk-t7-t1-under-hostile-$run.txt'; wait"
    echo "     target 1:"; show_wrk "$OUT/wrk-t7-t1-under-hostile-$run.txt"
    LAST="$(grep '^BENCH_RESULT' "$OUT/wrk-t7-t1-under-hostile-$run.txt" || true)"
    record t7 t1-under-hostile "$run" "target 1 while hostile documents arrive"
    echo "     hostile:"; show_wrk "$OUT/wrk-t7-hostile-under-t1-$run.txt"
    LAST="$(grep '^BENCH_RESULT' "$OUT/wrk-t7-hostile-under-t1-$run.txt" || true)"
    record t7 hostile-under-t1 "$run" "hostile while target 1 runs; refused $(field refused) of $(field responses)" "$(( $(field accepted) + $(field server_errors) ))"
    echo "$CPU_LINE"
  done
fi

if want 8; then
  echo
  echo "== target 8: exports stream in constant memory (the host's VmRSS sampled every 20 ms) =="
  inproc_run 1 export --host "$HOST_URL" --key "$ADMIN_KEY" --pid "$HOST_PID" --name cases --format ndjson --runs 2
  inproc_run 1 export --host "$HOST_URL" --key "$ADMIN_KEY" --pid "$HOST_PID" --name cases --format csv --runs 1
fi

echo
echo "host request log: $(wc -l <"$OUT/host.log") lines, $(du -h "$OUT/host.log" | cut -f1) (${OUT#"$ROOT"/}/host.log)"

if want 9; then
  echo
  echo "== target 9: start to ready on the existing database, ${BENCH_T9_RUNS:-5} starts, alternating with a minimal ASP.NET Core app =="
  # The measured hosts are the only ones running: the bench's host and baseline stop first.
  stop_pid "$HOST_PID" host; HOST_PID=""
  stop_pid "$BASELINE_PID" "baseline endpoint"; BASELINE_PID=""
  port_free "$STARTUP_PORT" || die "port $STARTUP_PORT is taken (BENCH_STARTUP_PORT)"
  wait_quiet
  lines="$(wc -l <"$RESULTS")"
  measured env "${HOST_ENV[@]}" ASPNETCORE_URLS="http://127.0.0.1:$STARTUP_PORT" Omct__Jobs__Enabled="$([[ "${BENCH_T9_JOBS:-1}" == 1 ]] && echo true || echo false)" \
    Serilog__MinimumLevel__Default=Warning \
    dotnet "$BENCH_DLL" startup --runs "${BENCH_T9_RUNS:-5}" --results "$RESULTS" \
    --host-dir "$HOST_DIR" --host-exec "dotnet $HOST_DLL" --host-probe "http://127.0.0.1:$STARTUP_PORT/health/ready" \
    --minimal-exec "dotnet $BENCH_DLL minimal --urls http://127.0.0.1:$STARTUP_PORT" --minimal-probe "http://127.0.0.1:$STARTUP_PORT/"
  echo "$CPU_LINE (the started processes count as the load tool's)"
  sed -i "$((lines + 1)),\$ s/\$/; other processes $OTHERS cores/" "$RESULTS"
fi

# ---- 7. report --------------------------------------------------------------------------------
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); PostgreSQL $(sql 'show server_version' 2>/dev/null || echo '?') (shared_buffers $(sql 'show shared_buffers' 2>/dev/null || echo '?')); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' + uncommitted changes'); $(date -u '+%Y-%m-%d %H:%M UTC')"
bench report --results "$RESULTS"
