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
  # Tools the tests run (scripts/preflight.sh checks each): mostly present on any Debian, named
  # here so that a minimal image gets them too.
  util-linux mount coreutils findutils
  watchman  # the file-system monitor behind `fsmonitor: watchman` (tests start their own)
  nginx openssl  # a WebDAV remote cache the tests start on 127.0.0.1 (and its basic-auth file)
)

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
else
  echo "setup: all packages present" >&2
fi
