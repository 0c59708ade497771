#!/usr/bin/env bash
# Checks that this machine has every tool the test suite runs, and fails naming the Debian
# package of each one missing. Run by scripts/test.sh (after scripts/setup.sh, which installs them
# all) so that a tool somebody installed by hand cannot hide a missing install step: a test must
# never pass, or skip, because its tool is absent.
set -euo pipefail
# (ps is not here: no test reads ps's output any more, a process's state comes from /proc.)

# tool  Debian package  (what uses it)
tools=(
  "git git"                  # every e2e test: repositories made with the git command line
  "make build-essential"     # tasks of examples/shop
  "watchman watchman"        # fsmonitor tests start a private service
  "dot graphviz"             # graph --format dot is rendered
  "setpriv util-linux"       # ripple run as another user (hash tests)
  "setsid util-linux"        # a task that leaves its process group
  "tmux tmux"                # the live status line, read off a real terminal
  "mount mount"              # a tiny tmpfs for restores onto a full disk
  "umount mount"
  "timeout coreutils"        # commands that must not hang
  "mkfifo coreutils"         # a FIFO in the workspace is never opened
  "sha256sum coreutils"
  "xargs findutils"
  "nginx nginx"              # the remote cache tests start a WebDAV server
  "openssl openssl"          # its basic-auth password file
  "buildah buildah"          # the image tests build real images (FROM scratch, offline)
  "kubectl kubernetes-client"  # `kubectl kustomize` renders what `ripple images --write` wrote
  "node nodejs"              # runs turborepo-remote-cache, a Turborepo remote cache the tests start
  "npm npm"                  # installs it (scripts/setup.sh)
)

missing=()
for entry in "${tools[@]}"; do
  read -r tool package <<<"$entry"
  if ! command -v "$tool" >/dev/null 2>&1; then
    missing+=("$tool (Debian package $package)")
  fi
done

# Not a Debian package: the npm package scripts/setup.sh installs from its lockfile.
server="$(cd "$(dirname "$0")/.." && pwd)/tests/servers/turborepo-remote-cache"
if [[ ! -f "$server/node_modules/turborepo-remote-cache/dist/cli.js" ]]; then
  missing+=("turborepo-remote-cache (npm ci in tests/servers/turborepo-remote-cache)")
fi

if ((${#missing[@]})); then
  for m in "${missing[@]}"; do
    echo "preflight: the tests need ${m}; scripts/setup.sh installs it" >&2
  done
  exit 1
fi

# The suite mounts a tmpfs and runs ripple as another user: CI runs it as root.
if [[ $(id -u) -ne 0 ]]; then
  echo "preflight: the tests run as root (they mount a tmpfs and run ripple as user nobody)" >&2
  exit 1
fi
echo "preflight: every tool the tests use is here" >&2
