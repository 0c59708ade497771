#!/usr/bin/env bash
# Images (issue 16): image selection with registry checks on the generated repository.
#
#   benchmarks/bench_images.sh [DIR]     # default /tmp/ripple-bench; uses DIR/mono-N (gen_monorepo.py)
#
# Takes a copy of DIR/mono-$N (N from SIZE, default 5000), gives every EVERY-th service an
# `image:` and a Dockerfile (10% with the default EVERY=10) in one commit, starts Debian's
# docker-registry on 127.0.0.1, and times with hyperfine:
#   - `ripple images --base origin/main` (the images, their content tags, which the change
#     rebuilds: the commit that adds the images edits ripple.yaml, so every one of them);
#   - `ripple images --check-registry` (one HEAD per image; the registry is empty, so every
#     answer is a 404: the same round trip a present tag costs);
#   - the registry check alone for 200 images (a copy where 200 services have images).
# Knobs: RIPPLE (default build/ripple), RUNS (10), SIZE, EVERY. Listens on 127.0.0.1 only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo_root="$(cd "$here/.." && pwd)"
dir="${1:-/tmp/ripple-bench}"
runs="${RUNS:-10}"
size="${SIZE:-5000}"
every="${EVERY:-10}"
ripple="${RIPPLE:-$repo_root/build/ripple}"
[[ "$ripple" = /* ]] || ripple="$repo_root/$ripple"
[[ -d "$dir/mono-$size" ]] || {
  echo "bench_images: generate $dir/mono-$size first (benchmarks/gen_monorepo.py --services $size)" >&2
  exit 3
}
command -v docker-registry >/dev/null || { echo "bench_images: scripts/setup.sh installs docker-registry" >&2; exit 3; }

work="$dir/images"
rm -rf "$work" && mkdir -p "$work/registry"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat >"$work/registry/config.yml" <<CONF
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $work/registry/data } }
http: { addr: 127.0.0.1:$port }
CONF
docker-registry serve "$work/registry/config.yml" >"$work/registry/log" 2>&1 &
registry_pid=$!
trap 'kill "$registry_pid" 2>/dev/null || true' EXIT
for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done

# A copy of the generated repository where every $2-th service (or the first $3) has an image.
with_images() {
  local copy="$1" step="$2" limit="$3"
  git clone -q "$dir/mono-$size" "$copy"
  (
    cd "$copy"
    sed -i "/^tasks:/i images: { registry: \"127.0.0.1:$port/bench\" }" ripple.yaml
    local i=0 n=0
    for svc in packages/*/; do
      if ((i % step == 0 && n < limit)); then
        printf 'image: {}\n' >>"$svc/service.yaml"
        printf 'FROM scratch\nCOPY src /src\n' >"$svc/Dockerfile"
        n=$((n + 1))
      fi
      i=$((i + 1))
    done
    git add -A && git commit -q -m "images for $n services"
    "$ripple" images --base origin/main >/dev/null 2>&1  # warm: the stat cache and snapshots
    echo "$n"
  )
}

n_images="$(with_images "$work/repo" "$every" 1000000000 | tail -1)"
n_200="$(with_images "$work/repo200" $((size / 200 > 0 ? size / 200 : 1)) 200 | tail -1)"
echo "bench_images: N=$size, $n_images images; second copy: $n_200 images; registry 127.0.0.1:$port" >&2

cd "$work/repo"
hyperfine -N --warmup 2 --runs "$runs" \
  -n "images ($n_images of $size)" "$ripple images --base origin/main" \
  -n "images --check-registry ($n_images of $size)" "$ripple images --check-registry --base origin/main"
cd "$work/repo200"
hyperfine -N --warmup 2 --runs "$runs" \
  -n "images ($n_200 of $size)" "$ripple images --base origin/main" \
  -n "images --check-registry ($n_200 of $size)" "$ripple images --check-registry --base origin/main"
