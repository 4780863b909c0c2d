#!/usr/bin/env bash
# Command 2, the whole suite: setup (idempotent), lint, type check, then every Jest project
# (unit, workflow on the time-skipping server, integration on the Temporal dev server,
# FerretDB and Chromium). Jest's global setup starts the servers on free ports and stops them;
# if Jest is killed instead, the trap below stops whatever it left.
set -euo pipefail
cd "$(dirname "$0")/.."

stop_leftovers() {
  local pids=test-artifacts/servers.pids
  [ -f "$pids" ] || return 0
  while read -r pid; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done < "$pids"
  rm -f "$pids"
}
trap stop_leftovers EXIT

bash scripts/setup.sh
echo "== lint";       npx eslint .
echo "== typecheck";  npx tsc --noEmit -p tsconfig.json
echo "== tests";      npx jest --ci "$@"
