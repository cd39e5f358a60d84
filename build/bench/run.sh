#!/usr/bin/env bash
# shellcheck disable=SC2317  # functions invoked from traps look unreachable
# build/bench/run.sh — the Cases module's performance targets 1–3 (shared/design/benchmarks.md),
# with one command. Prints a table; never fails because a target is missed.
#
#   build/bench/run.sh [--regenerate] [--only 1|2|3[,..]] [--duration S] [--runs N] [--cases N]
#
# Steps:
#   1. tools: dotnet (required), wrk (apt-get install wrk when root and missing), psql
#   2. dotnet build -c Release of build/bench/Omct.Platform.Bench (builds the host too)
#   3. the embedded PostgreSQL (build/postgres.sh start, normal durability), database omct_bench
#   4. the data set: 100,000 cases / ~500,000 events, generated through the host's Marten store
#      unless the database already holds them (--regenerate: drop and generate again)
#   5. the host (Production, its JSON request log to build/bench/.local/host.log) and the
#      hand-written baseline endpoint, as separate processes; a stored API key (STAFF/STAFF)
#   6. per workload: a warm-up, then N runs of each variant, alternating with its baseline:
#        1  cases(filter: {countries, statuses: [OPEN]}, first: 50) — wrk, 16 connections
#           vs. the baseline endpoint (Npgsql + System.Text.Json), same page, same connections
#        2  caseStatistics(groupBy: COUNTRY) — wrk, 8 connections
#           vs. the baseline endpoint's /stats and the raw GROUP BY through Npgsql (8 tasks)
#        3  recordCaseEvent — wrk, 8 connections on distinct cases; events counted in the database
#           vs. Marten Quick append (1 event per save, 8 writers) and the handler's Marten work
#   7. the table (medians over the runs); stops what it started (host, baseline, PostgreSQL)
#
# Environment (defaults): BENCH_DURATION=20 (s per run) BENCH_RUNS=3 BENCH_WARMUP=5 (s)
#   BENCH_INPROC_SECONDS=10 (in-process baselines) BENCH_CASES=100000 BENCH_DB=omct_bench
#   BENCH_COUNTRIES=CO,GT,PH BENCH_HOST_PORT=5181 BENCH_BASELINE_PORT=5182
#   BENCH_DIAG=1 (also run target 1 with the bootstrap key, i.e. without the stored-key lookup)
#   BENCH_KEEP_POSTGRES=1 (leave the embedded PostgreSQL running)
#   BENCH_QUIET_WAIT=20 / BENCH_QUIET_BUDGET=60: before each run, wait up to 20 s (60 s in all)
#   for other processes to use < 0.25 core; each run prints the CPU of host, baseline, PostgreSQL,
#   load tool and "other processes", and the table warns about runs that shared the machine
# Output: build/bench/.local/ (git-ignored): results.tsv, wrk-*.txt, host.log, baseline.log.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/../.." && pwd)"
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
DIAG="${BENCH_DIAG:-1}"
REGENERATE=""
ONLY="1,2,3"

log() { echo "bench: $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while (($#)); do
  case "$1" in
    --regenerate) REGENERATE="--regenerate" ;;
    --only) ONLY="${2:?--only needs 1, 2 or 3}"; shift ;;
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

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

STARTED_PG=0
HOST_PID=""
BASELINE_PID=""

stop_pid() { # pid name
  local pid=$1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  log "stopped the $2 (pid $pid)"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$HOST_PID" host
  stop_pid "$BASELINE_PID" "baseline endpoint"
  if [[ "$STARTED_PG" == 1 ]]; then
    if [[ "${BENCH_KEEP_POSTGRES:-0}" == 1 ]]; then
      log "BENCH_KEEP_POSTGRES=1: the embedded PostgreSQL is left running (build/postgres.sh stop)"
    else
      "$ROOT/build/postgres.sh" stop >/dev/null 2>&1 || log "warning: could not stop the embedded PostgreSQL"
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
if ! "$ROOT/build/postgres.sh" status >/dev/null 2>&1; then STARTED_PG=1; fi
BASE_CS="$("$ROOT/build/postgres.sh" start)"   # no OMCT_PG_FAST: fsync and synchronous_commit on
PG_PORT="$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$BASE_CS")"
CS="${BASE_CS/Database=omct;/Database=$DB;}"
PSQL=(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres)
if [[ "$("${PSQL[@]}" -d postgres -tAc "select 1 from pg_database where datname = '$DB'")" != 1 ]]; then
  log "creating database $DB"
  "${PSQL[@]}" -d postgres -c "create database $DB encoding 'UTF8' template template0" >&2
