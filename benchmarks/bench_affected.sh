#!/usr/bin/env bash
# One command: generate the benchmark monorepos, time `affected` in ripple, Turborepo and Nx,
# check that their affected sets agree with each other and with the generator, print a table.
#
#   benchmarks/bench_affected.sh [DIR]        # repositories go to DIR (default /tmp/ripple-bench)
#
# Environment knobs (defaults): RIPPLE=build/ripple (relative to the repo root, or a command on
# PATH), SIZES="1000 5000", FILES=20, SEED=1, CHANGE=5, RUNS=10, WARMUP=2, RSS_RUNS=3,
# TOOLS="ripple turbo nx", TIMER=hyperfine|python. Extra arguments go to bench_affected.py
# (e.g. --regenerate). Exit status: 0 when every measured tool agrees, 1 otherwise.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${BENCH_DIR:-/tmp/ripple-bench}"
if [[ $# -gt 0 && "$1" != -* ]]; then dir="$1"; shift; fi

# Peer tools, pinned (idempotent).
"$here/install_peers.sh" >&2

# hyperfine and GNU time from Debian when missing and we are root; otherwise fall back quietly
# (a Python timing loop; no RSS column).
apt_install() {
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "bench_affected: installing $* with apt-get" >&2
    { apt-get install -y -qq "$@" || { apt-get update -qq && apt-get install -y -qq "$@"; }; } \
      >/dev/null 2>&1 || echo "bench_affected: could not install $*" >&2
  fi
}
command -v hyperfine >/dev/null 2>&1 || apt_install hyperfine
[[ -x /usr/bin/time ]] || apt_install time
command -v hyperfine >/dev/null 2>&1 || echo "bench_affected: no hyperfine; timing with a Python loop" >&2
[[ -x /usr/bin/time ]] || echo "bench_affected: no /usr/bin/time; peak RSS not measured" >&2

exec python3 "$here/bench_affected.py" --dir "$dir" "$@"
