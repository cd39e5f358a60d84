#!/usr/bin/env bash
# build/ops/restore-drill.sh — a restore drill: back up, erase a person, restore the earlier backup
# with WAL replay, and check that nothing acknowledged is lost and the erased person stays erased.
#
#   build/ops/restore-drill.sh [--writers 4] [--seconds 6]
#
# 1. a PostgreSQL cluster of its own (.local/ops/drill-postgres, port 56440, durable settings) with
#    WAL archiving into .local/ops/drill/backups/wal (build/backup.sh --setup-archiving), an empty
#    database, and the built host as its own process with the erasure ledger beside the backups
#    (Omct__Privacy__ErasureLedger=.local/ops/drill/backups/erasure-ledger.ndjson)
# 2. writers open cases through the API (build/ops/write-load.mjs); a defender is registered with
#    confidential details and named as the victim of a case
# 3. build/backup.sh --mode base (pg_basebackup) and --mode dump (pg_dump); more writes; the recovery target is noted; then
#    the defender is erased through the API; the WAL is archived; host and PostgreSQL are stopped
# 4. build/restore.sh restores the base backup into a new cluster (port 56441) and replays the
#    archived WAL up to the recovery target — a moment BEFORE the erasure, so the restored database
#    holds the person again
# 5. the host is started on the restored database with the same ledger: before it is ready it
#    erases the person again; checks through GraphQL (admin key): the profile's name, contact,
#    location, family and risk notes are unreadable, the pseudonym is shown on the profile and as the
#    case's victim and where the name was typed into the case's title and an event's description, a
#    search by the name finds nothing, no event or read model row holds it; every write acknowledged before the backup,
#    and after it up to the recovery target, is stored once (build/ops/check-writes.mjs); the dump,
#    restored into a database of its own, holds every write acknowledged before it
# Prints the acknowledged writes and what the restored database holds, the recovery point reached,
# and as its last line "restore drill passed" (exit 0) or "restore drill FAILED: …" (exit 1).
# Settings: OPS_NO_BUILD=1 (the host is built already), OPS_KEEP_POSTGRES=1.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

WRITERS=4 SECONDS_OF_LOAD=6 PORT="${OPS_HOST_PORT:-5221}"
while (($#)); do
  case "$1" in
    --writers) WRITERS=$2; shift ;;
    --seconds) SECONDS_OF_LOAD=$2; shift ;;
    *) die "unknown argument $1 (see the header of $0)" ;;
  esac
  shift
done

DRILL="$OPS/drill"
BACKUPS="$DRILL/backups"
RESTORED="$DRILL/restored"
RESTORED_PORT="${OPS_RESTORED_PG_PORT:-56441}"
LEDGER="$BACKUPS/erasure-ledger.ndjson"
export OMCT_PG_STATE="$DRILL/postgres" OMCT_PG_PORT="${OPS_DRILL_PG_PORT:-56440}" OMCT_PG_DATABASE=omct_drill

restored_pg() { # pg_ctl on the restored cluster, as the server's user
  local bin
  bin="$(for d in /usr/lib/postgresql/*/bin; do [[ -x "$d/pg_ctl" ]] && echo "$d"; done | sort -V | tail -n 1)"
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$bin/pg_ctl" -D "$RESTORED" "$@"; else "$bin/pg_ctl" -D "$RESTORED" "$@"; fi
}
drill_cleanup() {
  ops_cleanup
  [[ -f "$RESTORED/postmaster.pid" ]] && restored_pg -m fast -w stop >/dev/null 2>&1 || true
}
trap drill_cleanup EXIT
trap 'exit 130' INT TERM

FAILED=()
check() { # condition-description, then a command that must succeed
  local what=$1
  shift
  if "$@"; then log "ok: $what"; else log "FAILED: $what"; FAILED+=("$what"); fi
}

# gql PORT QUERY [VARIABLES-JSON]: the response body (admin key)
gql() {
  local body
  body="$(node -e 'process.stdout.write(JSON.stringify({ query: process.argv[1], variables: JSON.parse(process.argv[2]) }))' "$2" "${3:-{\}}")"
  curl -s -m 30 -H 'content-type: application/json' -H "X-Api-Key: $ADMIN_KEY" --data-binary "$body" "http://127.0.0.1:$1/graphql"
}
# js JSON EXPRESSION: evaluates EXPRESSION with `r` bound to the parsed JSON, prints the result
js() { node -e 'const r = JSON.parse(process.argv[1]); const v = eval(process.argv[2]); process.stdout.write(typeof v === "string" ? v : JSON.stringify(v ?? null))' "$1" "$2"; }

