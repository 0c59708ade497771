#!/usr/bin/env bash
# The sanitizer passes of the test suite, run by .ci/run after scripts/test.sh (the plain suite);
# README.md (Testing) says how long each takes:
#   1. AddressSanitizer + UndefinedBehaviorSanitizer: every unit and e2e test, in build-asan/
#      (the e2e tests drive an ASan build of the binary).
#   2. ThreadSanitizer: the unit tests of the threaded parts (scheduler, stat cache, parallel scans,
#      the listing thread, the process runner's reader threads, the store writer), in build-tsan/;
#      suppressions, for oneTBB's internals only, in scripts/tsan.supp.
# Any finding stops the process that made it (-fno-sanitize-recover=all, halt_on_error), so it
# fails its test. Prints how long each pass took. Usage: scripts/sanitize.sh [asan|tsan]...
set -euo pipefail
cd "$(dirname "$0")/.."

jobs="${RIPPLE_JOBS:-$(nproc)}"
passes=("$@")
if ((${#passes[@]} == 0)); then passes=(asan tsan); fi

# Compile flags, chosen by compile time (a heavy e2e test file cold, GCC 12: plain -O2 -g 20 s;
# ASan+UBSan at -O2 -g 101 s, -O1 -g1 53 s, -Og -g1 23 s, -O0 -g1 16 s; TSan at -O1 -g1 16 s).
# -g1 keeps the line tables a report's stack needs and drops the rest of the debug information.
configure() {  # build dir, sanitizers, optimization
  cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRIPPLE_WERROR=ON \
    -DRIPPLE_SANITIZE="$2" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$3 -g1 -DNDEBUG" >/dev/null
}

timed() {  # what, command...: runs the command, says how long it took, returns its status
  local what="$1" start status=0
  shift
  start=$(date +%s)
  if "$@"; then status=0; else status=$?; fi
  echo "sanitize: $what took $(( $(date +%s) - start )) s" >&2
  return "$status"
}

# A fresh machine: GCC's sanitizer runtimes (libasan8, libubsan1, libtsan2) come with g++ from
# build-essential, which scripts/setup.sh installs. Each pass first builds and runs a tiny program,
# so a missing runtime, or a kernel whose address-space randomization GCC 12's runtimes cannot map
# around (vm.mmap_rnd_bits above 28: "unexpected memory mapping"), is one clear message; in the
# second case the pass runs without randomization (setarch -R), as the runtime needs.
norandom=()
probe() {  # sanitizers
  local dir
  dir=$(mktemp -d)
  printf 'int main() { return 0; }\n' >"$dir/probe.cc"
  if ! c++ -fsanitize="$1" "$dir/probe.cc" -o "$dir/probe" 2>"$dir/err"; then
    cat "$dir/err" >&2
    echo "sanitize: c++ cannot build with -fsanitize=$1; run scripts/setup.sh (build-essential" \
      "brings gcc's libasan8, libubsan1 and libtsan2)" >&2
    exit 1
  fi
  norandom=()
  if ! "$dir/probe" 2>"$dir/err"; then
    if setarch "$(uname -m)" -R "$dir/probe"; then
      echo "sanitize: -fsanitize=$1 needs address-space randomization off here; running the" \
        "pass under setarch -R" >&2
      norandom=(setarch "$(uname -m)" -R)
    else
      cat "$dir/err" >&2
      echo "sanitize: a -fsanitize=$1 program does not start on this machine" >&2
      exit 1
    fi
  fi
  rm -rf "$dir"
}

asan() {
  probe address,undefined
  configure build-asan address,undefined -O0
  timed "asan build" "${norandom[@]}" ninja -C build-asan -j "$jobs"
  # detect_leaks: a leak fails the process at exit like any other finding. Every report is also
  # written to a file under build-asan/reports: an e2e test that expects ripple to fail may not
  # tell a sanitizer's exit from ripple's own, so any file there fails the pass.
  local reports="$PWD/build-asan/reports" status=0
  rm -rf "$reports"
  mkdir -p "$reports"
  ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1:log_path="$reports/asan":log_to_syslog=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path="$reports/ubsan" \
    timed "asan tests" "${norandom[@]}" ctest --test-dir build-asan --output-on-failure \
      --timeout 600 --no-tests=error -j "$jobs" || status=$?
  if compgen -G "$reports/*" >/dev/null; then
    for f in "$reports"/*; do
      echo "sanitize: report $f:" >&2
      cat "$f" >&2
    done
    echo "sanitize: the asan pass wrote the reports above" >&2
    status=1
  fi
  return "$status"
}

tsan() {
  probe thread
  configure build-tsan thread -O1
  timed "tsan build" "${norandom[@]}" ninja -C build-tsan -j "$jobs" tests/orchestrator_tests tests/cache_tests
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions="$PWD/scripts/tsan.supp" \
    timed "tsan tests" "${norandom[@]}" ctest --test-dir build-tsan --output-on-failure --timeout 600 --no-tests=error -j "$jobs" \
      -R '^(orchestrator_tests|cache_tests):'
}

for pass in "${passes[@]}"; do
  case "$pass" in
    asan | tsan) ;;
    *) echo "sanitize: unknown pass '$pass' (asan or tsan)" >&2; exit 2 ;;
  esac
  start=$(date +%s)
  "$pass"
  echo "sanitize: $pass pass took $(( $(date +%s) - start )) s" >&2
done