fi
sql() { "${PSQL[@]}" -d "$DB" -tAc "$1"; }
log "PostgreSQL: 127.0.0.1:$PG_PORT database $DB (fsync=$(sql 'show fsync'), synchronous_commit=$(sql 'show synchronous_commit'))"

# ---- 4. data ----------------------------------------------------------------------------------
bench generate --cs "$CS" --cases "$CASES" $REGENERATE

# ---- 5. host, baseline, API key ----------------------------------------------------------------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_free "$HOST_PORT" || die "port $HOST_PORT is taken (BENCH_HOST_PORT)"
port_free "$BASELINE_PORT" || die "port $BASELINE_PORT is taken (BENCH_BASELINE_PORT)"
HOST_URL="http://127.0.0.1:$HOST_PORT"
BASELINE_URL="http://127.0.0.1:$BASELINE_PORT"
ADMIN_KEY="bench-admin-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | cut -c1-20)"   # 32 characters

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
(cd "$HOST_DIR" && ConnectionStrings__Postgres="$CS" ASPNETCORE_URLS="$HOST_URL" ASPNETCORE_ENVIRONMENT=Production \
  Omct__Jobs__Enabled=false Omct__SeedDemoData=false Omct__Security__BootstrapAdminApiKey="$ADMIN_KEY" \
  exec dotnet "$HOST_DLL" >"$OUT/host.log" 2>&1) &
HOST_PID=$!
wait_ready "$HOST_URL/health/ready" "$HOST_PID" host
log "host ready in $((SECONDS - start)) s (pid $HOST_PID)"

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
# embedded PostgreSQL, the load tool, and the machine as a whole; "other processes" is the rest.
HZ="$(getconf CLK_TCK)"
PG_PM="$(head -n 1 "$(sql 'show data_directory')/postmaster.pid" 2>/dev/null || true)"
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
# (default 20) and BENCH_QUIET_BUDGET seconds in all (default 60), then measures anyway (the
# table warns about runs that shared the machine).
QUIET_BUDGET="${BENCH_QUIET_BUDGET:-60}"
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
  sed -n '/Thread Stats/,/Transfer\/sec/p' "$file" | sed 's/^/     /'
  grep -h '^first error' "$file" | head -n 3 | sed 's/^/     /' || true
  echo "$CPU_LINE"
  LAST="$(grep '^BENCH_RESULT' "$file" || true)"
  [[ -n "$LAST" ]] || echo "     (wrk printed no result: see $file)"
}

# inproc_run RUN COMMAND ARGS...: an in-process baseline of the bench; its result line gets the CPU note.
inproc_run() {
  local run=$1
  shift
  wait_quiet
  measured dotnet "$BENCH_DLL" "$@" --results "$RESULTS" --run "$run"
  echo "$CPU_LINE"
  sed -i '$ s/$/; other processes '"$OTHERS"' cores/' "$RESULTS"
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

if want 1; then
  echo
  echo "== target 1: dashboard page, 16 connections, ${DURATION}s x $RUNS runs (countries $COUNTRIES, OPEN, first 50) =="
  wrk_run t1 graphql 0 "$HOST_URL/graphql" 16 2 post.lua "$OUT/t1-graphql.json" "$KEY"
  wrk_run t1 baseline 0 "$BASELINE_URL/cases" 16 2 post.lua "$OUT/t1-baseline.json" "$KEY"
  for run in $(seq 1 "$RUNS"); do
    wrk_run t1 graphql "$run" "$HOST_URL/graphql" 16 2 post.lua "$OUT/t1-graphql.json" "$KEY"
    record t1 graphql "$run" "GraphQL, stored API key"
    wrk_run t1 baseline "$run" "$BASELINE_URL/cases" 16 2 post.lua "$OUT/t1-baseline.json" "$KEY"
    record t1 baseline "$run" "Npgsql + System.Text.Json, stored API key"
    if [[ "$DIAG" == 1 ]]; then
      wrk_run t1 graphql-bootstrap "$run" "$HOST_URL/graphql" 16 2 post.lua "$OUT/t1-graphql.json" "$ADMIN_KEY"
      record t1 graphql-bootstrap "$run" "GraphQL, bootstrap key (no key lookup)"
    fi
  done
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

# ---- 7. report --------------------------------------------------------------------------------
echo
echo "host request log: $(wc -l <"$OUT/host.log") lines, $(du -h "$OUT/host.log" | cut -f1) (${OUT#"$ROOT"/}/host.log)"
bench report --results "$RESULTS"
