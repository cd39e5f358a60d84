#!/usr/bin/env bash
# build/docker-entrypoint.sh — the host image's entrypoint (build/Dockerfile).
#
# Gives the platform a first administrator: unless Omct__Security__BootstrapAdminApiKey is set,
# an admin API key is generated on the first start into $OMCT_ADMIN_KEY_FILE (default
# /var/lib/omct/admin-api-key, the `omct-admin` volume of docker-compose.yml; mode 600), printed
# once in the log, and reused on every later start. Read it again with
#   docker compose exec host cat /var/lib/omct/admin-api-key
# Then runs the given command (the image's CMD: dotnet Omct.Platform.Host.dll).
set -euo pipefail

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
