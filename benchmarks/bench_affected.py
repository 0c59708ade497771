#!/usr/bin/env python3
"""Time `affected` in ripple, Turborepo and Nx on the same generated monorepos.

Run through bench_affected.sh, which installs the peer tools and hyperfine first. For each size:
generate (or reuse) the repository, ask each tool for the affected set of branch `feature`
against `main`, check every set against the generator's expected-affected.txt, time warm runs
(hyperfine, or a Python loop when hyperfine is missing), measure peak RSS with /usr/bin/time,
and print one table. Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
PEERS = HERE / ".peers" / "node_modules"
SCOPE_PREFIX = "@bench/"

# Environment every tool runs with: nothing phones home, no daemon, no TUI, no update check.
COMMON_ENV = {
    "TURBO_TELEMETRY_DISABLED": "1",
    "TURBO_TELEMETRY_MESSAGE_DISABLED": "1",
    "TURBO_NO_UPDATE_NOTIFIER": "1",
    "TURBO_PRINT_VERSION_DISABLED": "1",
    "TURBO_SCM_BASE": "main",
    "TURBO_SCM_HEAD": "HEAD",
    "DO_NOT_TRACK": "1",
    "NX_DAEMON": "false",
    "NX_NO_CLOUD": "true",
    "NX_TUI": "false",
    "NO_COLOR": "1",
    "FORCE_COLOR": "0",
}


@dataclass
class Tool:
    name: str
    argv: list[str]
    parse: object  # callable(stdout: str, universe: set[str]) -> set[str]
    version: str = ""
    skip_reason: str = ""


@dataclass
class Result:
    size: int
    tool: str
    command: str = ""
    ok: bool = False
    skipped: str = ""
    error: str = ""
    median_ms: float | None = None
    mean_ms: float | None = None
    stddev_ms: float | None = None
    min_ms: float | None = None
    runs: int = 0
    rss_kb: int | None = None
    found: set[str] = field(default_factory=set)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(COMMON_ENV)
    return env


# ---- parsing each tool's answer into a set of bare service names ---------------------------

def normalise(token: str) -> str:
    token = token.strip().strip(",;:'\"")
    return token[len(SCOPE_PREFIX):] if token.startswith(SCOPE_PREFIX) else token


def names_from_json(obj, universe: set[str], out: set[str]) -> None:
    """Collect service names from any JSON shape: strings, {name|service|package: ..}, nesting."""
    if isinstance(obj, str):
        n = normalise(obj)
        if n in universe:
            out.add(n)
    elif isinstance(obj, list):
        for x in obj:
            names_from_json(x, universe, out)
    elif isinstance(obj, dict):
        picked = False
        for key in ("name", "service", "package", "project"):
            if isinstance(obj.get(key), str) and normalise(obj[key]) in universe:
                out.add(normalise(obj[key]))
                picked = True
        if picked:
            return  # do not descend into evidence (dependency chains name other services)
        for key, val in obj.items():
            if key in ("evidence", "chain", "paths", "reason", "deps", "dependencies"):
                continue
            names_from_json(val, universe, out)


def parse_lines(stdout: str, universe: set[str]) -> set[str]:
    """One service per line, name first: `svc-00001`, `@bench/svc-00001`, `svc-00001 (changed)`."""
    stripped = stdout.strip()
    if stripped[:1] in "[{":
        try:
            out: set[str] = set()
            names_from_json(json.loads(stripped), universe, out)
            return out
        except json.JSONDecodeError:
            pass
    out = set()
    for line in stdout.splitlines():
        parts = line.split()
        if parts and normalise(parts[0]) in universe:
            out.add(normalise(parts[0]))
    return out


def parse_turbo_ls(stdout: str, universe: set[str]) -> set[str]:
    data = json.loads(stdout[stdout.index("{"):])
    return {normalise(p["name"]) for p in data["packages"]["items"]}


def parse_turbo_dry(stdout: str, universe: set[str]) -> set[str]:
    # `packages` is the filtered scope; `tasks` would add the dependencies that ^build pulls in.
    data = json.loads(stdout[stdout.index("{"):])
    return {normalise(p) for p in data["packages"] if p != "//"}


# ---- tools ---------------------------------------------------------------------------------

def tool_version(argv: list[str]) -> str:
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=run_env())
        lines = [l.strip() for l in (r.stdout + r.stderr).splitlines() if l.strip()]
        for l in lines:
            m = re.search(r"v?(\d+\.\d+\.\d+\S*)", l)
            if m:
                return m.group(1)
        return lines[-1] if lines else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def snapshot(binary: Path, bench_dir: Path) -> Path:
    """Copy the binary under test aside, so a rebuild that relinks it mid-run cannot break it."""
    dest_dir = bench_dir / ".bin"
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / binary.name
    tmp = dest_dir / (binary.name + ".tmp")
    shutil.copy2(binary, tmp)
    os.replace(tmp, dest)
    return dest


def make_tools(selected: list[str], bench_dir: Path) -> list[Tool]:
    tools: list[Tool] = []
    if "ripple" in selected:
        ripple = os.environ.get("RIPPLE", "build/ripple")
        if "/" in ripple:  # a path: relative ones are taken from the repository root
            rp = Path(ripple) if Path(ripple).is_absolute() else REPO_ROOT / ripple
        else:  # a bare command name: looked up on PATH
            rp = Path(shutil.which(ripple) or ripple)
        t = Tool("ripple", [str(rp), "affected", "--base", "main"], parse_lines)
        if not (rp.is_file() and os.access(rp, os.X_OK)):
            t.skip_reason = f"no ripple binary at {rp} (build it, or set RIPPLE=/path/to/ripple)"
        else:
            r = subprocess.run([str(rp), "affected", "--help"], capture_output=True, text=True,
                               env=run_env())
            # A CLI without the subcommand may still print its top-level help and exit 0:
            # require the word `affected` in the help text too.
            if r.returncode != 0 or not re.search(r"\baffected\b", r.stdout + r.stderr):
                t.skip_reason = (f"{rp} has no `affected` command yet "
                                 f"(`ripple affected --help` exited {r.returncode}"
                                 f"{'' if r.returncode else ' without mentioning affected'})")
            else:
                snap = snapshot(rp, bench_dir)
                t.argv[0] = str(snap)
                t.version = tool_version([str(snap), "--version"])
                log(f"ripple: measuring a copy of {rp} (modified "
                    f"{datetime.fromtimestamp(rp.stat().st_mtime).strftime('%Y-%m-%d %H:%M:%S')})"
                    f" at {snap}")
        tools.append(t)
    if "ripple-fsmonitor" in selected:
        # The same binary asking watchman for the work tree's changes (docs/cli.md): the first
        # (cold) run starts the watch and scans in full; the warm-up runs leave it steady.
        base = next((x for x in tools if x.name == "ripple"), None)
        t = Tool("ripple-fsmonitor", [], parse_lines)
        if base is None or base.skip_reason:
            t.skip_reason = "needs the ripple row (TOOLS must include ripple, and it must run)"
        elif shutil.which("watchman") is None:
            t.skip_reason = "watchman is not installed (apt-get install watchman)"
        else:
            t.argv = ["env", "RIPPLE_FSMONITOR=watchman", *base.argv]
            t.version = base.version
        tools.append(t)
    if "turbo" in selected:
        # The native binary, not the npm package's node wrapper: no node start-up in the timing.
        native = PEERS / "@turbo" / "linux-64" / "bin" / "turbo"
        turbo = native if native.exists() else PEERS / ".bin" / "turbo"
        t = Tool("turbo", [], parse_turbo_ls)
        if not turbo.exists():
            t.skip_reason = f"turbo not installed in {PEERS} (run benchmarks/install_peers.sh)"
        else:
            help_ls = subprocess.run([str(turbo), "ls", "--help"], capture_output=True, text=True,
                                     env=run_env())
            if (help_ls.returncode == 0 and "--affected" in help_ls.stdout
                    and os.environ.get("TURBO_MODE", "ls") != "dry"):
                t.argv = [str(turbo), "ls", "--affected", "--output", "json"]
            else:  # Turborepo before `ls --affected`: a dry run filtered to the branch's change
                t.argv = [str(turbo), "run", "build", "--dry=json", "--filter=...[main]"]
                t.parse = parse_turbo_dry
            t.version = tool_version([str(turbo), "--version"])
        tools.append(t)
    if "nx" in selected:
        nx = PEERS / ".bin" / "nx"
        t = Tool("nx", [str(nx), "show", "projects", "--affected", "--base=main", "--head=HEAD"],
                 parse_lines)
        if not nx.exists():
            t.skip_reason = f"nx not installed in {PEERS} (run benchmarks/install_peers.sh)"
        else:
            try:
                t.version = json.loads((PEERS / "nx" / "package.json").read_text())["version"]
            except (OSError, ValueError, KeyError):
                t.version = "?"
        tools.append(t)
    return tools


# ---- repository ----------------------------------------------------------------------------

def ensure_repo(repo: Path, size: int, args: argparse.Namespace) -> None:
    want = {"services": size, "files": args.files, "seed": args.seed, "change": args.change}
    params_file = repo / ".bench" / "params.json"
    reuse = False
    if params_file.exists():
        try:
            have = json.loads(params_file.read_text())
            reuse = all(have.get(k) == v for k, v in want.items())
        except ValueError:
            reuse = False
    if reuse:
        st = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"],
                            capture_output=True, text=True)
        head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--abbrev-ref", "HEAD"],
                              capture_output=True, text=True)
        reuse = st.returncode == 0 and not st.stdout.strip() and head.stdout.strip() == "feature"
    if reuse and not args.regenerate:
        log(f"== N={size}: reusing {repo}")
    else:
        log(f"== N={size}: generating {repo}")
        subprocess.run([sys.executable, str(HERE / "gen_monorepo.py"), str(repo),
                        "--services", str(size), "--files", str(args.files),
                        "--seed", str(args.seed), "--change", str(args.change), "--force"],
                       check=True, stdout=sys.stderr)
    # Nx's CLI insists on a local installation (node_modules/nx) in the workspace: point it at
    # the pinned peer install. node_modules/ is git-ignored in the generated repository.
    nm = repo / "node_modules"
    nm.mkdir(exist_ok=True)
    link = nm / "nx"
    if link.is_symlink() or link.exists():
        if link.is_symlink() and Path(os.readlink(link)) == PEERS / "nx":
            return
        if link.is_symlink():
            link.unlink()
        else:
            shutil.rmtree(link)
    link.symlink_to(PEERS / "nx")


# ---- measuring -----------------------------------------------------------------------------

def time_hyperfine(argv: list[str], cwd: Path, name: str, warmup: int, runs: int) -> dict:
    with tempfile.TemporaryDirectory() as td:
        out = Path(td) / "hf.json"
        cmd = ["hyperfine", "--style", "basic", "--warmup", str(warmup), "--runs", str(runs),
               "-N", "--command-name", name, "--export-json", str(out), shlex.join(argv)]
        r = subprocess.run(cmd, cwd=cwd, env=run_env(), stdout=sys.stderr, stderr=sys.stderr)
        if r.returncode != 0:
            raise RuntimeError(f"hyperfine exited {r.returncode}")
        res = json.loads(out.read_text())["results"][0]
        times = res["times"]
        return {"median": res["median"] * 1e3, "mean": res["mean"] * 1e3,
                "stddev": (res.get("stddev") or 0.0) * 1e3, "min": res["min"] * 1e3,
                "runs": len(times)}


def time_loop(argv: list[str], cwd: Path, warmup: int, runs: int) -> dict:
    env = run_env()
    samples = []
    for i in range(warmup + runs):
        t0 = time.perf_counter()
        r = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        dt = (time.perf_counter() - t0) * 1e3
        if r.returncode != 0:
            raise RuntimeError(f"exited {r.returncode}")
        if i >= warmup:
            samples.append(dt)
    log(f"   {len(samples)} runs: median {statistics.median(samples):.1f} ms")
    return {"median": statistics.median(samples), "mean": statistics.mean(samples),
            "stddev": statistics.stdev(samples) if len(samples) > 1 else 0.0,
            "min": min(samples), "runs": len(samples)}


def peak_rss_kb(argv: list[str], cwd: Path, repeats: int) -> int | None:
    gnu_time = "/usr/bin/time"
    if not os.access(gnu_time, os.X_OK):
        return None
    values = []
    with tempfile.TemporaryDirectory() as td:
        out = Path(td) / "rss"
        for _ in range(repeats):
            r = subprocess.run([gnu_time, "-f", "%M", "-o", str(out), *argv], cwd=cwd,
                               env=run_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if r.returncode != 0:
                return None
            values.append(int(out.read_text().strip().splitlines()[-1]))
    return int(statistics.median(values))


def bench_size(size: int, tools: list[Tool], args: argparse.Namespace) -> list[Result]:
    repo = Path(args.dir) / f"mono-{size}"
    ensure_repo(repo, size, args)
    universe = {p.name for p in (repo / "packages").iterdir() if p.is_dir()}
    expected = set((repo / ".bench" / "expected-affected.txt").read_text().split())
    log(f"   expected affected: {len(expected)} of {len(universe)} services "
        f"(changed: {' '.join((repo / '.bench' / 'changed.txt').read_text().split())})")

    results = []
    for t in tools:
        res = Result(size, t.name, command=shlex.join(
            [t.name, *t.argv[1:]]) if t.argv else "")
        results.append(res)
        if t.skip_reason:
            res.skipped = t.skip_reason
            log(f"-- {t.name}: SKIPPED: {t.skip_reason}")
            continue
        log(f"-- {t.name} (N={size}): {res.command}")
        t0 = time.perf_counter()
        r = subprocess.run(t.argv, cwd=repo, env=run_env(), capture_output=True, text=True)
        log(f"   first (cold) run: {(time.perf_counter() - t0) * 1e3:.0f} ms, exit {r.returncode}")
        if r.returncode != 0:
            res.error = f"exit {r.returncode}: " + (r.stderr.strip() or r.stdout.strip())[-2000:]
            log(f"   FAILED: {res.error}")
            continue
        try:
            res.found = t.parse(r.stdout, universe)
        except (ValueError, KeyError, TypeError) as e:
            res.error = f"could not parse output ({e}): {r.stdout[:500]!r}"
            log(f"   FAILED: {res.error}")
            continue
        res.missing = sorted(expected - res.found)
        res.extra = sorted(res.found - expected)
        try:
            if args.timer == "hyperfine":
                tm = time_hyperfine(t.argv, repo, f"{t.name}-{size}", args.warmup, args.runs)
            else:
                tm = time_loop(t.argv, repo, args.warmup, args.runs)
        except RuntimeError as e:
            res.error = f"timing failed: {e}"
            log(f"   FAILED: {res.error}")
            continue
        res.median_ms, res.mean_ms, res.stddev_ms = tm["median"], tm["mean"], tm["stddev"]
        res.min_ms, res.runs = tm["min"], tm["runs"]
        res.rss_kb = peak_rss_kb(t.argv, repo, args.rss_runs)
        res.ok = True

    # Agreement: each tool against expected-affected.txt, and the tools pairwise.
    print(f"\n## N={size}: agreement (expected {len(expected)} services)")
    measured = [x for x in results if x.ok]
    for x in results:
        if x.skipped:
            print(f"  {x.tool:7s} skipped: {x.skipped}")
        elif not x.ok:
            print(f"  {x.tool:7s} FAILED: {x.error.splitlines()[0] if x.error else '?'}")
        elif not x.missing and not x.extra:
            print(f"  {x.tool:7s} agrees: {len(x.found)} services")
        else:
            print(f"  {x.tool:7s} DISAGREES: {len(x.found)} services; "
                  f"missing {x.missing[:20]}{' ...' if len(x.missing) > 20 else ''}; "
                  f"extra {x.extra[:20]}{' ...' if len(x.extra) > 20 else ''}")
    for i, a in enumerate(measured):
        for b in measured[i + 1:]:
            if a.found != b.found:
                print(f"  {a.tool} vs {b.tool}: only {a.tool}: {sorted(a.found - b.found)[:20]}; "
                      f"only {b.tool}: {sorted(b.found - a.found)[:20]}")
    sys.stdout.flush()
    return results


def print_table(all_results: list[Result], tools: list[Tool], args: argparse.Namespace) -> None:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print("\n## affected: warm runs, branch `feature` vs `main`")
    print(f"date {datetime.now(timezone.utc).strftime('%Y-%m-%d')}, {os.cpu_count()} cores ({cpu}), "
          f"{platform.system()} {platform.release()}, timer {args.timer} "
          f"({args.warmup} warm-up + {args.runs} runs), peak RSS = median of {args.rss_runs} "
          f"runs of /usr/bin/time %M (largest single process); load average at start "
          f"{args.load_at_start}, at end {load}")
    print("versions: " + ", ".join(f"{t.name} {t.version or '-'}" for t in tools)
          + f", node {tool_version(['node', '--version'])}")
    print()
    hdr = f"| {'N':>5} | {'tool':16} | {'median ms':>9} | {'mean ± sd ms':>15} | " \
          f"{'vs ripple':>9} | {'peak RSS MiB':>12} | {'affected':>8} | {'agrees':6} |"
    print(hdr)
    print("|" + "|".join("-" * (len(c)) for c in hdr.split("|")[1:-1]) + "|")
    for size in sorted({r.size for r in all_results}):
        rows = [r for r in all_results if r.size == size]
        base = next((r for r in rows if r.tool == "ripple" and r.ok), None)
        for r in rows:
            if not r.ok:
                why = "skipped" if r.skipped else "FAILED"
                print(f"| {size:>5} | {r.tool:16} | {why:>9} | {'':>15} | {'':>9} | {'':>12} | "
                      f"{'':>8} | {'':6} |")
                continue
            ratio = f"{r.median_ms / base.median_ms:.1f}x" if base else "n/a"
            rss = f"{r.rss_kb / 1024:.0f}" if r.rss_kb else "?"
            agrees = "yes" if not r.missing and not r.extra else "NO"
            ms = f"{r.mean_ms:.0f} ± {r.stddev_ms:.0f}"
            print(f"| {size:>5} | {r.tool:16} | {r.median_ms:>9.0f} | {ms:>15} | {ratio:>9} | "
                  f"{rss:>12} | {len(r.found):>8} | {agrees:6} |")
    print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", default=os.environ.get("BENCH_DIR", "/tmp/ripple-bench"),
                    help="where the generated repositories live (default /tmp/ripple-bench)")
    ap.add_argument("--sizes", default=os.environ.get("SIZES", "1000 5000"),
                    help="service counts, space or comma separated (default '1000 5000')")
    ap.add_argument("--files", type=int, default=int(os.environ.get("FILES", "20")))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("SEED", "1")))
    ap.add_argument("--change", type=int, default=int(os.environ.get("CHANGE", "5")))
    ap.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", "10")))
    ap.add_argument("--warmup", type=int, default=int(os.environ.get("WARMUP", "2")))
    ap.add_argument("--rss-runs", type=int, default=int(os.environ.get("RSS_RUNS", "3")))
    ap.add_argument("--tools", default=os.environ.get("TOOLS", "ripple ripple-fsmonitor turbo nx"),
                    help="subset of 'ripple ripple-fsmonitor turbo nx'")
    ap.add_argument("--timer", choices=["hyperfine", "python"],
                    default=os.environ.get("TIMER") or
                    ("hyperfine" if shutil.which("hyperfine") else "python"))
    ap.add_argument("--regenerate", action="store_true", help="regenerate even if reusable")
    args = ap.parse_args(argv)

    args.load_at_start = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    sizes = [int(s) for s in re.split(r"[,\s]+", args.sizes.strip()) if s]
    selected = [s for s in re.split(r"[,\s]+", args.tools.strip()) if s]
    Path(args.dir).mkdir(parents=True, exist_ok=True)
    tools = make_tools(selected, Path(args.dir))
    for t in tools:
        if t.skip_reason:
            log(f"note: {t.name} will be skipped: {t.skip_reason}")

    all_results: list[Result] = []
    for size in sizes:
        all_results.extend(bench_size(size, tools, args))
    print_table(all_results, tools, args)

    bad = [r for r in all_results if not r.skipped and (not r.ok or r.missing or r.extra)]
    if bad:
        print("RESULT: some tool failed or disagreed with expected-affected.txt: "
              + ", ".join(f"{r.tool}@{r.size}" for r in bad))
        return 1
    print("RESULT: every measured tool agrees with expected-affected.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