# uuid GLOBAL-ID: the record's uuid (global ids are base64 of "Type:32 hex digits")
uuid() { node -e 'const h = Buffer.from(process.argv[1], "base64").toString().split(":")[1]; process.stdout.write(h.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5"))' "$1"; }

# ---- 1. a cluster that archives its WAL, the host ------------------------------------------------
ops_prerequisites
[[ "${OPS_NO_BUILD:-0}" == 1 ]] || ops_build
"$ROOT/build/postgres.sh" stop >/dev/null 2>&1 || true
[[ -f "$RESTORED/postmaster.pid" ]] && { restored_pg -m immediate -w stop >/dev/null 2>&1 || true; }
rm -rf "$DRILL"
mkdir -p "$BACKUPS"
ops_database
"$ROOT/build/backup.sh" --setup-archiving --dir "$BACKUPS"
"$ROOT/build/postgres.sh" stop >/dev/null
"$ROOT/build/postgres.sh" start >/dev/null
[[ "$(psql "$DB_URL" -X -At -c 'show archive_mode')" == on ]] || die "WAL archiving did not come on"

HOST_ENV=(Omct__Privacy__ErasureLedger="$LEDGER" Omct__SeedDemoData=false)
ops_start_host drill-a "$PORT" "${HOST_ENV[@]}"
ops_wait_ready "$PORT"
log "host ready (port $PORT); WAL archived into $BACKUPS/wal; erasure ledger $LEDGER"

# ---- 2. writes, a defender who is a case's victim --------------------------------------------------
RUN_BEFORE="drillbefore$(date +%s)"
node "$ROOT/build/ops/write-load.mjs" --hosts "http://127.0.0.1:$PORT" --key "$ADMIN_KEY" --writers "$WRITERS" \
  --seconds "$SECONDS_OF_LOAD" --run "$RUN_BEFORE" --out "$DRILL/acks-before.ndjson" >"$DRILL/load-before.json"

NAME="Drill Person $RANDOM$RANDOM" PSEUDONYM="D-$RANDOM"
SECRETS=("drill-contact-$RANDOM" "drill-location-$RANDOM" "drill-family-$RANDOM" "drill-risk-$RANDOM")
r="$(gql "$PORT" 'mutation($n: String!, $p: String!) { registerDefender(input: { name: $n, pseudonym: $p, countryCode: "BY", confidentiality: STAFF }) { defender { id version } } }' \
  "$(node -e 'console.log(JSON.stringify({ n: process.argv[1], p: process.argv[2] }))' "$NAME" "$PSEUDONYM")")"
DEFENDER="$(js "$r" 'r.data.registerDefender.defender.id')"
[[ -n "$DEFENDER" && "$DEFENDER" != null ]] || die "registerDefender failed: $r"
r="$(gql "$PORT" 'mutation($d: ID!, $c: String, $l: String, $f: String, $k: String) { setConfidentialDetails(input: { defenderId: $d, contact: $c, location: $l, family: $f, riskNotes: $k }) { defender { contact } } }' \
  "$(node -e 'const a = process.argv.slice(1); console.log(JSON.stringify({ d: a[0], c: a[1], l: a[2], f: a[3], k: a[4] }))' "$DEFENDER" "${SECRETS[@]}")")"
[[ "$(js "$r" 'r.data.setConfidentialDetails.defender.contact')" == "${SECRETS[0]}" ]] || die "setConfidentialDetails failed: $r"
# Staff typed the name into the case's title and an event's description: the erasure redacts it there too.
r="$(gql "$PORT" 'mutation($t: String!) { openCase(input: { title: $t, countryCode: "BY", openedOn: "2026-01-15", confidentiality: STAFF }) { case { id version } } }' \
  "$(node -e 'console.log(JSON.stringify({ t: `Belarus: ${process.argv[1]} detained (restore drill)` }))' "$NAME")")"
