#pragma once

// Directories a workspace glob names ("packages/*", "libs/**", "apps/web"), relative to the
// workspace root: what `services:` entries and package-manager workspace globs expand to.
// Hidden directories and node_modules are never searched; `**` never follows a symbolic link
// (so a link cycle cannot trap the search), while a one-level wildcard or a plain segment does
// match a link to a directory, and the directories reached so are remembered (linked()).

#include <set>
#include <string>
#include <vector>

#include "graph/support/error.h"
#include "graph/support/repo_path.h"
#include "orchestrator/platform/filesystem.h"

namespace ripple {

// The '/'-separated segments of a pattern, empty ones dropped.
std::vector<std::string> split_segments(const std::string& pattern);

class DirGlobber {
 public:
  DirGlobber(const Filesystem& fs, std::string root) : fs_(fs), root_(std::move(root)) {}

  // Adds to `out` every directory under `rel` matching segments[i..] (every directory, whatever
  // it holds: the caller keeps those with its marker file). An environment error when a
  // directory cannot be listed.
  Status expand(const RepoPath& rel, const std::vector<std::string>& segments, std::size_t i,
                std::set<RepoPath>& out, bool linked = false);
  // The same for a whole pattern from the root.
  Status expand(const std::string& pattern, std::set<RepoPath>& out) {
    return expand(RepoPath(), split_segments(pattern), 0, out);
  }

  // The directories expand() reached through a symbolic link.
  const std::set<RepoPath>& linked() const { return linked_; }

 private:
  const Filesystem& fs_;
  std::string root_;
  std::set<RepoPath> linked_;
};

}  // namespace ripple
