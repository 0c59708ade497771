#!/usr/bin/env bash
# Configures and builds ripple (and its tests) into build/. Warnings are errors when CI is set.
set -euo pipefail
cd "$(dirname "$0")/.."

werror=OFF
if [[ -n "${CI:-}" ]]; then werror=ON; fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRIPPLE_WERROR="$werror" >/dev/null
ninja -C build -j "${RIPPLE_JOBS:-$(nproc)}"
