#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds ripple and runs its main job on the bundled example
# monorepo (examples/shop): the service graph, `affected` after a scripted change on a branch,
# `images` (each image's content tag, and which the change must rebuild; a CI matrix of them),
# `docker prune` (one service's minimal build context), then `run build test --affected` twice
# (the first writing a JUnit file and a Chrome trace, the second entirely from the local cache), in a
# throwaway git repository under build/demo-shop; then two CI runners sharing a remote cache
# (nginx WebDAV on loopback: runner B, a fresh clone, restores every task runner A uploaded);
# then, on examples/zero (a compose file, a .env, Dockerfiles and an npm workspace, no ripple
# configuration), what inference finds and what a .env variable, a shared proto directory and a
# workspace package affect (build/demo-zero).
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

step "ripple images   (every image with its content tag; build = the change must rebuild it)"
"$ripple" images

step "ripple images --format github-matrix   (one CI job per image to build; also skaffold, compose, kustomize, helm, argocd)"
"$ripple" images --format github-matrix

step "ripple docker prune checkout --out build/demo-prune   (checkout's minimal build context: json/ then full/)"
rm -rf ../demo-prune
"$ripple" docker prune checkout --out ../demo-prune
echo "json/: $(cd ../demo-prune/json && find . -type f | sort | tr '\n' ' ')"

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

step "ripple run build test --affected --junit --profile   (first run: the affected services' tasks, and the builds they need)"
run build test --affected --junit ../demo-junit.xml --profile ../demo-trace.json
echo "wrote build/demo-junit.xml ($(grep -c '<testcase' ../demo-junit.xml) test cases) and" \
  "build/demo-trace.json (a Chrome trace: load it in Perfetto or chrome://tracing)"

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

step "a remote cache shared by CI runners: nginx WebDAV on 127.0.0.1 (Bazel's HTTP cache protocol)"
# The server a team would run (docs/remote-cache.md), here on a free loopback port.
dav="$(dirname "$demo")/demo-cache"
rm -rf "$dav" && mkdir -p "$dav/data" "$dav/tmp"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat > "$dav/nginx.conf" <<CONF
daemon off; master_process off; worker_processes 1; pid $dav/nginx.pid; error_log $dav/error.log;
events { worker_connections 64; }
http {
  access_log off; client_body_temp_path $dav/tmp; client_max_body_size 64m;
  server { listen 127.0.0.1:$port; root $dav/data;
           location / { dav_methods PUT; create_full_put_path on; } }
}
CONF
/usr/sbin/nginx -p "$dav" -c "$dav/nginx.conf" -e "$dav/error.log" &
nginx_pid=$!
trap 'kill "$nginx_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
git checkout -q .
sed -i "s|^  dir: .ripple/cache\$|&\n  remote: { url: \"http://127.0.0.1:$port/shop\" }|" ripple.yaml
git commit -q -am "ci: share the cache between runners"
echo "cache: { remote: { url: http://127.0.0.1:$port/shop } }   (added to ripple.yaml)"
for runner in a b; do
  rm -rf "$(dirname "$demo")/demo-runner-$runner"
  git clone -q "$demo" "$(dirname "$demo")/demo-runner-$runner"
done
echo "runner A, a fresh clone: builds and tests everything, uploading as it goes"
(cd "$(dirname "$demo")/demo-runner-a" && run build test --all)
echo "runner B, another fresh clone with an empty local cache: every task from the remote"
(cd "$(dirname "$demo")/demo-runner-b" && run build test --all)
if diff -r -x .ripple -x .git "$(dirname "$demo")/demo-runner-a" "$(dirname "$demo")/demo-runner-b" >/dev/null; then
  echo "runner B's work tree (build outputs included) is byte-identical to runner A's"
else
  echo "runner B's outputs differ from runner A's" >&2
  exit 1
fi
kill "$nginx_pid" && wait "$nginx_pid" 2>/dev/null || true
cd "$demo"

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

step "ripple images   (no image: in any config: each Compose build is an image, named by its image:)"
"$ripple" images

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
