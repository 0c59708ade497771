#pragma once

// The node rule's reading of yarn's lockfile (yarn.lock), so that a lockfile change affects only
// the packages whose resolved dependencies changed (docs/inference.md), as rules/node_lockfile.h
// does for npm and rules/pnpm_lockfile.h for pnpm. Both of yarn's formats:
// - yarn classic (v1, `# yarn lockfile v1`): its own indented format, entries keyed by
//   `name@range` descriptors, each with `version`, `resolved`, `integrity` and `dependencies` /
//   `optionalDependencies` blocks. Workspace packages are no entries: a package's tree starts from
//   its own package.json's ranges (`dependencies`, `devDependencies`, `optionalDependencies`,
//   `peerDependencies`), each `name@range` entry and, transitively, theirs.
// - yarn berry (v2 and later: YAML with `__metadata`): entries keyed by `name@npm:range`
//   descriptors, each with `resolution`, `checksum` and `dependencies`; a workspace package is
//   the entry whose resolution is `<name>@workspace:<dir>` ("." for the root), and its tree
//   starts there.
// A package's tree is every package it resolves, transitively, one sorted line each with its
// name, resolved version and integrity or checksum; a dependency on another workspace package is
// its name only (that package's changes reach this one through the dependency edge): a name no
// entry resolves that is a workspace package (v1), or an entry resolved `@workspace:` (berry).
// Pure.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/support/repo_path.h"

namespace ripple::rules {

// A workspace package as yarn classic's reading needs it: its directory and its package.json's
// text in the same version as the lockfile (nothing: there is none).
struct YarnPackage {
  RepoPath dir;
  std::optional<std::string> manifest;
};

// Each of `packages`' resolved tree in `text`, as canonical text (one line per package, sorted;
// empty for a package without a package.json (v1) or without a workspace entry (berry); in v1,
// a package.json that does not parse gives the whole lockfile as the tree, so that any change to
// it counts). The workspace packages a v1 dependency may link are the names in `packages`'
// manifests. Nothing when `text` is neither format (a v1 file that does not parse, YAML without
// `__metadata`).
std::optional<std::map<RepoPath, std::string>> yarn_lock_trees(
    std::string_view text, const std::vector<YarnPackage>& packages);

}  // namespace ripple::rules
