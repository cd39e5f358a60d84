#!/usr/bin/env bash
# build/restore.sh — restore a backup made by build/backup.sh.
#
#   build/restore.sh --backup DIR/base-<time> --pgdata NEWDIR [--port 5433] [--target-time TIME | --target-lsn LSN]
#   build/restore.sh --backup DIR/dump-<time>.pgdump --url postgresql://postgres@host:5432/omct_restored
#
# A base backup becomes a new cluster in NEWDIR (an empty or absent directory), started on --port
# (default 5433, 127.0.0.1 only): the backup, then the WAL archived beside it (DIR/wal) replayed up
# to --target-time (e.g. "2026-12-07 10:15:00+00") or --target-lsn, or to the end of the archive
# when neither is given; then it is promoted. It never archives into DIR/wal itself. Prints the
# recovery point reached (the last transaction replayed and the WAL position).
# A dump is restored into the database of --url (created when missing; it must be empty).
#
# Then start the host on the restored database with the SAME Omct:Privacy:ErasureLedger file as
# before: before it serves anyone it erases again every person the ledger lists whose data the
# restored database still holds (README, "Backup and restore"). Without the ledger, a restore to a
# moment before an erasure brings the person back.
set -euo pipefail

log() { echo "restore: $*" >&2; }
die() { echo "restore: error: $*" >&2; exit 1; }

BACKUP="" PGDATA_NEW="" PORT=5433 TARGET_TIME="" TARGET_LSN="" URL=""
while (($#)); do
  case "$1" in
    --backup) BACKUP="${2:?}"; shift ;;
    --pgdata) PGDATA_NEW="${2:?}"; shift ;;
    --port) PORT="${2:?}"; shift ;;
    --target-time) TARGET_TIME="${2:?}"; shift ;;
    --target-lsn) TARGET_LSN="${2:?}"; shift ;;
    --url) URL="${2:?}"; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (build/restore.sh --help)" ;;
  esac
  shift
done
[[ -e "$BACKUP" ]] || die "--backup: no backup at '$BACKUP'"
[[ -z "$TARGET_TIME" || -z "$TARGET_LSN" ]] || die "--target-time or --target-lsn, not both"
[[ "$PORT" =~ ^[0-9]+$ ]] || die "--port must be a number"

bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [[ -x "$d/pg_ctl" ]] && echo "$d"; done | sort -V | tail -n 1
}
BIN="${OMCT_PG_BIN:-$(bindir)}"
[[ -n "$BIN" && -x "$BIN/pg_restore" ]] || die "PostgreSQL tools not found (apt-get install postgresql; or OMCT_PG_BIN)"

