#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds ripple and runs its main job on the bundled example
# monorepo (examples/shop): the service graph, `affected` after a scripted change on a branch,
# then `run build test --affected` twice (the second run entirely from the local cache), in a
# throwaway git repository under build/demo-shop; then, on examples/zero (a compose file, a .env,
# Dockerfiles and an npm workspace, no ripple configuration), what inference finds and what a
# .env variable, a shared proto directory and a workspace package affect (build/demo-zero).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh >/dev/null
ripple="$PWD/build/ripple"
demo="$PWD/build/demo-shop"

rm -rf "$demo"
cp -r examples/shop "$demo"
cd "$demo"
export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.com
export GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.com
git init -q -b main
git add -A
git commit -q -m "shop: initial import"
git checkout -q -b feature/payment-refunds

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "ripple graph   (services in dependency order, with their direct deps)"
"$ripple" graph

step "change on the branch: payments (committed) + notifications (uncommitted)"
printf '\n// Refund reverses a captured payment.\nfunc Refund(id string) error { return nil }\n' \
  >> services/payments/internal/ledger/ledger.go
git commit -q -am "payments: add refunds"
printf 'Your refund is on its way.\n' > services/notifications/templates/refund_issued.txt

step "ripple affected"
"$ripple" affected

step "ripple affected --explain --files"
"$ripple" affected --explain --files

step "ripple affected --format github-matrix"
"$ripple" affected --format github-matrix

step "ripple graph --affected --format dot | dot -Tsvg > build/demo-affected.svg"
"$ripple" graph --affected --format dot | dot -Tsvg > ../demo-affected.svg
echo "wrote build/demo-affected.svg ($(wc -c < ../demo-affected.svg) bytes)"

# On a terminal, run shows its logs with a live status line under them; elsewhere (a pipe, CI)
# the grouped logs are cut down to their headers here, between run's header and footer.
run() {
  if [[ -t 2 ]]; then
    "$ripple" run "$@"
  else
    "$ripple" run "$@" 2>&1 | grep -E '^(── |ripple: )'
  fi
}

step "ripple run build test --affected   (first run: the affected services' tasks, and the builds they need)"
run build test --affected

step "ripple run build test --affected   (again: every task comes from the local cache)"
run build test --affected

step "a docs-only change affects nothing (ignore: ['**/*.md', 'docs/**'])"
git stash -q
echo "More words." >> docs/architecture.md
git commit -q -am "docs"
echo "ripple affected --base HEAD~1 --head HEAD:"
"$ripple" affected --base HEAD~1 --head HEAD
echo "(nothing)"
echo "ripple run build test --affected --base HEAD~1 --head HEAD   (nothing to do is success):"
run build test --affected --base HEAD~1 --head HEAD
echo "exit code $?"

step "zero config: examples/zero has no ripple.yaml; ripple graph --explain says what it inferred"
zero="$(dirname "$demo")/demo-zero"
rm -rf "$zero"
cp -r "$(dirname "$demo")/../examples/zero" "$zero"
cd "$zero"
git init -q -b main
git add -A
git commit -q -m "zero: initial import"
git checkout -q -b feature
"$ripple" graph --explain

step "NODE_VERSION changed in .env: only web's build uses it"
sed -i 's/NODE_VERSION=20/NODE_VERSION=22/' .env
"$ripple" affected --explain
git checkout -q .env

step "pb/payment.proto changed: the two Dockerfiles that copy pb/"
printf 'message Refund { string id = 1; }\n' >> pb/payment.proto
"$ripple" affected --explain
git checkout -q pb

step "packages/ui changed: @zero/ui and web, which depends on it in package.json"
printf 'export const link = "link";\n' >> packages/ui/index.js
"$ripple" affected --explain
