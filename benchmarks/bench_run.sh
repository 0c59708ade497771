#!/usr/bin/env bash
# Fully cached `run` (issue 4): `ripple run build --all` against `turbo run build` and
# `nx run-many -t build` on a copy of the generated N=1000 repository (every build is `true`,
# outputs dist/**), each after one populating run; plus ripple's own cost per task on N=5000.
#
#   benchmarks/bench_run.sh [DIR]     # default /tmp/ripple-bench (repositories from bench_affected.sh)
#
# Knobs: RIPPLE (default build/ripple), RUNS (10). Needs hyperfine and benchmarks/install_peers.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/.." && pwd)"
dir="${1:-/tmp/ripple-bench}"
runs="${RUNS:-10}"
ripple="${RIPPLE:-$repo_root/build/ripple}"
[[ "$ripple" = /* ]] || ripple="$repo_root/$ripple"
turbo="$here/.peers/node_modules/@turbo/linux-64/bin/turbo"
nx="$here/.peers/node_modules/.bin/nx"
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1 DO_NOT_TRACK=1
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

for n in 1000 5000; do
  [[ -d "$dir/mono-$n/.git" ]] || python3 "$here/gen_monorepo.py" "$dir/mono-$n" --services "$n"
done
work="$dir/run-1000"
rm -rf "$work" && cp -r "$dir/mono-1000" "$work"
cd "$work"
# A copy has new inodes and times: let git refresh its index, as any checkout in use has it
# (otherwise every tool re-reads all 22,000 files on its first runs).
git status >/dev/null

echo "== populate (one full run each; not timed)"
"$ripple" run build --all -j 2 2>&1 | tail -n 1
[[ -x "$turbo" ]] && "$turbo" run build --concurrency=2 >/dev/null 2>&1
# Nx runs each build through npm (a node start-up per task): bounded, so a stuck Nx cannot hang
# the benchmark; its timings are left out when it did not finish.
nx_ok=0
if [[ -x "$nx" ]]; then
  if timeout "${NX_POPULATE_TIMEOUT:-1800}" "$nx" run-many -t build --parallel=2 >/dev/null 2>&1; then
    nx_ok=1
  else
    echo "   nx: populating run did not finish within ${NX_POPULATE_TIMEOUT:-1800} s; not timed"
  fi
fi

echo "== fully cached, N=1000"
hyperfine -N --warmup 2 --runs "$runs" --command-name ripple "$ripple run build --all -j 2" \
  2>&1 | grep -E "Time|Range"
[[ -x "$turbo" ]] && hyperfine -N --warmup 1 --runs "$runs" --command-name turbo \
  "$turbo run build --concurrency=2" 2>&1 | grep -E "Time|Range"
[[ $nx_ok = 1 ]] && hyperfine -N --warmup 1 --runs 3 --command-name nx \
  "$nx run-many -t build --parallel=2" 2>&1 | grep -E "Time|Range"
echo "== peak RSS (KB), fully cached"
printf '  ripple %s\n' "$(/usr/bin/time -f %M "$ripple" run build --all 2>&1 >/dev/null | tail -1)"
[[ -x "$turbo" ]] && printf '  turbo  %s\n' \
  "$(/usr/bin/time -f %M "$turbo" run build --concurrency=2 2>&1 >/dev/null | tail -1)"
[[ $nx_ok = 1 ]] && printf '  nx     %s\n' \
  "$(/usr/bin/time -f %M "$nx" run-many -t build --parallel=2 2>&1 >/dev/null | tail -1)"

echo "== ripple's own cost per task: 5,000 no-op tasks (run: true) on mono-5000, --cache off, -j 1"
cd "$dir/mono-5000"
"$ripple" run build --all --cache off -j 1 2>&1 | tail -n 1
echo "   (compare: 5,000 x 'sh -c true' alone)"
/usr/bin/time -f "   %e s" sh -c 'i=0; while [ $i -lt 5000 ]; do /bin/sh -c true; i=$((i+1)); done'
