#!/usr/bin/env python3
"""Generate a synthetic JS-style monorepo for benchmarking `affected` against Turborepo and Nx.

The repository is laid out so that ripple, Turborepo and Nx all read the same service graph:

  ripple.yaml, turbo.json, nx.json, package.json (npm workspaces), package-lock.json,
  packages/svc-NNNNN/{service.yaml, package.json, src/*.js}

Git history: one base commit on `main` with everything, then a branch `feature` that edits one
source file in each of K services. The expected affected set (changed services plus all their
transitive dependents) is written to <target>/.bench/expected-affected.txt (git-ignored).

Deterministic: the same arguments give the same files and the same commit ids.
Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

SCOPE = "@bench"
PKG_VERSION = "1.0.0"
ROOT_NAME = "bench-monorepo"
DEFAULT_NPM_VERSION = "10.9.0"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    # Keep the user's and the system's git config out of it (signing, hooks, autocrlf...).
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
}
BASE_DATE = "2024-01-01T00:00:00+0000"
FEATURE_DATE = "2024-01-02T00:00:00+0000"


def svc_name(i: int) -> str:
    return f"svc-{i:05d}"


def build_graph(n: int, rng: random.Random) -> list[list[int]]:
    """deps[i] = sorted indices (< i) that service i depends on.

    Each service depends on 0-4 services with a lower index. A few low-index services are
    fan-in hubs ("shared libraries"): a dependency slot picks a hub with probability 0.3.
    """
    hubs = list(range(min(n, max(3, n // 200))))
    deps: list[list[int]] = []
    for i in range(n):
        if i == 0:
            deps.append([])
            continue
        want = rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4))
        chosen: set[int] = set()
        for _ in range(want):
            candidates = [h for h in hubs if h < i]
            if candidates and rng.random() < 0.3:
                chosen.add(rng.choice(candidates))
            else:
                chosen.add(rng.randrange(i))
        deps.append(sorted(chosen))
    return deps


def transitive_dependents(deps: list[list[int]], seeds: list[int]) -> set[int]:
    rdeps: list[list[int]] = [[] for _ in deps]
    for i, ds in enumerate(deps):
        for d in ds:
            rdeps[d].append(i)
    seen = set(seeds)
    queue = deque(seeds)
    while queue:
        cur = queue.popleft()
        for r in rdeps[cur]:
            if r not in seen:
                seen.add(r)
                queue.append(r)
    return seen


def detect_npm_version() -> str:
    try:
        out = subprocess.run(["npm", "--version"], capture_output=True, text=True, timeout=60)
        v = out.stdout.strip().splitlines()[-1].strip() if out.stdout.strip() else ""
        if out.returncode == 0 and v and v[0].isdigit():
            return v
    except (OSError, subprocess.SubprocessError):
        pass
    return DEFAULT_NPM_VERSION


def write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def dumps(obj) -> str:
    return json.dumps(obj, indent=2) + "\n"


def source_file(name: str, idx: int, dep_names: list[str]) -> str:
    lines = [f"// {name} module {idx}"]
    if idx == 0:
        for d in dep_names:
            ident = d.replace("-", "_")
            lines.append(f'import * as {ident} from "{SCOPE}/{d}";')
        lines.append(f'export const name = "{name}";')
        lines.append(f"export const deps = [{', '.join(repr(d) for d in dep_names)}];")
    else:
        lines.append(f"export function f{idx}(x) {{")
        lines.append(f"  return x * {idx + 1} + {len(name)};")
        lines.append("}")
    return "\n".join(lines) + "\n"


def src_filename(idx: int) -> str:
    return "index.js" if idx == 0 else f"mod_{idx:03d}.js"


def git(target: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ)
    env.update(GIT_ENV)
    if date:
        env["GIT_AUTHOR_DATE"] = date
        env["GIT_COMMITTER_DATE"] = date
    res = subprocess.run(["git", *args], cwd=target, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"gen_monorepo: git {' '.join(args)} failed:\n{res.stderr}")
    return res.stdout


def generate(args: argparse.Namespace) -> None:
    t0 = time.monotonic()
    target = Path(args.target).resolve()
    n, files, k = args.services, args.files, min(args.change, args.services)
    if n < 1 or files < 1 or k < 0:
        sys.exit("gen_monorepo: --services and --files must be >= 1, --change >= 0")

    if target.exists() and any(target.iterdir()):
        if not args.force:
            sys.exit(f"gen_monorepo: {target} is not empty (use --force to replace it)")
        shutil.rmtree(target)
    target.mkdir(parents=True, exist_ok=True)

    rng = random.Random(args.seed)
    deps = build_graph(n, rng)
    names = [svc_name(i) for i in range(n)]
    npm_version = args.npm_version or detect_npm_version()

    # ---- root files -------------------------------------------------------------------------
    write(target / ".gitignore",
          "# benchmark bookkeeping and tool state: never part of a change\n"
          ".bench/\nnode_modules/\n.nx/\n.turbo/\n.ripple/\ndist/\n")
    write(target / "ripple.yaml",
          "version: 1\n"
          "base: main\n"
          "services: [packages/*]\n"
          "tasks:\n"
          '  build: { run: "true", deps: ["^build"], outputs: ["dist/**"] }\n')
    write(target / "package.json", dumps({
        "name": ROOT_NAME,
        "version": "0.0.0",
        "private": True,
        "workspaces": ["packages/*"],
        "packageManager": f"npm@{npm_version}",
    }))
    write(target / "turbo.json", dumps({
        "$schema": "https://turborepo.com/schema.json",
        "tasks": {"build": {"dependsOn": ["^build"], "outputs": ["dist/**"]}},
    }))
    write(target / "nx.json", dumps({
        "$schema": "./node_modules/nx/schemas/nx-schema.json",
        "defaultBase": "main",
        "neverConnectToCloud": True,
        "targetDefaults": {
            "build": {"dependsOn": ["^build"], "outputs": ["{projectRoot}/dist"], "cache": True},
        },
    }))

    # ---- lockfile (npm lockfileVersion 3, what `npm install --package-lock-only` writes) -----
    lock_pkgs: dict[str, dict] = {
        "": {"name": ROOT_NAME, "version": "0.0.0", "workspaces": ["packages/*"]},
    }
    for name in names:  # npm sorts keys: node_modules/... before packages/...
        lock_pkgs[f"node_modules/{SCOPE}/{name}"] = {"resolved": f"packages/{name}", "link": True}
    for i, name in enumerate(names):
        entry: dict = {"name": f"{SCOPE}/{name}", "version": PKG_VERSION}
        if deps[i]:
            entry["dependencies"] = {f"{SCOPE}/{names[d]}": "*" for d in deps[i]}
        lock_pkgs[f"packages/{name}"] = entry
    write(target / "package-lock.json", dumps({
        "name": ROOT_NAME,
        "version": "0.0.0",
        "lockfileVersion": 3,
        "requires": True,
        "packages": lock_pkgs,
    }))

    # ---- services ---------------------------------------------------------------------------
    pkgs = target / "packages"
    pkgs.mkdir()
    for i, name in enumerate(names):
        d = pkgs / name
        src = d / "src"
        src.mkdir(parents=True)
        dep_names = [names[x] for x in deps[i]]
        write(d / "service.yaml",
              f"name: {name}\ndeps: [{', '.join(dep_names)}]\n")
        pj: dict = {
            "name": f"{SCOPE}/{name}",
            "version": PKG_VERSION,
            "private": True,
            "main": "src/index.js",
            "scripts": {"build": "true", "test": "true"},
        }
        if dep_names:
            pj["dependencies"] = {f"{SCOPE}/{x}": "*" for x in dep_names}
        write(d / "package.json", dumps(pj))
        for f in range(files):
            write(src / src_filename(f), source_file(name, f, dep_names))

    t_files = time.monotonic()

    # ---- git history ------------------------------------------------------------------------
    git(target, "init", "-q", "-b", "main")
    git(target, "config", "core.autocrlf", "false")
    git(target, "config", "commit.gpgsign", "false")
    git(target, "config", "gc.auto", "0")
    git(target, "add", "-A")
    git(target, "commit", "-q", "--no-verify", "-m", "base", date=BASE_DATE)
    git(target, "checkout", "-q", "-b", "feature")

    changed = sorted(rng.sample(range(n), k))
    for i in changed:
        f = rng.randrange(files)
        p = pkgs / names[i] / "src" / src_filename(f)
        with open(p, "a", encoding="utf-8", newline="\n") as fh:
            fh.write(f"// changed on feature (seed {args.seed})\n")
    if changed:
        git(target, "add", "-A")
        git(target, "commit", "-q", "--no-verify", "-m", f"feature: touch {k} services",
            date=FEATURE_DATE)

    affected = sorted(names[i] for i in transitive_dependents(deps, changed))
    bench = target / ".bench"
    bench.mkdir()
    write(bench / "changed.txt", "".join(names[i] + "\n" for i in changed))
    write(bench / "expected-affected.txt", "".join(a + "\n" for a in affected))
    params = {"services": n, "files": files, "seed": args.seed, "change": k,
              "npm_version": npm_version, "generator_version": 1}
    write(bench / "params.json", dumps(params))

    edges = sum(len(x) for x in deps)
    print(f"gen_monorepo: {target}: {n} services, {n * (files + 2) + 6} files, {edges} edges, "
          f"files {t_files - t0:.1f}s, git {time.monotonic() - t_files:.1f}s")
    print(f"changed ({len(changed)}): {' '.join(names[i] for i in changed)}")
    print(f"expected affected: {len(affected)} services -> {bench / 'expected-affected.txt'}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("target", help="directory to generate into")
    ap.add_argument("--services", type=int, default=1000, help="number of services (default 1000)")
    ap.add_argument("--files", type=int, default=20, help="source files per service (default 20)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--change", type=int, default=5,
                    help="services changed on the feature branch (default 5)")
    ap.add_argument("--npm-version", default=None,
                    help="version for packageManager (default: the installed npm's)")
    ap.add_argument("--force", action="store_true", help="replace a non-empty target")
    generate(ap.parse_args(argv))


if __name__ == "__main__":
    main()
