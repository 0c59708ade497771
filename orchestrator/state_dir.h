#pragma once

// ripple's own state in a workspace: `.ripple/state/` (stat cache, snapshots of parsed configs).
// `.ripple/` ignores itself with a `.gitignore` of `*`, like other tools' cache directories, so
// it is never committed; ripple never treats it as an input either.

#include <optional>
#include <string>

namespace ripple {

// `root/.ripple/state`, created (with `root/.ripple/.gitignore`) when missing. Failing to create
// them is not reported here: whoever writes into the directory finds out and carries on.
std::string ensure_state_dir(const std::string& root);

// Why `root/.ripple` cannot be created or written (a read-only checkout: "Permission denied"),
// as a sentence naming the directory and the way out; nothing when it can.
std::optional<std::string> state_dir_problem(const std::string& root);

// The snapshot of work-tree directory listings in `state_dir` (GitVcs::use_listing_cache).
inline std::string listing_snapshot_path(const std::string& state_dir) {
  return state_dir + "/dir-listings.snapshot";
}

// What the file-system monitor saved after the last scan (worktree_monitor.h).
inline std::string fsmonitor_state_path(const std::string& state_dir) {
  return state_dir + "/fsmonitor.json";
}

}  // namespace ripple
