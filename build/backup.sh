#!/usr/bin/env bash
# build/backup.sh — back up the platform's PostgreSQL database with PostgreSQL's own tools.
#
#   build/backup.sh --setup-archiving --dir DIR     once: WAL archiving into DIR/wal (then restart PostgreSQL)
#   build/backup.sh [--mode base|dump] --dir DIR     a backup into DIR (default mode: base)
#
# Modes:
#   base  pg_basebackup of the whole cluster (tar, gzip, the WAL it needs streamed alongside) into
#         DIR/base-<UTC time>/, for point-in-time recovery together with the WAL archived in DIR/wal
#         (build/restore.sh --target-time). Needs WAL archiving into DIR/wal: --setup-archiving.
#   dump  pg_dump of the one database (custom format) into DIR/dump-<UTC time>.pgdump: for small
#         installations; restores to the moment of the dump only.
# Each backup gets a line in DIR/backups.tsv: name, mode, finished at (UTC), the WAL position.
#
# The database: OMCT_BACKUP_URL (a libpq URL, e.g. postgresql://postgres@db:5432/omct; the user
# needs the REPLICATION attribute for base backups), else the embedded cluster of build/postgres.sh
# (OMCT_PG_STATE, database OMCT_PG_DATABASE or omct).
#
# The erasure ledger: run the host with Omct:Privacy:ErasureLedger pointing at a file in DIR
# (e.g. DIR/erasure-ledger.ndjson, on the same storage as the backups, not inside the database).
# The host appends every erasure to it; a host started on a restored database erases again everyone
# the ledger lists before it serves anyone (README, "Backup and restore").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { echo "backup: $*" >&2; }
die() { echo "backup: error: $*" >&2; exit 1; }

MODE=base DIR="" SETUP=0
while (($#)); do
  case "$1" in
    --mode) MODE="${2:?--mode base|dump}"; shift ;;
    --dir) DIR="${2:?--dir DIR}"; shift ;;
    --setup-archiving) SETUP=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (build/backup.sh --help)" ;;
  esac
  shift
done
[[ -n "$DIR" ]] || die "--dir DIR is required (where the backups and the WAL archive live)"
[[ "$MODE" == base || "$MODE" == dump ]] || die "--mode is base or dump"

# PostgreSQL client tools of the server's major version (pg_basebackup refuses a newer server).
bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [[ -x "$d/pg_basebackup" ]] && echo "$d"; done | sort -V | tail -n 1
}
BIN="${OMCT_PG_BIN:-$(bindir)}"
[[ -n "$BIN" && -x "$BIN/pg_dump" ]] || die "PostgreSQL client tools not found (apt-get install postgresql-client; or OMCT_PG_BIN)"

if [[ -n "${OMCT_BACKUP_URL:-}" ]]; then
  URL="$OMCT_BACKUP_URL"
else
  STATE="$(realpath -m "${OMCT_PG_STATE:-$ROOT/.local/postgres}")"
  [[ -f "$STATE/port" ]] || die "no OMCT_BACKUP_URL and no embedded cluster at $STATE (build/postgres.sh start)"
  URL="postgresql://postgres@127.0.0.1:$(cat "$STATE/port")/${OMCT_PG_DATABASE:-omct}"
fi
psql_() { "$BIN/psql" "$URL" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
psql_ -c 'select 1' >/dev/null || die "cannot connect to $URL"

mkdir -p "$DIR"
DIR="$(realpath "$DIR")"
# The server writes the WAL archive (as its own user): the directory must be its.
as_server_owner() { if [[ "$(id -u)" == 0 ]] && id postgres >/dev/null 2>&1; then chown "$@"; fi; }

if ((SETUP)); then
  mkdir -p "$DIR/wal"
  as_server_owner postgres: "$DIR" "$DIR/wal"
  psql_ -c "alter system set wal_level = 'replica'" \
    -c "alter system set archive_mode = 'on'" \
    -c "alter system set archive_command = 'test ! -f ''$DIR/wal/%f'' && cp %p ''$DIR/wal/%f'''" \
    -c "alter system set archive_timeout = '60s'" >/dev/null
  log "WAL archiving set to $DIR/wal (archive_timeout 60 s: at most a minute of commits waits for its segment)"
  log "restart PostgreSQL for archive_mode to apply (build/postgres.sh stop && build/postgres.sh start for the embedded one)"
  exit 0
fi

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
case "$MODE" in
  base)
    [[ "$(psql_ -c 'show archive_mode')" == on ]] || die "WAL archiving is off: build/backup.sh --setup-archiving --dir $DIR, then restart PostgreSQL"
    psql_ -c 'show archive_command' | grep -qF "$DIR/wal/" || die "the server archives its WAL elsewhere ($(psql_ -c 'show archive_command')), not in $DIR/wal"
    out="$DIR/base-$stamp"
    log "pg_basebackup into $out (tar, gzip, WAL streamed; fast checkpoint)"
    "$BIN/pg_basebackup" -d "$URL" -D "$out" -Ft -z -X stream --checkpoint=fast -l "omct $stamp" --no-password
    # The segment holding the backup's end is archived now, so the backup restores from DIR alone.
    psql_ -c 'select pg_switch_wal()' >/dev/null
    ;;
  dump)
    out="$DIR/dump-$stamp.pgdump"
    log "pg_dump (custom format) into $out"
    "$BIN/pg_dump" -d "$URL" -Fc -f "$out.partial" --no-password
    mv -f "$out.partial" "$out"
    ;;
esac
lsn="$(psql_ -c 'select pg_current_wal_lsn()')"
finished="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
printf '%s\t%s\t%s\t%s\n' "$(basename "$out")" "$MODE" "$finished" "$lsn" >>"$DIR/backups.tsv"
log "done: $out (finished $finished, WAL at $lsn)"
echo "$out"
