#pragma once

// Internal to the git adapter: the work tree's state when only some paths can have changed
// since it was last scanned in full (a file-system monitor names them; worktree_monitor.h).

#include <string>
#include <vector>

#include "orchestrator/git/worktree_scan.h"

namespace ripple::git {

// What scan_worktree() reports, on the promise that no path outside `candidates` (relative to
// the prefix, in any order, duplicates allowed) differs from the index: those tracked files are
// clean without being stat'ed. Each candidate is checked as the full scan checks it — a tracked
// file against its index entry, any other file against the ignore rules of it and of every
// untracked directory above it — so the result equals a full scan's wherever the promise holds.
// Candidates that are directories, or that lie below a tracked file (a submodule), `.git` or the
// workspace's `.ripple`, are passed over.
Result<Scan> recheck_worktree(git_repository* repo, const IndexSnapshot& snap,
                              cache::StatCache* cache, const ContentHasher& hasher,
                              std::vector<std::string> candidates);

}  // namespace ripple::git
