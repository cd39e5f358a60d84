#!/usr/bin/env bash
# build/ops/pg-restart.sh — PostgreSQL restarted in the middle of a write load.
#
#   build/ops/pg-restart.sh [--writers 8] [--seconds 40] [--outage 5]
#
# 1. a PostgreSQL cluster of its own (.local/ops/postgres, port 56432, durable settings) and an
#    empty database; the built host as its own process (Production settings, jobs on)
# 2. 8 writers open cases through the API for 40 s (build/ops/write-load.mjs: every failed write
#    is retried with the same clientMutationId until acknowledged)
# 3. 10 s in, PostgreSQL is stopped (pg_ctl -m fast: connections are cut), stays down 5 s, and is
#    started again; /health/ready is polled every 250 ms throughout
# 4. checks: the host is the same process and ready again; /health/ready answered 503 during the
#    outage; every acknowledged write is stored once (build/ops/check-writes.mjs)
# Last line: "acknowledged N, stored N, lost N, duplicated N"; exit 1 if a check fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

WRITERS=8 SECONDS_OF_LOAD=40 OUTAGE=5 PORT="${OPS_HOST_PORT:-5211}"
while (($#)); do
  case "$1" in
    --writers) WRITERS=$2; shift ;;
    --seconds) SECONDS_OF_LOAD=$2; shift ;;
    --outage) OUTAGE=$2; shift ;;
    *) die "unknown argument $1 (see the header of $0)" ;;
  esac
  shift
done
trap ops_cleanup EXIT
trap 'exit 130' INT TERM

ops_prerequisites
ops_build
ops_database
RUN="restart$(date +%s)"
ops_start_host host-a "$PORT"
HOST_PID=$LAST_PID
ops_wait_ready "$PORT"
log "host ready (pid $HOST_PID, port $PORT); load: $WRITERS writers for $SECONDS_OF_LOAD s, PostgreSQL down for $OUTAGE s from t=10 s"

ops_poll_health "$PORT" "$OPS/health.txt"
node "$ROOT/build/ops/write-load.mjs" --hosts "http://127.0.0.1:$PORT" --key "$ADMIN_KEY" --writers "$WRITERS" \
  --seconds "$SECONDS_OF_LOAD" --run "$RUN" --out "$OPS/acks.ndjson" >"$OPS/load.json" &
LOAD_PID=$!

sleep 10
DOWN_AT=$(now_ms)
log "stopping PostgreSQL (fast: open connections are cut)"
"$ROOT/build/postgres.sh" stop >/dev/null 2>&1
sleep "$OUTAGE"
log "starting PostgreSQL again"
"$ROOT/build/postgres.sh" start >/dev/null
UP_AT=$(now_ms)

wait "$LOAD_PID" || die "the load tool failed"
sleep 2
kill "${BACKGROUND_PIDS[@]}" 2>/dev/null || true

failed=0
if kill -0 "$HOST_PID" 2>/dev/null; then
  log "host: still the same process (pid $HOST_PID), not restarted"
else
  log "FAILED: the host process exited (log: $OPS/host-a.log)"; failed=1
fi
final="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health/ready")"
log "health after the restart: $final"
[[ "$final" == 200 ]] || failed=1

# The outage as /health/ready saw it.
read -r unready first_unready last_unready recovered < <(awk -v down="$DOWN_AT" -v up="$UP_AT" '
  $2 != 200 && $1 >= down { n++; if (!f) f = $1; l = $1 }
  $2 == 200 && l && !r && $1 > l { r = $1 }
  END { printf "%d %.0f %.0f %.0f\n", n, f, l, r }' "$OPS/health.txt")
if ((unready > 0)); then
  log "health: 503 from +$((first_unready - DOWN_AT)) ms to +$((last_unready - DOWN_AT)) ms after the stop ($unready samples); PostgreSQL accepting again at +$((UP_AT - DOWN_AT)) ms; 200 again at +$((recovered - DOWN_AT)) ms"
else
  log "FAILED: /health/ready never reported the outage"; failed=1
fi

log "load: $(cat "$OPS/load.json")"
node "$ROOT/build/ops/check-writes.mjs" --db "$DB_URL" --run "$RUN" --acks "$OPS/acks.ndjson" || failed=1
exit "$failed"
