#!/usr/bin/env bash
# The sanitizer passes of the test suite, beside scripts/test.sh (the plain suite); not yet called
# by .ci/run, until a complete timed run shows both fit its 90 minutes:
#   1. AddressSanitizer + UndefinedBehaviorSanitizer: every unit and e2e test, in build-asan/
#      (the e2e tests drive an ASan build of the binary).
#   2. ThreadSanitizer: the unit tests of the threaded parts (scheduler, stat cache, parallel scans,
#      the listing thread, the process runner's reader threads), in build-tsan/.
# Any finding stops the process that made it (-fno-sanitize-recover=all, halt_on_error), so it
# fails its test. Prints how long each pass took. Usage: scripts/sanitize.sh [asan|tsan]...
set -euo pipefail
cd "$(dirname "$0")/.."

jobs="${RIPPLE_JOBS:-$(nproc)}"
passes=("$@")
if ((${#passes[@]} == 0)); then passes=(asan tsan); fi

configure() {  # build dir, sanitizers
  cmake -S . -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRIPPLE_WERROR=ON \
    -DRIPPLE_SANITIZE="$2" >/dev/null
}

asan() {
  configure build-asan address,undefined
  ninja -C build-asan -j "$jobs"
  # detect_leaks: a leak fails the process at exit like any other finding.
  ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure --timeout 600 --no-tests=error -j "$jobs"
}

tsan() {
  configure build-tsan thread
  ninja -C build-tsan -j "$jobs" tests/orchestrator_tests tests/cache_tests
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    ctest --test-dir build-tsan --output-on-failure --timeout 600 --no-tests=error -j "$jobs" \
      -R '^(orchestrator_tests|cache_tests):'
}

for pass in "${passes[@]}"; do
  start=$(date +%s)
  case "$pass" in
    asan) asan ;;
    tsan) tsan ;;
    *) echo "sanitize: unknown pass '$pass' (asan or tsan)" >&2; exit 2 ;;
  esac
  echo "sanitize: $pass pass took $(( $(date +%s) - start )) s" >&2
done
