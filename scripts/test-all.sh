#!/usr/bin/env bash
# The whole suite: setup (idempotent), lint, type check, then every Jest project. Jest's global
# setup starts FerretDB and the Temporal dev server on free ports and stops them afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== lint";       npx eslint .
echo "== typecheck";  npx tsc --noEmit -p tsconfig.json
echo "== tests";      npx jest --ci "$@"
