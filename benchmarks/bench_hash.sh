#!/usr/bin/env bash
# Input hashing benchmark (issue 5): `ripple hash` on the generated N=5000 repository (about
# 110,000 files) — on a fresh clone, after touching 10 files, and warm — beside the floor
# (`git ls-files -s`, reading the index) and Turborepo's dry run (which hashes every package).
#
#   benchmarks/bench_hash.sh [DIR]        # repositories under DIR (default /tmp/ripple-bench)
#
# Knobs: RIPPLE (default build/ripple), N (5000), RUNS (10). Needs hyperfine (apt-get install
# hyperfine) and, for the Turborepo row, benchmarks/install_peers.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/.." && pwd)"
dir="${1:-/tmp/ripple-bench}"
n="${N:-5000}"
runs="${RUNS:-10}"
ripple="${RIPPLE:-$repo_root/build/ripple}"
[[ "$ripple" = /* ]] || ripple="$repo_root/$ripple"
command -v hyperfine >/dev/null || { echo "bench_hash: needs hyperfine" >&2; exit 2; }

src="$dir/mono-$n"
if [[ ! -d "$src/.git" ]]; then
  python3 "$here/gen_monorepo.py" "$src" --services "$n" --files 20 --seed 1 --change 5
fi
clone="$dir/hash-clone-$n"
export GIT_CONFIG_NOSYSTEM=1

echo "== ripple hash, fresh clone (new clone before every run; clone time not counted)"
prep="$dir/hash-prepare.sh"
# `sync` waits for the kernel to write the clone's 110,000 new files back: without it, that
# writeback runs during the measured command, on the same two cores, and adds hundreds of ms at
# random to single runs.
printf '#!/bin/sh\nrm -rf %s && git clone -q --no-local %s %s && sync\n' "$clone" "$src" "$clone" > "$prep"
chmod +x "$prep"
hyperfine -N --runs "$runs" \
  --prepare "$prep" \
  --command-name "fresh clone" "$ripple -C $clone hash" 2>&1 | grep -E "Time|Range|Error"

echo "== ripple hash --no-uncommitted, fresh clone (ids from the index; the CI mode)"
hyperfine -N --runs "$runs" \
  --prepare "$prep" \
  --command-name "fresh clone, --no-uncommitted" "$ripple -C $clone hash --no-uncommitted" \
  2>&1 | grep -E "Time|Range|Error"

echo "== floor on the same fresh clones: git ls-files -s"
hyperfine -N --runs "$runs" --prepare "$prep" \
  --command-name "git ls-files -s, fresh clone" "git -C $clone ls-files -s" \
  2>&1 | grep -E "Time|Range|Error"

echo "== reads on a fresh clone (RIPPLE_TIMING, --files sources)"
rm -rf "$clone" && git clone -q --no-local "$src" "$clone"
"$ripple" -C "$clone" hash --files --format json | python3 -c '
import json,sys,collections
d=json.load(sys.stdin); c=collections.Counter(f["source"] for s in d["services"] for f in s["files"])
print("  file id sources:", dict(c))'

echo "== ripple hash after touching 10 files (first run reads them)"
touch_files() {
  local f
  for f in $(git -C "$clone" ls-files -- 'packages/*/src/*' | sed -n '1,10p'); do
    echo "// touched" >> "$clone/$f"
  done
}
touch_files
hyperfine -N --runs 1 --command-name "10 dirty files, first run" "$ripple -C $clone hash" 2>&1 | grep -E "Time"
sleep 2.2
"$ripple" -C "$clone" hash >/dev/null  # files now older than the racy window: remembered
hyperfine -N --warmup 1 --runs "$runs" --command-name "warm stat cache" "$ripple -C $clone hash" 2>&1 | grep -E "Time|Range"
if command -v watchman >/dev/null; then
  echo "== ripple hash, warm, with fsmonitor: watchman (docs/cli.md)"
  hyperfine -N --warmup 2 --runs "$runs" --command-name "warm, watchman" \
    "env RIPPLE_FSMONITOR=watchman $ripple -C $clone hash" 2>&1 | grep -E "Time|Range"
fi

echo "== for the default mode: git status (lstat of every tracked file and a listing of every"
echo "   directory, as ripple hash does without --no-uncommitted; index refreshed, no untracked cache)"
git -C "$clone" status --porcelain >/dev/null
hyperfine -N --warmup 2 --runs "$runs" --command-name "git status" \
  "git -C $clone -c core.untrackedCache=false -c core.fsmonitor=false status --porcelain" \
  2>&1 | grep -E "Time|Range"

echo "== the system-call floor of that check (benchmarks/syscall_floor.cc, $(nproc) threads):"
echo "   lstat of every tracked file, then a listing of every directory, nothing else"
floor_bin="$dir/syscall_floor"
g++ -O2 -std=c++20 -pthread -o "$floor_bin" "$here/syscall_floor.cc"
(cd "$clone" && for _ in 1 2 3; do git ls-files -z | "$floor_bin" stat "$(nproc)"; done)
(cd "$clone" && for _ in 1 2 3; do
  find . -path ./.git -prune -o -path ./.ripple -prune -o -type d -print0 | "$floor_bin" list "$(nproc)"
done)

echo "== floor: git ls-files -s (warm)"
hyperfine -N --warmup 2 --runs "$runs" --command-name "git ls-files -s" \
  "git -C $clone ls-files -s" 2>&1 | grep -E "Time|Range"

turbo="$here/.peers/node_modules/@turbo/linux-64/bin/turbo"
if [[ -x "$turbo" ]]; then
  echo "== Turborepo: turbo run build --dry=json (hashes every package)"
  (cd "$src" && TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1 DO_NOT_TRACK=1 \
    hyperfine -N --warmup 1 --runs "$runs" --command-name "turbo dry run" \
    "$turbo run build --dry=json" 2>&1 | grep -E "Time|Range")
else
  echo "== Turborepo row skipped: run benchmarks/install_peers.sh"
fi

echo "== peak RSS (KB)"
for c in "$ripple -C $clone hash" "git -C $clone ls-files -s"; do
  printf '  %-60s %s\n' "$c" "$(/usr/bin/time -f %M $c 2>&1 >/dev/null | tail -1)"
done
if [[ -x "$turbo" ]]; then
  printf '  %-60s %s\n' "turbo run build --dry=json" \
    "$(cd "$src" && /usr/bin/time -f %M "$turbo" run build --dry=json 2>&1 >/dev/null | tail -1)"
fi
rm -rf "$clone"
