#!/usr/bin/env bash
# shellcheck disable=SC2317  # functions invoked from traps look unreachable
# build/run.sh — run the OMCT platform host on this machine with one command.
#
#   build/run.sh [--demo-size small|large] [host arguments...]
#                                           e.g. build/run.sh --urls http://127.0.0.1:6000
#   --demo-size large   adds 5,000 generated cases (2011 to last year, 30 countries) to the demo
#                       data, for dashboards and charts (Omct__DemoSize=large; on an empty database,
#                       or added to the small demo once)
#
# What it does:
#   1. Database: uses $ConnectionStrings__Postgres when set; otherwise starts the
#      embedded PostgreSQL (build/postgres.sh start, installing it with apt-get
#      when root and missing) and points the host at it.
#   2. Omct__SeedDemoData=true (demo data) unless already set.
#   3. ASPNETCORE_URLS=http://localhost:5080 unless set or --urls is given; on a plain-HTTP
#      loopback URL, Omct__Accounts__AllowPlainHttpOnLoopback=true and PublicUrl = that URL.
#   4. GraphiQL assets (build/web-assets.sh) and the staff console (build/console.sh, skipped when its
#      inputs are unchanged); a failure of either is only a warning.
#   5. dotnet build (Release) of host/Omct.Platform.Host, then runs it from the
#      project directory (content root: appsettings*.json and wwwroot/).
#   6. Prints the GraphQL/GraphiQL URL once GET /health/ready answers 200.
# Ctrl-C / SIGTERM stops the host and, if this script started the embedded
# PostgreSQL, stops that too. A PostgreSQL that was already running is left
# running (stop it with build/postgres.sh stop).
#
# Environment passed through to the host, e.g.:
#   Omct__Security__BootstrapAdminApiKey=...   an admin API key (X-Api-Key); default: one
#                                              generated once into .local/admin-api-key
#   Omct__Privacy__MasterKey=... / Omct__Privacy__MasterKeyFile=...
#                                              the master key of the personal data (outside the database);
#                                              default: one generated once into .local/master-key (mode 600)
#   Omct__Accounts__FirstAdministratorEmail=... the first staff account (ADMIN); default admin@example.org:
#                                              its one-time setup link is in the host's log on an empty database
#   ASPNETCORE_ENVIRONMENT=Development         (default: Production)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJECT_DIR="$ROOT/host/Omct.Platform.Host"
PROJECT="$PROJECT_DIR/Omct.Platform.Host.csproj"
READY_TIMEOUT_S="${OMCT_READY_TIMEOUT_S:-300}"

log() { echo "run: $*" >&2; }
die() { echo "run: error: $*" >&2; exit 1; }

command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet, 10.0) is not installed or not on PATH: see https://dot.net"
[[ -f "$PROJECT" ]] || die "host project not found: $PROJECT"

STARTED_PG=0     # 1 when this script started the embedded PostgreSQL
HOST_PID=""
POLL_PID=""
EXIT_CODE=0

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$POLL_PID" ]]; then kill "$POLL_PID" 2>/dev/null || true; fi
  if [[ -n "$HOST_PID" ]] && kill -0 "$HOST_PID" 2>/dev/null; then
    log "stopping the host (pid $HOST_PID)"
    kill -TERM "$HOST_PID" 2>/dev/null || true
    # graceful shutdown first, then force
    for _ in $(seq 1 30); do kill -0 "$HOST_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL "$HOST_PID" 2>/dev/null || true
    wait "$HOST_PID" 2>/dev/null || true
  fi
  if [[ "$STARTED_PG" == 1 ]]; then
    "$ROOT/build/postgres.sh" stop || true
  fi
  exit "$rc"
}
on_signal() { # signal-name exit-code
  log "received $1"
  exit "$2"   # runs cleanup through the EXIT trap
}
trap cleanup EXIT
trap 'on_signal SIGINT 130' INT
trap 'on_signal SIGTERM 143' TERM

# ---- 0. this script's own options ---------------------------------------------
host_args=()
while (($# > 0)); do
  case "$1" in
    --demo-size) [[ $# -ge 2 ]] || die "--demo-size needs small or large"; export Omct__DemoSize="$2"; shift 2 ;;
    --demo-size=*) export Omct__DemoSize="${1#--demo-size=}"; shift ;;
    *) host_args+=("$1"); shift ;;
  esac
done
case "${Omct__DemoSize:-small}" in
  small|large) ;;
  *) die "--demo-size must be small or large, not '${Omct__DemoSize}'" ;;
esac
set -- "${host_args[@]}"

# ---- 1. database -------------------------------------------------------------
if [[ -z "${ConnectionStrings__Postgres:-}" ]]; then
  if ! "$ROOT/build/postgres.sh" status >/dev/null 2>&1; then
    STARTED_PG=1
  fi
  ConnectionStrings__Postgres="$("$ROOT/build/postgres.sh" start)"
  export ConnectionStrings__Postgres
  if [[ "$STARTED_PG" == 1 ]]; then
    log "embedded PostgreSQL started; it is stopped when this script exits (manual stop: build/postgres.sh stop)"
  else
    log "note: the embedded PostgreSQL was already running and is left running (stop it with: build/postgres.sh stop)"
  fi
else
  log "using ConnectionStrings__Postgres from the environment"
fi

# ---- 2./3. host settings -------------------------------------------------------
export Omct__SeedDemoData="${Omct__SeedDemoData:-true}"
# The first staff account: on an empty database the host makes this ADMIN account and logs its one-time setup link.
export Omct__Accounts__FirstAdministratorEmail="${Omct__Accounts__FirstAdministratorEmail:-admin@example.org}"

