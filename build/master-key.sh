# shellcheck shell=bash
# build/master-key.sh — sourced (with ROOT set) by build/run.sh, the bench and the operations scripts: gives the host
# the master key that wraps the personal data keys (Omct:Privacy, see README "Privacy at rest") when none is configured.
# Unless Omct__Privacy__MasterKey or Omct__Privacy__MasterKeyFile is set, exports
# Omct__Privacy__MasterKeyFile=$ROOT/.local/master-key, made on first use (32 random bytes in base64, mode 600) and
# reused afterwards. Not in the database: a dump or a backup of it reads nothing personal without this file, and the
# database cannot be read without it either — keep a copy apart from the database's backups.
if [[ -z "${Omct__Privacy__MasterKey:-}" && -z "${Omct__Privacy__MasterKeyFile:-}" ]]; then
  Omct__Privacy__MasterKeyFile="$ROOT/.local/master-key"
  if [[ ! -s "$Omct__Privacy__MasterKeyFile" ]]; then
    mkdir -p "$ROOT/.local"
    (umask 077; head -c 32 /dev/urandom | base64 > "$Omct__Privacy__MasterKeyFile.tmp" && mv "$Omct__Privacy__MasterKeyFile.tmp" "$Omct__Privacy__MasterKeyFile")
    echo "master key: generated the master key of the personal data in $Omct__Privacy__MasterKeyFile (mode 600);" \
      "keep a copy apart from the database's backups: without it the personal data cannot be read" >&2
  fi
  export Omct__Privacy__MasterKeyFile
fi
