#pragma once

// Where commands get their Vcs: the git work tree holding the workspace, opened and set up the
// way every command that looks at the work tree wants it — directory listings remembered in
// `.ripple/state/`, and watchman asked for changes when the workspace's `fsmonitor: watchman`
// (or RIPPLE_FSMONITOR=watchman|off, which wins) says so, with its socket from WATCHMAN_SOCK when
// set. The monitor's warnings go to the reporter; how each scan went is reported when
// RIPPLE_TIMING is set. The one file above git/ that names git::GitVcs: commands see the Vcs
// interface only.

#include <memory>
#include <string>

#include "cache/stat_cache.h"
#include "orchestrator/context.h"
#include "orchestrator/inputs/content_hasher.h"
#include "orchestrator/inputs/vcs.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {

// A Vcs, the hasher whose ids match the ones it gives (git blob ids) and the stat cache of
// `.ripple/state/` (opened when first needed), to pass to its files() and scan_changes(); the
// Vcs's own scans use that stat cache too. Members are declared in the order they may be
// destroyed: the Vcs first. The caller saves the stat cache (input_scan.h, save_stat_cache) once
// the scans are done, or drops it.
struct WorkspaceVcs {
  std::unique_ptr<ContentHasher> hasher;
  std::unique_ptr<cache::StatCache> stat_cache;  // null when the work tree is not scanned
  std::unique_ptr<Vcs> vcs;
};

// Whether `root` lies inside a git work tree at all (without opening it), so that "not git" can
// be told apart from "git, but unusable".
bool inside_git_work_tree(const std::string& root);

// How the Vcs will be used: `scan_worktree` false when only the recorded files (the index) and
// commits are asked for, so nothing is set up for scanning the work tree.
struct VcsUse {
  std::string fsmonitor = "off";  // ripple.yaml's `fsmonitor`: "off" or "watchman"
  bool scan_worktree = true;
};

// The Vcs of the git work tree holding the workspace at `root`. An environment error when it is
// not inside one or libgit2 refuses it (a repository owned by another user: safe.directory); an
// input error when RIPPLE_FSMONITOR is neither watchman nor off.
Result<WorkspaceVcs> open_workspace_vcs(const CommandContext& ctx, const std::string& root,
                                        const VcsUse& use);

// The same for a loaded workspace, scanning the work tree as its ripple.yaml says.
inline Result<WorkspaceVcs> open_workspace_vcs(const CommandContext& ctx,
                                               const LoadedWorkspace& loaded) {
  return open_workspace_vcs(ctx, loaded.root, VcsUse{loaded.workspace.config().fsmonitor, true});
}

}  // namespace ripple
