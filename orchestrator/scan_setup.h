#pragma once

// The git adapter set up the way every command that looks at the work tree wants it: directory
// listings remembered in `.ripple/state/`, and watchman asked for changes when the workspace's
// `fsmonitor: watchman` (or RIPPLE_FSMONITOR=watchman|off, which wins) says so, with its socket
// from WATCHMAN_SOCK when set. The monitor's warnings go to the reporter; how each scan went is
// reported when RIPPLE_TIMING is set.

#include "orchestrator/context.h"
#include "orchestrator/git/git_vcs.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {

// For the workspace at `root` whose ripple.yaml says `fsmonitor` ("off" or "watchman"). An input
// error when RIPPLE_FSMONITOR is neither watchman nor off.
Status prepare_worktree_scan(const CommandContext& ctx, const std::string& root,
                             const std::string& fsmonitor, git::GitVcs& vcs);

// The same for a loaded workspace.
inline Status prepare_worktree_scan(const CommandContext& ctx, const LoadedWorkspace& loaded,
                                    git::GitVcs& vcs) {
  return prepare_worktree_scan(ctx, loaded.root, loaded.workspace.config().fsmonitor, vcs);
}

}  // namespace ripple
