#!/usr/bin/env bash
# Remote cache (issue 14): runner B — a fresh clone with an empty local cache — against a warm
# remote, side by side: ripple with nginx (WebDAV, Bazel's HTTP cache protocol) against Turborepo
# with turborepo-remote-cache (its own API, local storage), on the same generated repository and
# the same tasks: every build copies its source into dist/ (one output and a log per task).
# Also runner A's first build with uploads against the same build with the local cache only.
#
#   benchmarks/bench_remote.sh [DIR]     # default /tmp/ripple-bench; N from SIZES ("1000 5000")
#
# Knobs: RIPPLE (default build/ripple), RUNS (5), SIZES. Needs hyperfine, nginx and
# benchmarks/install_peers.sh (turbo, turborepo-remote-cache). Servers listen on 127.0.0.1 only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/.." && pwd)"
dir="${1:-/tmp/ripple-bench}"
runs="${RUNS:-5}"
sizes="${SIZES:-1000 5000}"
ripple="${RIPPLE:-$repo_root/build/ripple}"
[[ "$ripple" = /* ]] || ripple="$repo_root/$ripple"
turbo="$here/.peers/node_modules/@turbo/linux-64/bin/turbo"
trc="$here/.peers/node_modules/.bin/turborepo-remote-cache"
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1 DO_NOT_TRACK=1
for tool in "$turbo" "$trc"; do
  [[ -x "$tool" ]] || { echo "bench_remote: run benchmarks/install_peers.sh first" >&2; exit 3; }
done

work="$dir/remote"
rm -rf "$work" && mkdir -p "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# nginx with WebDAV on 127.0.0.1:18391, storing in $work/nginx/data.
mkdir -p "$work/nginx/data" "$work/nginx/tmp"
cat >"$work/nginx/nginx.conf" <<EOF
daemon off; master_process off; worker_processes 1;
error_log $work/nginx/error.log; pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off; client_body_temp_path $work/nginx/tmp;
  server { listen 127.0.0.1:18391; root $work/nginx/data; client_max_body_size 1g;
    location / { dav_methods PUT; create_full_put_path on; dav_access user:rw group:r all:r; } }
}
EOF
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
pids+=($!)
# turborepo-remote-cache on 127.0.0.1:18392, local storage in $work/trc.
HOST=127.0.0.1 PORT=18392 TURBO_TOKEN=bench STORAGE_PROVIDER=local STORAGE_PATH="$work/trc" \
  STORAGE_PATH_USE_TMP_FOLDER=false LOG_LEVEL=warn ENABLE_STATUS_LOG=false "$trc" \
  >"$work/trc.log" 2>&1 &
pids+=($!)
for i in $(seq 100); do
  curl -s -o /dev/null http://127.0.0.1:18391/ && curl -s -o /dev/null http://127.0.0.1:18392/ &&
    break
  sleep 0.1
done
export TURBO_API=http://127.0.0.1:18392 TURBO_TOKEN=bench TURBO_TEAM=bench

for n in $sizes; do
  [[ -d "$dir/mono-$n/.git" ]] || python3 "$here/gen_monorepo.py" "$dir/mono-$n" --services "$n"
  # The source repository of both runners: builds that write one output, and the remote named.
  src="$work/src-$n"
  git clone -q "$dir/mono-$n" "$src"
  (
    cd "$src"
    sed -i 's|run: "true"|run: "mkdir -p dist \&\& cp src/index.js dist/index.js"|' ripple.yaml
    printf 'cache:\n  remote: { url: "http://127.0.0.1:18391/ripple-%s", max_connections: 16 }\n' \
      "$n" >>ripple.yaml
    find packages -name package.json -exec sed -i \
      's|"build": "true"|"build": "mkdir -p dist \&\& cp src/index.js dist/index.js"|' {} +
    git -c user.name=b -c user.email=b@b commit -qam "builds write dist/index.js; remote cache"
  )
  echo "== N=$n: runner A, first build (uploads), -j 2"
  a="$work/a-$n"
  git clone -q "$src" "$a"
  (cd "$a" && /usr/bin/time -f "   ripple with uploads: %e s, %M KB" \
    "$ripple" run build --all -j 2 2>&1 | tail -n 2)
  git clone -q "$src" "$a-local"
  (cd "$a-local" && /usr/bin/time -f "   ripple local only:   %e s, %M KB" \
    "$ripple" run build --all -j 2 --cache local 2>&1 | tail -n 1)
  (cd "$a" && /usr/bin/time -f "   turbo with uploads:  %e s, %M KB" \
    "$turbo" run build --concurrency=2 2>&1 | tail -n 1)

  echo "== N=$n: runner B, a fresh clone with an empty local cache, warm remote (-j 2)"
  b="$work/b-$n"
  prepare="rm -rf $b && git clone -q $src $b"
  hyperfine -N --runs "$runs" --prepare "bash -c '$prepare'" --command-name ripple \
    "bash -c 'cd $b && exec $ripple run build --all -j 2'" 2>&1 | grep -E "Time|Range"
  hyperfine -N --runs "$runs" --prepare "bash -c '$prepare'" --command-name turbo \
    "bash -c 'cd $b && exec $turbo run build --concurrency=2'" 2>&1 | grep -E "Time|Range"
  bash -c "$prepare"
  (cd "$b" && "$ripple" run build --all -j 2 2>&1 | tail -n 2 | sed 's/^/   /')
  git -C "$b" status --porcelain --ignored | grep -c 'dist/' | sed 's/^/   ripple restored dist dirs: /'
  echo "== N=$n: peak RSS (KB), runner B"
  bash -c "$prepare"
  printf '   ripple %s\n' "$(cd "$b" && /usr/bin/time -f %M "$ripple" run build --all -j 2 2>&1 >/dev/null | tail -1)"
  bash -c "$prepare"
  printf '   turbo  %s\n' "$(cd "$b" && /usr/bin/time -f %M "$turbo" run build --concurrency=2 2>&1 >/dev/null | tail -1)"
  bash -c "$prepare"
  (cd "$b" && "$turbo" run build --concurrency=2 2>&1 | grep -E "Cached|Tasks" | sed 's/^/   /')
done
