#pragma once

// The node rule's reading of pnpm's lockfile (pnpm-lock.yaml: lockfileVersion 5.4, 6 and 9), so
// that a lockfile change affects only the packages whose resolved dependencies changed
// (docs/inference.md), as rules/node_lockfile.h does for npm.
//
// pnpm lists each workspace package under `importers:` by its directory ("." for the root) with
// the version it resolved for each dependency; `packages:` (and, from version 9, `snapshots:`)
// give each resolved package's integrity and its own dependencies. A package's tree is every
// package it resolves, transitively, each with its resolved id and integrity; a `link:` to
// another workspace package is its name and target only (that package's changes reach this one
// through the dependency edge). Pure.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/support/repo_path.h"

namespace ripple::rules {

// Each of `package_dirs`' resolved tree in `text`, as canonical text (one line per package,
// sorted; empty for a directory the lockfile has no importer for). Nothing when `text` is not
// a pnpm lockfile read here (not YAML, no `importers:` map).
std::optional<std::map<RepoPath, std::string>> pnpm_lock_trees(
    std::string_view text, const std::vector<RepoPath>& package_dirs);

}  // namespace ripple::rules
