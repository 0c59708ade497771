#!/usr/bin/env bash
# Issue 13 §5, the allocator: ripple's huge-page heap (orchestrator/platform/huge_page_heap.h)
# against plain glibc malloc, jemalloc and oneTBB's tbbmalloc, side by side in one hyperfine
# invocation per command, on a clone of the N=5000 repository.
#
#   benchmarks/bench_alloc.sh [DIR]      # DIR as for bench_affected.sh (default /tmp/ripple-bench)
#
# The libraries are preloaded into the same binary with the heap turned off
# (RIPPLE_HUGE_PAGES=0: it would otherwise grow glibc's heap through sbrk under another
# allocator). jemalloc runs with MALLOC_CONF as it would be compiled in (JEMALLOC_CONF below).
# Needs hyperfine, /usr/bin/time, libjemalloc2 and libtbbmalloc2 (Debian).
#
# MODE=interleave runs the same comparisons through interleave.py instead of hyperfine.
#
# Knobs: RIPPLE (default build/ripple), RUNS (20), RSS_RUNS (5), CLONE (DIR/alloc-clone-5000,
# made once with git clone --no-local; a copy of the binary goes to DIR/.bin-alloc),
# VARIANTS (names below), JEMALLOC_CONF.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/.." && pwd)"
dir="${1:-/tmp/ripple-bench}"
runs="${RUNS:-20}"
rss_runs="${RSS_RUNS:-5}"
ripple_src="${RIPPLE:-$repo_root/build/ripple}"
[[ "$ripple_src" = /* ]] || ripple_src="$repo_root/$ripple_src"
clone="${CLONE:-$dir/alloc-clone-5000}"
libdir=/usr/lib/x86_64-linux-gnu
jemalloc_conf="${JEMALLOC_CONF:-thp:always,metadata_thp:always}"
variants="${VARIANTS:-huge glibc jemalloc tbbmalloc}"

mkdir -p "$dir/.bin-alloc"
ripple="$dir/.bin-alloc/ripple"
cp "$ripple_src" "$ripple"

[[ -d "$dir/mono-5000/.git" ]] ||
  python3 "$here/gen_monorepo.py" "$dir/mono-5000" --services 5000 --files 20 --seed 1 --change 5
if [[ ! -d "$clone/.git" ]]; then
  git clone -q --no-local "$dir/mono-5000" "$clone"
  git -C "$clone" status >/dev/null  # a clone in use has a refreshed index
fi

# The environment of each variant, as `env` arguments.
variant_env() {
  case "$1" in
    huge) echo "RIPPLE_HUGE_PAGES=1" ;;
    glibc) echo "RIPPLE_HUGE_PAGES=0" ;;
    jemalloc)
      echo "RIPPLE_HUGE_PAGES=0 LD_PRELOAD=$libdir/libjemalloc.so.2 MALLOC_CONF=$jemalloc_conf" ;;
    jemalloc-default) echo "RIPPLE_HUGE_PAGES=0 LD_PRELOAD=$libdir/libjemalloc.so.2" ;;
    tbbmalloc) echo "RIPPLE_HUGE_PAGES=0 LD_PRELOAD=$libdir/libtbbmalloc_proxy.so.2" ;;
    tbbmalloc-huge)
      echo "RIPPLE_HUGE_PAGES=0 TBB_MALLOC_USE_HUGE_PAGES=1 LD_PRELOAD=$libdir/libtbbmalloc_proxy.so.2"
      ;;
    *) echo "bench_alloc: unknown variant $1" >&2; exit 2 ;;
  esac
}

# compare TITLE PREPARE ARGS...: one hyperfine over every variant, then peak RSS and page faults.
compare() {
  local title="$1" prepare="$2"
  shift 2
  local -a cmds=()
  local v
  for v in $variants; do
    cmds+=(--command-name "$v" "env $(variant_env "$v") $ripple -C $clone $*")
  done
  echo "== $title: ripple $*"
  if [[ -n "$prepare" ]]; then
    hyperfine -N --runs "$runs" --prepare "$prepare" "${cmds[@]}" 2>&1 |
      grep -E "^Benchmark|Time|Range|±|faster"
  else
    hyperfine -N --warmup 3 --runs "$runs" "${cmds[@]}" 2>&1 |
      grep -E "^Benchmark|Time|Range|±|faster"
  fi
  echo "   peak RSS KiB / minor page faults (median of $rss_runs):"
  for v in $variants; do
    local -a rss=() faults=()
    local i out
    for ((i = 0; i < rss_runs; i++)); do
      [[ -n "$prepare" ]] && sh -c "$prepare"
      # shellcheck disable=SC2046
      out=$(env $(variant_env "$v") /usr/bin/time -f "%M %R" "$ripple" -C "$clone" "$@" \
        2>&1 >/dev/null | tail -1)
      rss+=("${out% *}")
      faults+=("${out#* }")
    done
    printf '   %-18s %s / %s\n' "$v" \
      "$(printf '%s\n' "${rss[@]}" | sort -n | sed -n "$(((rss_runs + 1) / 2))p")" \
      "$(printf '%s\n' "${faults[@]}" | sort -n | sed -n "$(((rss_runs + 1) / 2))p")"
  done
}

# interleaved TITLE PREPARE ARGS...: the same variants through interleave.py (rounds, rotating
# order, per-round ratios to the first variant): what a loaded machine disturbs least.
interleaved() {
  local title="$1" prepare="$2"
  shift 2
  local -a cmds=()
  local v
  for v in $variants; do
    cmds+=("$v=$(variant_env "$v") $ripple -C $clone $*")
  done
  echo "== $title, interleaved: ripple $*"
  python3 "$here/interleave.py" --runs "$runs" --prepare "$prepare" "${cmds[@]}"
}

if [[ "${MODE:-hyperfine}" == interleave ]]; then
  echo "== load: $(uptime)"
  interleaved "warm affected" "" affected --base origin/main
  interleaved "hash --no-uncommitted, no .ripple state" "rm -rf $clone/.ripple" \
    hash --no-uncommitted
  interleaved "warm hash" "" hash
  "$ripple" -C "$clone" run build --all -j 2 2>&1 | tail -n 1
  interleaved "fully cached run" "" run build --all -j 2
  echo "== load: $(uptime)"
  exit 0
fi

echo "== load: $(uptime)"
echo "== check: every variant gives the same answer"
ref=""
for v in $variants; do
  # shellcheck disable=SC2046
  sum=$(env $(variant_env "$v") "$ripple" -C "$clone" hash --format json | md5sum | cut -c1-32)
  echo "   $v hash md5 $sum"
  [[ -z "$ref" || "$ref" == "$sum" ]] || { echo "bench_alloc: answers differ" >&2; exit 1; }
  ref="$sum"
done

compare "warm affected" "" affected --base origin/main
compare "hash --no-uncommitted, no .ripple state (as on a fresh clone)" "rm -rf $clone/.ripple" \
  hash --no-uncommitted
compare "warm hash" "" hash
echo "== populate the cache (not timed)"
"$ripple" -C "$clone" run build --all -j 2 2>&1 | tail -n 1
compare "fully cached run" "" run build --all -j 2
echo "== load: $(uptime)"
