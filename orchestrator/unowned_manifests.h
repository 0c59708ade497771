#pragma once

// The build manifests no service owns (docs/inference.md, "Manifests no service owns"): a
// directory with a Dockerfile, package.json, go.mod, Cargo.toml or pyproject.toml that is not
// inside any service's directory is most likely a service the rules could not see (a package
// missing from the workspaces list, a bare Dockerfile), and a change there affects nothing.
//
// "Owns" is as for changed files: a service owns its directory and everything below it, so a
// manifest in a service's subdirectory (a tool's package.json under apps/web/tools) is owned.
// Never reported: the workspace root's own manifests (a workspace's root package.json is not a
// service), anything under node_modules/, vendor/, testdata/ or a hidden directory, a file an
// `ignore:` glob matches, a directory a `services:` entry already names (a one-level glob warns
// of it itself; a `!glob` leaves it out on purpose), and every one with `unowned: ignore`.

#include <string>
#include <string_view>
#include <vector>

#include "graph/support/error.h"
#include "graph/workspace.h"
#include "orchestrator/platform/filesystem.h"

namespace ripple {

// The file names that make a directory look buildable, for the index listing
// (git/tracked_files.h) the loader reads once for the go rule and for this check.
inline constexpr std::string_view kBuildManifestNames[] = {"Dockerfile", "package.json", "go.mod",
                                                           "Cargo.toml", "pyproject.toml"};

// One warning per directory holding manifests of `tracked` (workspace-relative paths of files
// named as kBuildManifestNames, sorted) that no service of `ws` owns and that exist in the work
// tree under `root`, naming them and the fix. At most kMaxUnownedWarnings directories are named;
// one more warning counts the rest. Cost: a look-up per ancestor of each tracked manifest, and a
// stat of each unowned one only.
inline constexpr std::size_t kMaxUnownedWarnings = 20;
std::vector<Diagnostic> unowned_manifest_warnings(const Filesystem& fs, const std::string& root,
                                                  const std::vector<std::string>& tracked,
                                                  const graph::Workspace& ws,
                                                  const std::vector<std::string>& enabled_rules);

}  // namespace ripple
