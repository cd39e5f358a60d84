#!/usr/bin/env bash
# build/import.sh — import a CSV, XLSX, JSON or NDJSON file into the platform, through its API, with a progress bar.
#
#   build/import.sh FILE --mapping NAME [--dry-run] [--url URL] [--api-key KEY] [--errors PATH] [--poll-ms N]
#
#   FILE             .csv, .xlsx, .json, .ndjson or .jsonl
#   --mapping NAME   a saved column mapping (the console's import screen, or saveImportMapping)
#   --dry-run        check every row and report what would be created or changed; write nothing
#   --url URL        the platform (default: $OMCT_URL, else http://localhost:5080 as build/run.sh serves it)
#   --api-key KEY    an API key of STAFF or above (default: $OMCT_API_KEY, else .local/admin-api-key
#                    that build/run.sh writes on a machine where it runs the platform)
#   --errors PATH    where to save the error report (CSV: line, column, message); default FILE.errors.csv
#
# It uploads the file (tus, resumed after a dropped connection), makes it an import file, starts the run and follows
# it: rows done of the total, errors, rows per second and time left. Ctrl-C cancels the run after the row it is on.
# Exit status: 0 every row imported (or, dry, importable); 1 some rows refused (see the errors); 2 the run failed
# or was cancelled; 3 nothing started (arguments, file, API key, mapping, platform unreachable).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJECT_DIR="$ROOT/build/import/Omct.Platform.ImportTool"
TOOL="$PROJECT_DIR/bin/Release/net10.0/omct-import.dll"

if [[ -z "${OMCT_API_KEY:-}" && -f "$ROOT/.local/admin-api-key" ]]; then
  OMCT_API_KEY="$(cat "$ROOT/.local/admin-api-key")"
  export OMCT_API_KEY
fi

# Built like the rest of the solution (Release); an up-to-date build is only checked.
if ! build_log="$(dotnet build "$PROJECT_DIR/Omct.Platform.ImportTool.csproj" -c Release -nologo -v quiet 2>&1)"; then
  echo "import: the import tool did not build:" >&2
  echo "$build_log" >&2
  exit 3
fi

exec dotnet "$TOOL" "$@"