# A first admin key, so that somebody can create the real keys: kept in .local/admin-api-key
# (mode 600) and reused on the next start, unless one is given in the environment.
if [[ -z "${Omct__Security__BootstrapAdminApiKey:-}" ]]; then
  key_file="$ROOT/.local/admin-api-key"
  if [[ ! -s "$key_file" ]]; then
    mkdir -p "$ROOT/.local"
    (umask 077; head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$key_file")
    log "generated a bootstrap admin API key in $key_file"
  fi
  Omct__Security__BootstrapAdminApiKey="$(cat "$key_file")"
  export Omct__Security__BootstrapAdminApiKey
  admin_key_note="from .local/admin-api-key"
else
  admin_key_note="from Omct__Security__BootstrapAdminApiKey"
fi

# The master key that wraps the personal data keys (the host refuses to start without one): from the environment,
# else .local/master-key, made on the first run (build/master-key.sh).
# shellcheck source=master-key.sh
source "$ROOT/build/master-key.sh"
if [[ -n "${Omct__Privacy__MasterKeyFile:-}" ]]; then
  log "master key of the personal data: $Omct__Privacy__MasterKeyFile (keep a copy apart from the database's backups)"
else
  log "master key of the personal data: from Omct__Privacy__MasterKey"
fi

urls=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --urls) urls="${args[$((i + 1))]:-}" ;;
    --urls=*) urls="${args[$i]#--urls=}" ;;
  esac
done
if [[ -z "$urls" ]]; then
  # localhost (not 127.0.0.1): browsers accept passkeys (WebAuthn) on http://localhost only.
  export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://localhost:5080}"
  urls="$ASPNETCORE_URLS"
fi
# First URL, with wildcard hosts replaced by loopback, for the readiness probe.
base="${urls%%;*}"
base="$(echo "$base" | sed -E 's#://(\+|\*|0\.0\.0\.0|\[::\])(:|/|$)#://127.0.0.1\2#')"
base="${base%/}"
# Links in e-mails (invitations, the first administrator's setup link) point here unless set.
export Omct__Accounts__PublicUrl="${Omct__Accounts__PublicUrl:-$base}"
# Outside Development the sign-in cookies are HTTPS-only; a host reached over plain HTTP on this
# machine (the default here) may send them without Secure. Never on a public address: the host
# refuses the setting unless PublicUrl is loopback.
if [[ "$base" =~ ^http://(localhost|127\.0\.0\.1|\[::1\])(:|/|$) ]]; then
  export Omct__Accounts__AllowPlainHttpOnLoopback="${Omct__Accounts__AllowPlainHttpOnLoopback:-true}"
fi

# ---- 4. web assets --------------------------------------------------------------
if ! "$ROOT/build/web-assets.sh"; then
  log "warning: GraphiQL assets could not be installed (npm?); the API works, the /graphql IDE page may not"
fi
if ! "$ROOT/build/console.sh"; then
  log "warning: the staff console could not be built (npm? see above); the API works, /console says it is not built"
fi

# ---- 5. build and run -----------------------------------------------------------
log "building the host (Release)"
dotnet build "$PROJECT" -c Release --nologo -v quiet -clp:ErrorsOnly
DLL="$(dotnet msbuild "$PROJECT" -getProperty:TargetPath -p:Configuration=Release)"
[[ -f "$DLL" ]] || die "built assembly not found: $DLL"

log "starting the host on $urls (Ctrl-C to stop)"
# From the project directory so that the content root holds appsettings*.json
# and wwwroot/ (as with `dotnet run`). Started in the background so that the
# traps above can stop it.
(cd "$PROJECT_DIR" && exec dotnet "$DLL" "$@") &
HOST_PID=$!

# ---- 6. readiness banner --------------------------------------------------------
if command -v curl >/dev/null 2>&1; then
  (
    deadline=$((SECONDS + READY_TIMEOUT_S))
    while ((SECONDS < deadline)); do
      kill -0 "$HOST_PID" 2>/dev/null || exit 0
      code="$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$base/health/ready" || true)"
      if [[ "$code" == 200 ]]; then
        {
          echo
          echo "============================================================"
          echo " OMCT platform is ready"
          echo "   GraphQL API + GraphiQL IDE: $base/graphql"
          echo "   staff console:              $base/console/"
          echo "   health:                     $base/health/ready"
          echo "   admin API key (X-Api-Key):  $Omct__Security__BootstrapAdminApiKey ($admin_key_note)"
          if [[ "$STARTED_PG" == 1 ]]; then
            echo "   PostgreSQL (embedded):      stopped with the host on Ctrl-C"
          else
            echo "   PostgreSQL:                 ${ConnectionStrings__Postgres%%;Username*} (left running; build/postgres.sh stop)"
          fi
          echo "============================================================"
          echo
        } >&2
        exit 0
      fi
      sleep 1
    done
    echo "run: warning: $base/health/ready did not answer 200 within ${READY_TIMEOUT_S}s" >&2
  ) &
  POLL_PID=$!
else
  log "curl not found: not waiting for readiness; GraphQL will be at $base/graphql"
fi

# Wait for the host; a trapped signal interrupts `wait` and runs the trap.
set +e
wait "$HOST_PID"
EXIT_CODE=$?
set -e
HOST_PID=""
log "host exited with code $EXIT_CODE"
exit "$EXIT_CODE"