CASE="$(js "$r" 'r.data.openCase.case.id')"
[[ -n "$CASE" && "$CASE" != null ]] || die "openCase failed: $r"
r="$(gql "$PORT" 'mutation($c: ID!, $d: String!) { recordCaseEvent(input: { caseId: $c, type: ARREST, date: "2026-01-14", description: $d, confidentiality: STAFF }) { case { id } } }' \
  "$(node -e 'console.log(JSON.stringify({ c: process.argv[1], d: `Police arrested ${process.argv[2]} at home.` }))' "$CASE" "$NAME")")"
[[ "$(js "$r" 'r.data.recordCaseEvent.case.id')" == "$CASE" ]] || die "recordCaseEvent failed: $r"
r="$(gql "$PORT" 'mutation($c: ID!, $d: ID!) { addVictim(input: { caseId: $c, defenderId: $d }) { case { victims { defender { name } } } } }' \
  "{\"c\":\"$CASE\",\"d\":\"$DEFENDER\"}")"
[[ "$(js "$r" 'r.data.addVictim.case.victims[0].defender.name')" == "$NAME" ]] || die "addVictim failed: $r"
DEFENDER_UUID="$(uuid "$DEFENDER")"
log "defender $DEFENDER ($DEFENDER_UUID) registered with confidential details, the victim of case $CASE"

# ---- 3. backup, more writes, the recovery target, the erasure ----------------------------------------
BASE="$("$ROOT/build/backup.sh" --mode base --dir "$BACKUPS")"
log "base backup: $BASE"
DUMP="$("$ROOT/build/backup.sh" --mode dump --dir "$BACKUPS")"
log "dump: $DUMP"
RUN_AFTER="drillafter$(date +%s)"
node "$ROOT/build/ops/write-load.mjs" --hosts "http://127.0.0.1:$PORT" --key "$ADMIN_KEY" --writers "$WRITERS" \
  --seconds "$(((SECONDS_OF_LOAD + 1) / 2))" --run "$RUN_AFTER" --out "$DRILL/acks-after.ndjson" >"$DRILL/load-after.json"
