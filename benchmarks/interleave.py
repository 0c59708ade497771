#!/usr/bin/env python3
"""Times commands interleaved: round after round, each command once, in an order that rotates.

On a shared, loaded machine, hyperfine's runs of one command come one after another, so a burst
of load from elsewhere lands on one command's runs and not the others'. Here every round runs all
commands within a second or so, and the ratio of each command to the first is taken per round:
the median of those ratios is what load drifts disturb least.

  interleave.py [--runs N] [--warmup W] [--prepare SHELL] NAME=COMMAND...
  (COMMAND: words split by shlex; leading VAR=value words are the command's environment)

Prints per command: mean ± sd and median wall ms, user+sys CPU ms, median peak RSS (KiB) and
minor page faults (from wait4's rusage), and the median per-round ratio to the first command with
its interquartile range.
"""
import argparse, os, shlex, statistics, subprocess, time


def parse(cmd):
    env, words = dict(os.environ), shlex.split(cmd)
    while words and "=" in words[0] and not words[0].startswith("/"):
        k, v = words.pop(0).split("=", 1)
        env[k] = v
    return env, words


def once(env, argv):
    t0 = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, env,
                         file_actions=[(os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
                                       (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)])
    _, status, ru = os.wait4(pid, 0)
    ms = (time.perf_counter_ns() - t0) / 1e6
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"interleave: {argv} failed")
    return ms, (ru.ru_utime + ru.ru_stime) * 1000, ru.ru_maxrss, ru.ru_minflt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--prepare", default="")
    ap.add_argument("commands", nargs="+")
    a = ap.parse_args()
    names, cmds = [], []
    for c in a.commands:
        n, cmd = c.split("=", 1)
        names.append(n)
        cmds.append(parse(cmd))
    k = len(cmds)
    samples = {n: [] for n in names}
    for r in range(a.warmup + a.runs):
        row = {}
        for j in range(k):
            i = (r + j) % k
            if a.prepare:
                subprocess.run(a.prepare, shell=True, check=True)
            row[names[i]] = once(*cmds[i])
        if r >= a.warmup:
            for n in names:
                samples[n].append(row[n])
    ref = names[0]
    print(f"{a.runs} rounds (+{a.warmup} warm-up), order rotating; ratio = this / {ref}, per round")
    for n in names:
        s = samples[n]
        wall = [x[0] for x in s]
        ratios = sorted(x[0] / y[0] for x, y in zip(s, samples[ref]))
        q = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
        cpu = statistics.median(x[1] for x in s)
        print(f"  {n:18s} {statistics.mean(wall):8.1f} ± {statistics.stdev(wall):6.1f} ms"
              f"  median {statistics.median(wall):8.1f}  cpu {cpu:7.1f} ms"
              f"  rss {int(statistics.median(x[2] for x in s)):7d} KiB"
              f"  minflt {int(statistics.median(x[3] for x in s)):6d}"
              f"  ratio {q[1]:.3f} (IQR {q[0]:.3f}-{q[2]:.3f})")


if __name__ == "__main__":
    main()
