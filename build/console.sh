#!/usr/bin/env bash
# build/console.sh — build the staff console (host/console: React + TypeScript + Vite) into the files the host
# serves at /console.
#
#   build/console.sh                    # fast when nothing changed (hash of the inputs)
#   OMCT_CONSOLE_FORCE=1 build/console.sh
#
# Steps:
#   1. skip everything when the inputs (host/console sources, package-lock.json, schema.graphql) hash to the
#      value of the last successful build and its output is in place
#   2. npm ci, only when package-lock.json changed since the last install
#   3. npm run build: GraphQL Code Generator (types from schema.graphql into src/gql/, and the persisted-documents
#      manifest), tsc --noEmit (strict), vite build into host/console/dist/
#   4. .br and .gz siblings of the assets (the host serves them to browsers that accept them)
#   5. host/Omct.Platform.Host/wwwroot/console/ (git-ignored) := dist/ + persisted-documents.json (which the host
#      registers as trusted persisted operations at start-up, and never serves)
# Exit status is non-zero when npm is missing or a step fails (a type error fails the build).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP="$ROOT/host/console"
OUT="$ROOT/host/Omct.Platform.Host/wwwroot/console"
STAMP="$OUT/.omct-build-inputs"
LOCK_STAMP="$APP/node_modules/.omct-lock-sha256"

log() { echo "console: $*" >&2; }

command -v npm >/dev/null 2>&1 || { log "npm not found: install Node.js 20+ with npm (e.g. apt-get install -y nodejs npm)"; exit 1; }

inputs_hash() {
  (
    cd "$ROOT"
    {
      git ls-files -co --exclude-standard -- host/console 2>/dev/null || find host/console -type f -not -path '*/node_modules/*' -not -path '*/dist/*'
      echo schema.graphql
      echo build/console.sh
    } | grep -v -e '^host/console/src/gql/' -e '^host/console/dist/' -e '/node_modules/' | LC_ALL=C sort -u |
      while IFS= read -r f; do [[ -f "$f" ]] && { echo "$f"; sha256sum <"$f"; }; done
  ) | sha256sum | cut -d' ' -f1
}

hash="$(inputs_hash)"
if [[ "${OMCT_CONSOLE_FORCE:-0}" != 1 && -f "$STAMP" && "$(cat "$STAMP")" == "$hash" \
      && -f "$OUT/index.html" && -f "$OUT/persisted-documents.json" ]]; then
  log "up to date (${OUT#"$ROOT"/})"
  exit 0
fi

cd "$APP"
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ ! -f "$LOCK_STAMP" || "$(cat "$LOCK_STAMP")" != "$lock_hash" ]]; then
  log "npm ci in host/console"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$lock_hash" >"$LOCK_STAMP"
fi

log "codegen + typecheck + vite build"
npm run --silent build >&2

log "compressing assets"
node --input-type=module -e '
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
const dir = "dist/assets";
for (const name of readdirSync(dir)) {
  if (!/\.(js|css|svg|json|txt|map)$/.test(name)) continue;
  const data = readFileSync(`${dir}/${name}`);
  writeFileSync(`${dir}/${name}.gz`, gzipSync(data, { level: 9 }));
  writeFileSync(`${dir}/${name}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
}'

cp src/gql/persisted-documents.json dist/persisted-documents.json
tmp="$OUT.tmp.$$"
rm -rf "$tmp"
mkdir -p "$(dirname "$OUT")"
cp -R dist "$tmp"
echo "$hash" >"$tmp/.omct-build-inputs"
rm -rf "$OUT"
mv "$tmp" "$OUT"
log "built into ${OUT#"$ROOT"/} ($(find "$OUT/assets" -name '*.js' | wc -l) scripts, $(grep -c '"sha256:' "$OUT/persisted-documents.json") persisted operations)"
