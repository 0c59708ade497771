#pragma once

// The `node` inference rule (docs/inference.md): package-manager workspaces as services.
// - Which directories are packages: the root package.json's `workspaces` (npm, yarn classic:
//   a list of globs; yarn's `{ "packages": [...] }` form too) or pnpm-workspace.yaml's `packages`
//   (pnpm ignores package.json's `workspaces`, so pnpm-workspace.yaml wins when both exist).
//   A glob starting with '!' leaves directories out.
// - Each package is a service named by its package.json `name` (npm scoped names, `@scope/pkg`,
//   as they are), with an edge to every package of the workspace named in its `dependencies`,
//   `devDependencies`, `peerDependencies` or `optionalDependencies`. A dependency whose spec
//   points elsewhere (`npm:` aliases, git, URLs, `file:`/`link:` paths) is no edge. Version
//   ranges are not checked against the local package's version: a workspace package named is
//   the one used, as npm, yarn and pnpm link it.
// Pure: the caller reads the files; a file that does not parse is an input error naming
// file:line:col.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/support/error.h"
#include "rules/inferred.h"

namespace ripple::rules {

inline constexpr const char* kNodeRule = "node";

// The workspace's package globs, as written, with where (the globs are directory globs relative
// to the root; a leading "./" is dropped).
struct PackageGlobs {
  std::vector<Located<std::string>> globs;  // "!..." entries exclude
};

// From the root package.json (`package_json`, nothing when there is none) and
// pnpm-workspace.yaml (nothing when there is none): the globs, or nothing when neither declares
// a workspace.
Result<std::optional<PackageGlobs>> node_package_globs(
    const std::optional<std::string>& package_json, const std::optional<std::string>& pnpm_yaml);

// One package: its package.json `text` at `file` (workspace-relative) in `dir`. Nothing when
// it has no `name` (such a package cannot be depended on; the caller warns). Edges name every
// dependency; the caller keeps those naming packages of the workspace.
Result<std::optional<InferredService>> node_package(std::string_view text, const std::string& file,
                                                    const RepoPath& dir);

}  // namespace ripple::rules