sleep 1
TARGET="$(psql "$DB_URL" -X -At -c "select to_char(now() at time zone 'utc', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")"
sleep 1
r="$(gql "$PORT" 'mutation($d: ID!) { eraseDefenderPersonalData(input: { defenderId: $d }) { defender { erased name } } }' "{\"d\":\"$DEFENDER\"}")"
[[ "$(js "$r" 'r.data.eraseDefenderPersonalData.defender.erased')" == true ]] || die "eraseDefenderPersonalData failed: $r"
check "the erasure is in the ledger" grep -q "$DEFENDER_UUID" "$LEDGER"
# Archive everything up to the erasure, then lose the database.
psql "$DB_URL" -X -At -c 'select pg_switch_wal()' >/dev/null
wanted="$(psql "$DB_URL" -X -At -c 'select pg_walfile_name(pg_current_wal_lsn() - 1)')"
archived() { [[ "$(psql "$DB_URL" -X -At -c "select coalesce(last_archived_wal, '') >= '$wanted' from pg_stat_archiver")" == t ]]; }
for _ in $(seq 1 120); do archived && break; sleep 0.5; done
archived || die "the WAL up to the erasure ($wanted) was not archived within 60 s"
kill "${HOST_PIDS[@]}" 2>/dev/null || true
wait "${HOST_PIDS[@]}" 2>/dev/null || true
HOST_PIDS=()
"$ROOT/build/postgres.sh" stop >/dev/null
log "host and PostgreSQL stopped; restoring $BASE with WAL replay up to $TARGET (before the erasure)"

# ---- 4. restore ------------------------------------------------------------------------------------
RECOVERY="$("$ROOT/build/restore.sh" --backup "$BASE" --pgdata "$RESTORED" --port "$RESTORED_PORT" --target-time "$TARGET")"
CS="Host=127.0.0.1;Port=$RESTORED_PORT;Username=postgres;Database=$OMCT_PG_DATABASE"
DB_URL="postgresql://postgres@127.0.0.1:$RESTORED_PORT/$OMCT_PG_DATABASE"
held="$(psql "$DB_URL" -X -At -c "select count(*) from omct.mt_doc_privacy_personal_data_key where id = '$DEFENDER_UUID'")"
check "the restored database holds the person's key again (restored to before the erasure)" test "$held" == 1

# ---- 5. the host on the restored database -------------------------------------------------------------
ops_start_host drill-b "$PORT" "${HOST_ENV[@]}"
ops_wait_ready "$PORT"
check "the host erased the person again from the ledger before it was ready" grep -q "Erased again 1 person" "$OPS/drill-b.log"
r="$(gql "$PORT" 'query($d: ID!) { node(id: $d) { ... on Defender { name pseudonym erased contact location family riskNotes } } }' "{\"d\":\"$DEFENDER\"}")"
check "profile: erased, no name, no confidential details" test "$(js "$r" '[r.data.node.erased, r.data.node.name, r.data.node.contact, r.data.node.location, r.data.node.family, r.data.node.riskNotes].join("|")')" == "true|||||"
check "profile: the pseudonym is shown" test "$(js "$r" 'r.data.node.pseudonym')" == "$PSEUDONYM"
r="$(gql "$PORT" 'query($c: ID!) { node(id: $c) { ... on Case { victims { name defender { name pseudonym } } } } }' "{\"c\":\"$CASE\"}")"
check "case: the victim shows the pseudonym, no name" test "$(js "$r" 'const v = r.data.node.victims[0]; [v.name, v.defender.name, v.defender.pseudonym].join("|")')" == "||$PSEUDONYM"
r="$(gql "$PORT" 'query($c: ID!) { node(id: $c) { ... on Case { title events { description } } } }' "{\"c\":\"$CASE\"}")"
check "case: the title and the event's description show the pseudonym where the name was typed" \
  test "$(js "$r" '[r.data.node.title, r.data.node.events[0].description].join("|")')" == "Belarus: $PSEUDONYM detained (restore drill)|Police arrested $PSEUDONYM at home."
r="$(gql "$PORT" 'query($t: String!) { defenders(filter: { text: $t }, first: 5) { totalCount } }' "{\"t\":\"$NAME\"}")"
check "search: the name finds nobody" test "$(js "$r" 'r.data.defenders.totalCount')" == 0
held="$(psql "$DB_URL" -X -At -c "select count(*) from omct.mt_doc_privacy_personal_data_key where id = '$DEFENDER_UUID'")"
check "the person's key is gone again" test "$held" == 0
dump="$(psql "$DB_URL" -X -At -c "select count(*) from omct.mt_doc_defenders_defender where data::text like '%$NAME%'")"
check "no read model row holds the name" test "$dump" == 0
held="$(psql "$DB_URL" -X -At -c "select count(*) from omct.mt_events where data::text like '%$NAME%'")"
check "no event holds the name" test "$held" == 0

# The dump, restored into a database of its own on the restored cluster: the same writes before the backup.
"$ROOT/build/restore.sh" --backup "$DUMP" --url "postgresql://postgres@127.0.0.1:$RESTORED_PORT/omct_from_dump" >/dev/null
dump_line="$(node "$ROOT/build/ops/check-writes.mjs" --db "postgresql://postgres@127.0.0.1:$RESTORED_PORT/omct_from_dump" --run "$RUN_BEFORE" --acks "$DRILL/acks-before.ndjson" 2>&1 | tail -n 1)" || true
check "the dump restored: every write acknowledged before it is stored once ($dump_line)" grep -q "lost 0, duplicated 0" <<<"$dump_line"

before_line="$(node "$ROOT/build/ops/check-writes.mjs" --db "$DB_URL" --run "$RUN_BEFORE" --acks "$DRILL/acks-before.ndjson" 2>&1 | tail -n 1)" || true
after_line="$(node "$ROOT/build/ops/check-writes.mjs" --db "$DB_URL" --run "$RUN_AFTER" --acks "$DRILL/acks-after.ndjson" 2>&1 | tail -n 1)" || true
echo "writes acknowledged before the backup: $(wc -l <"$DRILL/acks-before.ndjson"); after the restore: $before_line"
echo "writes acknowledged after the backup, before the recovery target: $(wc -l <"$DRILL/acks-after.ndjson"); after the restore (WAL replay): $after_line"
echo "$RECOVERY"
check "every write acknowledged before the backup is stored once" grep -q "lost 0, duplicated 0" <<<"$before_line"
check "every write acknowledged up to the recovery target is stored once (replayed from the WAL)" grep -q "lost 0, duplicated 0" <<<"$after_line"

if ((${#FAILED[@]})); then
  echo "restore drill FAILED: $(IFS=';'; echo "${FAILED[*]}")"
  exit 1
fi
echo "restore drill passed"
