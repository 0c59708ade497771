#pragma once

// The node rule's reading of npm's lockfile (package-lock.json, lockfileVersion 2 or 3: its
// "packages" map), so that a lockfile change affects only the packages whose installed
// dependencies changed, not every package (docs/inference.md).
//
// A workspace package's installed tree is every package the lockfile resolves for it, as Node
// resolves them (its own node_modules first, then each directory above), through their own
// dependencies transitively, each with its location, version and integrity; a dependency on
// another workspace package (a link) is its name and link target only, not that package's tree
// (that package's changes reach this one through the dependency edge). Pure.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/support/repo_path.h"

namespace ripple::rules {

// Each of `package_dirs`' installed tree in `text`, as canonical text (one line per resolved
// package, sorted; empty for a package the lockfile has no entry for): what a task key holds of
// the lockfile for that package. Nothing when `text` is not a lockfile read here (above).
std::optional<std::map<RepoPath, std::string>> npm_lock_trees(
    std::string_view text, const std::vector<RepoPath>& package_dirs);

// Of `package_dirs` (workspace-relative package directories), those whose installed tree differs
// between `before` and `after` (nothing: the file did not exist on that side). Nothing at all
// when a side exists but is not a lockfile read here (not JSON, no "packages" map: npm 6's
// lockfileVersion 1), so that the caller treats the change as it would without the rule.
std::optional<std::vector<RepoPath>> npm_lock_changed_packages(
    const std::optional<std::string_view>& before, const std::optional<std::string_view>& after,
    const std::vector<RepoPath>& package_dirs);

}  // namespace ripple::rules
