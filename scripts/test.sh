#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds ripple and runs the whole test suite through CTest.
# A test that hangs fails after 300 s; a build that finds no tests fails too.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/preflight.sh
bash scripts/build.sh
cd build
ctest --output-on-failure --timeout 300 --no-tests=error -j "${RIPPLE_JOBS:-$(nproc)}"
