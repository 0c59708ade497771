#pragma once

// A lockfile read as a graph of resolved packages (Cargo.lock, uv.lock): what a workspace
// package's resolved tree is, as the text its part digests (orchestrator/service_parts.h). Each
// lockfile's reader fills the graph its own way; the walk is this one. Pure.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph/support/repo_path.h"

namespace ripple::rules {

struct LockPackage {
  std::string name;
  // What pins this resolution ("serde 1.0.200 registry+… <checksum>"): a change to it is a
  // change to the tree of every package that reaches it.
  std::string line;
  bool workspace = false;  // a package of the workspace itself: reached by name, not followed
  // Each dependency: the package it resolves to, or nothing with how the lockfile wrote it.
  std::vector<std::pair<std::optional<std::size_t>, std::string>> deps;
};

// For each workspace package of `packages` given as (directory, name): the sorted lines of every
// package it reaches (transitively; another workspace package as "<name> (workspace)", not
// followed; a dependency the lockfile does not list as "? <as written>"), one per line. A
// directory whose name no workspace package has gets an empty tree.
std::map<RepoPath, std::string> lock_trees(
    const std::vector<LockPackage>& graph,
    const std::vector<std::pair<RepoPath, std::string>>& packages);

}  // namespace ripple::rules
