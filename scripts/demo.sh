#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds ripple and runs its main job on the bundled example
# monorepo (examples/shop): the service graph in each format.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh >/dev/null
ripple="$PWD/build/ripple"
shop="$PWD/examples/shop"

echo "== ripple graph (services in dependency order, with their direct deps)"
"$ripple" -C "$shop" graph
echo
echo "== ripple graph --format json (first service)"
"$ripple" -C "$shop" graph --format json | head -n 24
echo "  ..."
echo
echo "== ripple graph --format dot | dot -Tsvg > build/shop-graph.svg"
"$ripple" -C "$shop" graph --format dot | dot -Tsvg > build/shop-graph.svg
echo "wrote build/shop-graph.svg ($(wc -c < build/shop-graph.svg) bytes)"
