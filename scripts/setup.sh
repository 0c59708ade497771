#!/usr/bin/env bash
# Installs everything ripple needs to build and test, from Debian 12 packages only.
# Idempotent: packages already present are not fetched again; `apt-get update` runs once
# per invocation and only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache git
  libyaml-cpp-dev libgit2-dev librocksdb-dev libxxhash-dev libtbb-dev catch2
  libboost-filesystem-dev libcli11-dev nlohmann-json3-dev libssl-dev
  libcurl4-openssl-dev libprotobuf-dev protobuf-compiler libexpected-dev libzstd-dev
  graphviz python3 tmux procps
  libtomlplusplus-dev  # TOML for the cargo and python inference rules (Cargo.toml, pyproject.toml)
  # Tools the tests run (scripts/preflight.sh checks each): mostly present on any Debian, named
  # here so that a minimal image gets them too.
  util-linux mount coreutils findutils
  watchman  # the file-system monitor behind `fsmonitor: watchman` (tests start their own)
  nginx openssl  # a WebDAV remote cache the tests start on 127.0.0.1 (and its basic-auth file)
  # Images: a registry v2 the tests start on 127.0.0.1, a builder that needs no daemon
  # (`buildah bud --isolation chroot --storage-driver vfs`), and a reader of what was pushed.
  docker-registry buildah skopeo
)
# Node.js and npm run turborepo-remote-cache, the Turborepo remote cache the tests start (below).
# A machine that has them keeps its own (this kind of machine comes with NodeSource's node 20 and
# its npm, which Debian's npm package would conflict with); elsewhere Debian 12's: node 18, npm 9.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

# kubectl renders the kustomizations `ripple images --write` writes (tests/orchestrator/images).
# A machine with a kubectl keeps it (a cloud SDK's, say: Debian's would conflict); elsewhere
# Debian 12's kubernetes-client, whose kubectl has `kubectl kustomize`.
if ! command -v kubectl >/dev/null 2>&1; then
  packages+=(kubernetes-client)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts the nginx service it installs; the tests start their own on free ports.
  if [[ " ${missing[*]} " == *" nginx "* ]]; then
    $SUDO service nginx stop >/dev/null 2>&1 || true
  fi
  if [[ " ${missing[*]} " == *" docker-registry "* ]]; then
    $SUDO service docker-registry stop >/dev/null 2>&1 || true
  fi
else
  echo "setup: all packages present" >&2
fi

# turborepo-remote-cache from npm, at the version and with the dependencies its lockfile pins,
# into tests/servers/turborepo-remote-cache/node_modules (ignored by git). Only when the lockfile
# changed since the last install: npm ci starts from nothing every time. Its package asks for
# node >= 20; npm only warns on Debian's node 18, where the server's local-storage paths the
# tests use were checked to run (docs/remote-cache.md).
server_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/servers/turborepo-remote-cache"
installed="$server_dir/node_modules/.ripple-installed-lock.json"
if cmp -s "$server_dir/package-lock.json" "$installed"; then
  echo "setup: turborepo-remote-cache present" >&2
else
  echo "setup: installing turborepo-remote-cache (npm ci)" >&2
  (cd "$server_dir" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
  cp "$server_dir/package-lock.json" "$installed"
fi
