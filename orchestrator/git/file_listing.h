#pragma once

// Internal to the git adapter: every file of the work tree below the prefix with its current
// content id, for input hashing.

#include <vector>

#include "orchestrator/git/filter_probe.h"
#include "orchestrator/git/libgit2_handles.h"
#include "orchestrator/git/worktree_monitor.h"
#include "orchestrator/inputs/file_table.h"

namespace ripple::git {

// Tracked files that are clean take the index's id (not read); the rest — dirty tracked files,
// untracked-not-ignored files — come from `cache` (may be null) or `hasher`. Deleted files are
// left out; submodules appear with mode 0160000 and their checked-out commit. Sorted by path,
// each with its source. The views point into the mapped index (clean files) and strings the
// table keeps (the rest), so a clean checkout makes no allocation per file.
// `aids`: see scan_worktree_with().
//
// With `changes`, the same scan also answers worktree_changes() (worktree_status.h): the work
// tree's changes against `changes->head` are added to `*changes->out`, so that a command needing
// both the changed files and every file's id walks the work tree once.
struct ChangesAgainstHead {
  const git_tree* head = nullptr;
  ChangeMap* out = nullptr;
};
Result<FileTable> list_files(git_repository* repo, const std::string& prefix,
                             cache::StatCache* cache, const ContentHasher& hasher,
                             const ScanShortcuts& aids = {},
                             const ChangesAgainstHead* changes = nullptr);

// The index's entries below the prefix (stage 0; submodules with their recorded commit), without
// looking at the work tree. Sorted by path. The views point into the mapped index (or libgit2's)
// and a buffer of hex ids, both kept alive by the table.
Result<FileTable> list_index_files(git_repository* repo, const std::string& prefix);

}  // namespace ripple::git
