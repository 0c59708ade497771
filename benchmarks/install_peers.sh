#!/usr/bin/env bash
# Install the peer tools (Turborepo, Nx) that bench_affected.sh compares ripple with.
# Pinned versions, installed from the npm registry into benchmarks/.peers/ (git-ignored).
# Idempotent: does nothing when the pinned versions are already there.
set -euo pipefail

TURBO_VERSION="${TURBO_VERSION:-2.11.11}"
NX_VERSION="${NX_VERSION:-24.0.6}"
# The open-source Turborepo remote cache server, for bench_remote.sh (needs node >= 20).
TRC_VERSION="${TRC_VERSION:-2.12.0}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="$here/.peers"

installed_version() { # $1 = package name
  local pj="$prefix/node_modules/$1/package.json"
  [[ -f "$pj" ]] && node -p "require('$pj').version" 2>/dev/null || true
}

if ! command -v npm >/dev/null 2>&1; then
  echo "install_peers: npm not found (apt-get install nodejs npm)" >&2
  exit 3
fi

if [[ "$(installed_version turbo)" == "$TURBO_VERSION" && "$(installed_version nx)" == "$NX_VERSION" \
      && "$(installed_version turborepo-remote-cache)" == "$TRC_VERSION" \
      && -x "$prefix/node_modules/.bin/turbo" && -x "$prefix/node_modules/.bin/nx" ]]; then
  echo "install_peers: turbo@$TURBO_VERSION nx@$NX_VERSION turborepo-remote-cache@$TRC_VERSION" \
       "already in $prefix"
  exit 0
fi

mkdir -p "$prefix"
# A package.json of its own keeps npm from walking up into an enclosing workspace.
[[ -f "$prefix/package.json" ]] || echo '{ "name": "ripple-bench-peers", "private": true }' > "$prefix/package.json"
npm install --prefix "$prefix" --no-audit --no-fund --save-exact \
  "turbo@$TURBO_VERSION" "nx@$NX_VERSION" "turborepo-remote-cache@$TRC_VERSION"

echo "install_peers: turbo $("$prefix/node_modules/.bin/turbo" --version 2>/dev/null | tail -n1)," \
     "nx $(installed_version nx) in $prefix"
