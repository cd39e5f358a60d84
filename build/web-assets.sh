#!/usr/bin/env bash
# build/web-assets.sh — install the build-time web packages (build/web) and
# copy the GraphiQL IDE into the host's static files.
#
#   build/web-assets.sh          # idempotent; fast when nothing changed
#   OMCT_WEB_FORCE=1 build/web-assets.sh   # force a fresh `npm ci`
#
# Result:
#   build/web/node_modules/                    (graphql-http for the audit, graphiql, react, smtp-server and mailparser for the digest delivery tests,
#                                               playwright-core for the GraphiQL browser test: Debian's chromium, no browser download,
#                                               oidc-provider for the OpenID Connect sign-in tests,
#                                               s3rver: the S3-compatible server of the files S3 tests)
#   host/Omct.Platform.Host/wwwroot/graphiql/  (git-ignored)
#       index.html  graphiql-init.js  graphiql.min.js  graphiql.min.css
#       react.production.min.js  react-dom.production.min.js
#
# Exit status is non-zero when npm is missing or the install fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WEB="$ROOT/build/web"
NM="$WEB/node_modules"
DEST="$ROOT/host/Omct.Platform.Host/wwwroot/graphiql"
STAMP="$NM/.omct-installed"   # written after a successful install

log() { echo "web-assets: $*" >&2; }

# source file in node_modules -> name in wwwroot/graphiql
ASSETS=(
  "graphiql/graphiql.min.js:graphiql.min.js"
  "graphiql/graphiql.min.css:graphiql.min.css"
  "react/umd/react.production.min.js:react.production.min.js"
  "react-dom/umd/react-dom.production.min.js:react-dom.production.min.js"
)

assets_present() {
  local a
  for a in "${ASSETS[@]}"; do
    [[ -f "$NM/${a%%:*}" ]] || return 1
  done
  [[ -f "$NM/graphql-http/package.json" && -f "$NM/smtp-server/package.json" && -f "$NM/mailparser/package.json" \
     && -f "$NM/playwright-core/package.json" && -f "$NM/oidc-provider/package.json" && -f "$NM/s3rver/package.json" ]]
}

# Is the install up to date? (stamp newer than package.json / package-lock.json)
install_is_fresh() {
  [[ "${OMCT_WEB_FORCE:-0}" != 1 ]] || return 1
  [[ -f "$STAMP" && -f "$WEB/package-lock.json" ]] || return 1
  [[ "$STAMP" -nt "$WEB/package-lock.json" && "$STAMP" -nt "$WEB/package.json" ]] || return 1
  assets_present
}

if ! install_is_fresh; then
  if ! command -v npm >/dev/null 2>&1; then
    log "npm not found: install Node.js 18+ with npm (e.g. apt-get install -y nodejs npm)"
    exit 1
  fi
  cd "$WEB"
  npm_flags=(--no-audit --no-fund --loglevel=error)
  if [[ -f package-lock.json ]]; then
    log "npm ci in build/web"
    npm ci "${npm_flags[@]}" >&2
  else
    log "no package-lock.json: npm install in build/web (commit the generated lock file)"
    npm install "${npm_flags[@]}" >&2
  fi
  if ! assets_present; then
    log "installed packages lack an expected file:"
    for a in "${ASSETS[@]}"; do [[ -f "$NM/${a%%:*}" ]] || log "  missing node_modules/${a%%:*}"; done
    exit 1
  fi
  touch "$STAMP"
fi

# Copy only what changed (cmp), so repeated runs do not touch the host's files
# and do not trigger needless rebuilds/reloads.
mkdir -p "$DEST"
copy_if_changed() { # src dst
  if ! cmp -s "$1" "$2"; then
    cp "$1" "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
  fi
}
for a in "${ASSETS[@]}"; do
  copy_if_changed "$NM/${a%%:*}" "$DEST/${a##*:}"
done
copy_if_changed "$WEB/graphiql.html" "$DEST/index.html"
copy_if_changed "$WEB/graphiql-init.js" "$DEST/graphiql-init.js"

log "GraphiQL assets ready in ${DEST#"$ROOT"/}"
