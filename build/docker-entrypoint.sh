#!/usr/bin/env bash
# build/docker-entrypoint.sh — the host image's entrypoint (build/Dockerfile).
#
# Gives the platform a first administrator: unless Omct__Security__BootstrapAdminApiKey is set,
# an admin API key is generated on the first start into $OMCT_ADMIN_KEY_FILE (default
# /var/lib/omct/admin-api-key, the `omct-admin` volume of docker-compose.yml; mode 600), printed
# once in the log, and reused on every later start. Read it again with
#   docker compose exec host cat /var/lib/omct/admin-api-key
#
# Gives the host its master key (Omct:Privacy, see README "Privacy at rest"): Omct__Privacy__MasterKey when set; else
# Omct__Privacy__MasterKeyFile when set (a Docker secret); else, when OMCT_MASTER_KEY_FILE is set (docker-compose.yml:
# /var/lib/omct/master-key), that file, generated on the first start (32 random bytes in base64, mode 600). Without
# any of them the host refuses to start and names the setting: the image alone never makes up a key.
# Then runs the given command (the image's CMD: dotnet Omct.Platform.Host.dll).
set -euo pipefail

if [[ -n "${Omct__Privacy__MasterKey:-}" ]]; then
  unset Omct__Privacy__MasterKeyFile
elif [[ -z "${Omct__Privacy__MasterKeyFile:-}" && -n "${OMCT_MASTER_KEY_FILE:-}" ]]; then
  if [[ ! -s "$OMCT_MASTER_KEY_FILE" ]]; then
    mkdir -p "$(dirname "$OMCT_MASTER_KEY_FILE")"
    (umask 077; head -c 32 /dev/urandom | base64 > "$OMCT_MASTER_KEY_FILE.tmp" && mv "$OMCT_MASTER_KEY_FILE.tmp" "$OMCT_MASTER_KEY_FILE")
    echo "omct: generated the master key of the personal data in $OMCT_MASTER_KEY_FILE: keep a copy apart from the database's backups" >&2
  fi
  unset Omct__Privacy__MasterKey
  export Omct__Privacy__MasterKeyFile="$OMCT_MASTER_KEY_FILE"
fi

key_file="${OMCT_ADMIN_KEY_FILE:-/var/lib/omct/admin-api-key}"

if [[ -z "${Omct__Security__BootstrapAdminApiKey:-}" ]]; then
  if [[ ! -s "$key_file" ]]; then
    mkdir -p "$(dirname "$key_file")"
    # 32 random bytes, base64url without padding (43 characters).
    (umask 077; head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$key_file.tmp" && mv "$key_file.tmp" "$key_file")
    echo "omct: generated the bootstrap admin API key (shown only now; kept in $key_file):" >&2
    echo "omct:   X-Api-Key: $(cat "$key_file")" >&2
  else
    echo "omct: bootstrap admin API key from $key_file" >&2
  fi
  Omct__Security__BootstrapAdminApiKey="$(cat "$key_file")"
  export Omct__Security__BootstrapAdminApiKey
fi

exec "$@"
