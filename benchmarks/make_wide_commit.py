#!/usr/bin/env python3
"""Adds branch `wide` to a clone of a generated repository, for tree_diff_bench's "far apart" case.

  benchmarks/make_wide_commit.py CLONE [FROM]     # FROM defaults to `feature`

From FROM: one file edited in every service (src/mod_003.js), a file added in every 10th
(src/added.js) and one deleted in every 10th, offset 5 (src/mod_007.js): 6,000 changed paths
over 5,000 services at N=5000. The work tree and the real index are not touched (a temporary
index and plumbing); author, committer and dates are fixed, so the commit id is reproducible.
Prints the new commit's id.
"""
import os, re, subprocess, sys, tempfile

repo = sys.argv[1]
start = sys.argv[2] if len(sys.argv) > 2 else "feature"
index = tempfile.NamedTemporaryFile(delete=False).name
os.unlink(index)
env = dict(os.environ, GIT_INDEX_FILE=index, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="b@x",
           GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="b@x",
           GIT_AUTHOR_DATE="2026-01-01T00:00:00Z", GIT_COMMITTER_DATE="2026-01-01T00:00:00Z")


def git(*args, inp=None):
    return subprocess.run(["git", "-C", repo, *args], env=env, input=inp, capture_output=True,
                          text=True, check=True).stdout


try:
    git("read-tree", start)
    services = sorted({m.group(1) for m in
                       re.finditer(r"^(packages/svc-\d+)/service\.yaml$",
                                   git("ls-files"), re.M)})
    blobs = {}

    def blob(text):
        if text not in blobs:
            blobs[text] = git("hash-object", "-w", "--stdin", inp=text).strip()
        return blobs[text]

    lines = []
    for i, svc in enumerate(services):
        lines.append(f"100644 {blob('// wide edit %d' % (i % 50) + chr(10))}\t{svc}/src/mod_003.js")
        if i % 10 == 0:
            lines.append(f"100644 {blob('// added' + chr(10))}\t{svc}/src/added.js")
        if i % 10 == 5:
            lines.append(f"0 {'0' * 40}\t{svc}/src/mod_007.js")
    git("update-index", "--index-info", inp="\n".join(lines) + "\n")
    tree = git("write-tree").strip()
    commit = git("commit-tree", tree, "-p", start, "-m", f"wide: {len(lines)} paths").strip()
    git("update-ref", "refs/heads/wide", commit)
    print(commit)
finally:
    if os.path.exists(index):
        os.unlink(index)
