#!/usr/bin/env bash
# Command 1: installs what is missing, builds, and runs the whole system on its embedded default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent build
exec node dist/scripts/up.js
