#pragma once

// Internal to the git adapter. What `git status` reports below a directory — staged, unstaged
// and untracked-not-ignored files, relative to HEAD — computed for speed on large work trees:
//
//   index vs HEAD   the index's tree ids are computed in memory and compared with HEAD's
//                   top-down, so only differing HEAD subtrees are read;
//   work tree       every tracked file is lstat'ed in parallel (oneTBB) and compared with the
//                   index's stat data; only files whose stat data differs, or that are racily
//                   clean, are hashed (streamed, as git would hash them);
//   untracked       directories are listed in parallel, level by level; only names the index
//                   does not know are checked against the ignore rules, and an ignored
//                   directory is never entered.
//
// Reads the index and the work tree; writes nothing.

#include <string>

#include "orchestrator/git/libgit2_handles.h"
#include "orchestrator/git/worktree_monitor.h"
#include "orchestrator/git/worktree_scan.h"

namespace ripple::git {

// Adds the work tree's changes against `head` below `prefix` (repository-relative, "" for the
// whole work tree) to `out`, with paths relative to `prefix`.
// `aids`: see scan_worktree_with(). `cache` (may be null): the ids of files whose stat data no
// longer matches the index are taken from it, or hashed and remembered there.
Status worktree_changes(git_repository* repo, const git_tree* head, const std::string& prefix,
                        ChangeMap& out, const ScanShortcuts& aids = {},
                        cache::StatCache* cache = nullptr);

// The two halves of worktree_changes(), for a caller that scans the work tree itself
// (file_listing.h lists every file's id from the same scan):
// the index against `head` (staged changes, conflicted and intent-to-add paths) ...
Status index_changes(git_repository* repo, const git_tree* head, const std::string& prefix,
                     const IndexSnapshot& snap, ChangeMap& out);
// ... and what a scan of the work tree found: modified, deleted and untracked files. Call it after
// index_changes(): a file staged as added stays added.
void scan_changes(const IndexSnapshot& snap, const Scan& scan, ChangeMap& out);

}  // namespace ripple::git
