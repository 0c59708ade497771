#pragma once

// Internal to the git adapter: a work-tree scan that asks watchman which paths changed instead
// of lstat'ing every tracked file, the way git's core.fsmonitor does.
//
// After a full scan, the state file keeps watchman's clock from just before the scan and every
// path that was not clean (modified, deleted or untracked). The next scan re-checks only the
// paths watchman names since that clock plus those kept (worktree_recheck.h); all other tracked
// files are clean, as they were. The saved state is used only while nothing else that decides
// the answer has changed — the index, git's config and exclude files (compared by their stat
// data), the watched root — and while watchman can vouch for the clock; a change to a
// `.gitignore` or `.gitattributes`, a restarted watchman, or a change touching more than a
// quarter of the tracked files also means a full scan. Any watchman failure means a full scan,
// never a wrong answer.

#include "orchestrator/git/fsmonitor_options.h"
#include "orchestrator/git/worktree_scan.h"

namespace ripple::git {

// What the work-tree scan needs besides the index: both may be null.
struct ScanShortcuts {
  StatSnapshot* listings = nullptr;  // see scan_worktree()
  const FsMonitorOptions* monitor = nullptr;
};

// scan_worktree(), or its monitored form when `aids.monitor` is set.
Result<Scan> scan_worktree_with(git_repository* repo, const IndexSnapshot& snap,
                                cache::StatCache* cache, const ContentHasher& hasher,
                                const ScanShortcuts& aids);

}  // namespace ripple::git