# --- a dump -----------------------------------------------------------------------------------------
if [[ -f "$BACKUP" ]]; then
  [[ -n "$URL" ]] || die "a dump restores into a database: --url postgresql://user@host:port/dbname"
  db="${URL##*/}"; db="${db%%\?*}"
  [[ "$db" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "--url must end with a plain database name"
  server="${URL%/*}/postgres"
  if [[ -z "$("$BIN/psql" "$server" -X -At -c "select 1 from pg_database where datname = '$db'")" ]]; then
    "$BIN/psql" "$server" -X -q -c "create database $db" || die "could not create the database $db"
  fi
  [[ "$("$BIN/psql" "$URL" -X -At -c "select count(*) from pg_namespace where nspname = 'omct'")" == 0 ]] \
    || die "the database $db is not empty (schema omct exists): restore into a new one"
  log "pg_restore $BACKUP into $db"
  "$BIN/pg_restore" -d "$URL" --no-owner --exit-on-error "$BACKUP"
  log "restored to the moment of the dump ($(basename "$BACKUP"))"
  exit 0
fi

# --- a base backup and the WAL archive -----------------------------------------------------------------
[[ -f "$BACKUP/base.tar.gz" ]] || die "$BACKUP is not a base backup of build/backup.sh (no base.tar.gz)"
[[ -n "$PGDATA_NEW" ]] || die "a base backup restores into a new cluster: --pgdata NEWDIR"
WAL_DIR="$(realpath "$BACKUP/../wal")"
[[ -d "$WAL_DIR" ]] || die "no WAL archive beside the backup ($WAL_DIR)"
if [[ -e "$PGDATA_NEW" && -n "$(ls -A "$PGDATA_NEW" 2>/dev/null)" ]]; then
  die "$PGDATA_NEW is not empty: restore into an empty directory"
fi
mkdir -p "$PGDATA_NEW"
PGDATA_NEW="$(realpath "$PGDATA_NEW")"
chmod 700 "$PGDATA_NEW"
log "unpacking $BACKUP into $PGDATA_NEW"
tar -xzf "$BACKUP/base.tar.gz" -C "$PGDATA_NEW"
mkdir -p "$PGDATA_NEW/pg_wal"
[[ -f "$BACKUP/pg_wal.tar.gz" ]] && tar -xzf "$BACKUP/pg_wal.tar.gz" -C "$PGDATA_NEW/pg_wal"
rm -f "$PGDATA_NEW/postmaster.pid"

SOCK="/tmp/omct-restore-$PORT"
mkdir -p "$SOCK"
{
  echo "# written by build/restore.sh"
  echo "restore_command = 'cp ''$WAL_DIR/%f'' %p'"
  [[ -n "$TARGET_TIME" ]] && echo "recovery_target_time = '$TARGET_TIME'"
  [[ -n "$TARGET_LSN" ]] && echo "recovery_target_lsn = '$TARGET_LSN'"
  echo "recovery_target_action = 'promote'"
  # The restored cluster must not write into the archive the backup came from.
  echo "archive_mode = 'off'"
  echo "log_min_messages = 'log'"   # the recovery point is logged at LOG level
  echo "port = $PORT"
  echo "listen_addresses = '127.0.0.1'"
  echo "unix_socket_directories = '$SOCK'"
} >>"$PGDATA_NEW/postgresql.auto.conf"
touch "$PGDATA_NEW/recovery.signal"

as_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [[ "$(id -u)" == 0 ]]; then chown -R postgres: "$PGDATA_NEW" "$SOCK"; fi
LOGFILE="$PGDATA_NEW/restore.log"
log "starting PostgreSQL on 127.0.0.1:$PORT, replaying the WAL of $WAL_DIR${TARGET_TIME:+ up to $TARGET_TIME}${TARGET_LSN:+ up to $TARGET_LSN} (log: $LOGFILE)"
as_pg "$BIN/pg_ctl" -D "$PGDATA_NEW" -l "$LOGFILE" -w -t 600 start >/dev/null || { tail -n 20 "$LOGFILE" >&2; die "PostgreSQL did not start"; }

psql_() { "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -X -At "$@"; }
deadline=$((SECONDS + 600))
until [[ "$(psql_ -c 'select pg_is_in_recovery()' 2>/dev/null)" == f ]]; do
  ((SECONDS < deadline)) || { tail -n 20 "$LOGFILE" >&2; die "recovery did not finish within 10 minutes"; }
  grep -q 'FATAL' "$LOGFILE" && { tail -n 20 "$LOGFILE" >&2; die "recovery failed"; }
  sleep 0.5
done

# What the server says it reached (its log, in its own words), and where the WAL is now.
stopped="$(grep -oE 'recovery stopping (before|after) .*' "$LOGFILE" | tail -n 1 || true)"
last="$(grep -oE 'last completed transaction was at log time .*' "$LOGFILE" | tail -n 1 || true)"
redo="$(grep -oE 'redo done at [0-9A-F]+/[0-9A-F]+' "$LOGFILE" | tail -n 1 || true)"
echo "recovery point: ${stopped:-the end of the archived WAL}; ${last:-no transaction replayed}; ${redo:-redo position not logged}; now at $(psql_ -c 'select pg_current_wal_lsn()')"
log "restored and promoted: postgresql://postgres@127.0.0.1:$PORT/<database> (stop: pg_ctl -D $PGDATA_NEW stop)"
