#!/usr/bin/env bash
# build/ops/scale-out.sh — three hosts on one PostgreSQL, a write load on all of them, one host
# killed with kill -9 in the middle.
#
#   build/ops/scale-out.sh [--hosts 3] [--writers 8] [--seconds 60] [--kill-at 20]
#
# 1. a PostgreSQL cluster of its own (.local/ops/postgres, port 56432, durable settings), an empty
#    database, and N hosts (ports 5221…, node ids host-a, host-b …) with the scheduler on; the two
#    interval jobs fire every 5 s (Omct__Jobs__Intervals__…) so that the cluster's behaviour shows
# 2. 8 writers open cases through all the hosts in turn (build/ops/write-load.mjs: a failed write is
#    retried with the same clientMutationId on the next host)
# 3. at --kill-at seconds, host-b is killed with SIGKILL (no shutdown: its connections, its Quartz
#    triggers and its projection leases are left as they are)
# 4. checks:
#    - writes: every acknowledged write is stored once (build/ops/check-writes.mjs)
#    - async projections ran once: Marten's HotCold daemon runs each projection on one host; the
#      case-statistics counters (an async projection) must equal the cases, i.e. no event counted
#      twice by two hosts, and none missed across the kill
#    - Quartz: each scheduled fire of a job ran once (jobs_runs.scheduled_for has no duplicate),
#      runs came from several nodes, and after the kill the jobs kept firing on the others within 30 s
# Last line: "acknowledged N, stored N, lost N, duplicated N"; exit 1 if a check fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

HOSTS=3 WRITERS=8 SECONDS_OF_LOAD=60 KILL_AT=20 FIRST_PORT="${OPS_HOST_PORT:-5221}"
while (($#)); do
  case "$1" in
    --hosts) HOSTS=$2; shift ;;
    --writers) WRITERS=$2; shift ;;
    --seconds) SECONDS_OF_LOAD=$2; shift ;;
    --kill-at) KILL_AT=$2; shift ;;
    *) die "unknown argument $1 (see the header of $0)" ;;
  esac
  shift
done
((HOSTS >= 2)) || die "--hosts must be at least 2"
trap ops_cleanup EXIT
trap 'exit 130' INT TERM

ops_prerequisites
ops_build
ops_database
RUN="scale$(date +%s)"
NAMES=() PORTS=() PIDS=() URLS=()
for ((i = 0; i < HOSTS; i++)); do
  name="host-$(printf "\\x$(printf %x $((97 + i)))")"
  port=$((FIRST_PORT + i))
  ops_start_host "$name" "$port" Omct__Jobs__Enabled=true \
    Omct__Jobs__Intervals__PUBLISH_SCHEDULED_ARTICLES=00:00:05 Omct__Jobs__Intervals__CLOSE_EXPIRED_CALLS=00:00:05
  NAMES+=("$name") PORTS+=("$port") PIDS+=("$LAST_PID") URLS+=("http://127.0.0.1:$port")
  # One after the other: the first creates the schema, the others find it.
  ops_wait_ready "$port" 120
done
log "${HOSTS} hosts ready: ${NAMES[*]} on ports ${PORTS[*]}"

START_MS=$(now_ms)
node "$ROOT/build/ops/write-load.mjs" --hosts "$(IFS=,; echo "${URLS[*]}")" --key "$ADMIN_KEY" --writers "$WRITERS" \
  --seconds "$SECONDS_OF_LOAD" --run "$RUN" --out "$OPS/scale-acks.ndjson" >"$OPS/scale-load.json" &
LOAD_PID=$!

sleep "$KILL_AT"
VICTIM=1
KILLED_MS=$(now_ms)
kill -KILL "${PIDS[$VICTIM]}"
log "killed ${NAMES[$VICTIM]} (pid ${PIDS[$VICTIM]}) with SIGKILL at +$(((KILLED_MS - START_MS) / 1000)) s"

wait "$LOAD_PID" || die "the load tool failed"
log "load: $(cat "$OPS/scale-load.json")"

psqlq() { psql "$DB_URL" -X -q -tA -F ' ' -c "$1"; }
failed=0

# --- async projection: counters = cases, once the daemon has caught up (it may have moved hosts)
caught_up=0
for _ in $(seq 1 120); do
  if [[ "$(psqlq "select (select coalesce(max(last_seq_id), 0) from omct.mt_event_progression where name = 'CaseStatistics:All') >= (select coalesce(max(seq_id), 0) from omct.mt_events)")" == t ]]; then
    caught_up=1; break
  fi
  sleep 0.5
done
cases="$(psqlq "select count(*) from omct.mt_doc_cases_case")"
counted="$(psqlq "select coalesce(sum(count), 0) from omct.mt_doc_cases_statistics_counter")"
where="$(psqlq "select coalesce(running_on_node::text, '?') || ' (' || coalesce(agent_status, '?') || ')' from omct.mt_event_progression where name = 'CaseStatistics:All'")"
if ((caught_up == 1)) && [[ "$cases" == "$counted" ]]; then
  log "async projection CaseStatistics: caught up; counters $counted = cases $cases (no event counted twice or missed); shard: $where"
else
  log "FAILED: async projection CaseStatistics: caught up=$caught_up, counters $counted, cases $cases"; failed=1
fi

# --- Quartz: one run per scheduled fire, several nodes, and firing on after the kill
duplicates="$(psqlq "select count(*) from (select job, scheduled_for from omct.jobs_runs where trigger = 'Schedule' and scheduled_for is not null group by 1, 2 having count(*) > 1) d")"
per_node="$(psqlq "select string_agg(node || ':' || n, ' ' order by node) from (select node, count(*) n from omct.jobs_runs where trigger = 'Schedule' group by node) x")"
fires="$(psqlq "select count(*) from omct.jobs_runs where trigger = 'Schedule'")"
after_kill="$(psqlq "select coalesce(extract(epoch from min(started_at) - to_timestamp($KILLED_MS / 1000.0))::numeric(10,1)::text, 'none') from omct.jobs_runs where trigger = 'Schedule' and started_at > to_timestamp($KILLED_MS / 1000.0)")"
max_gap="$(psqlq "select coalesce(max(gap)::numeric(10,1)::text, '0') from (select extract(epoch from started_at - lag(started_at) over (partition by job order by started_at)) gap from omct.jobs_runs where trigger = 'Schedule' and job = 'PUBLISH_SCHEDULED_ARTICLES') g")"
log "Quartz: $fires scheduled runs ($per_node), $duplicates fire(s) run twice; first run after the kill +${after_kill} s; longest gap between two runs of PUBLISH_SCHEDULED_ARTICLES ${max_gap} s"
if [[ "$duplicates" != 0 || "$after_kill" == none ]] || awk -v a="$after_kill" -v g="$max_gap" 'BEGIN { exit !(a > 30 || g > 30) }'; then
  log "FAILED: Quartz cluster check"; failed=1
fi

# --- writes
node "$ROOT/build/ops/check-writes.mjs" --db "$DB_URL" --run "$RUN" --acks "$OPS/scale-acks.ndjson" || failed=1
exit "$failed"
