#pragma once

// Each service's parts of the workspace's shared files (docs/inference.md): the files no service
// owns that an inference rule reads part by part. A part is named `<file>#<part>` and stands
// for its content by a SHA-256:
//   `compose.yaml#services.cart`   the service's block of the root Compose file (anchors and
//                                  `<<` merges resolved), for the services it builds;
//   `.env#CART_DOCKERFILE`         the value of each `.env` variable that block uses;
//   `package-lock.json#apps/web`   the package's installed tree in npm's lockfile, and
//   `pnpm-lock.yaml#apps/web`      its resolved tree in pnpm's and
//   `yarn.lock#apps/web`           yarn's (classic's read from the package.json of the same
//                                  version); likewise a crate's in
//   `Cargo.lock#crates/app`        Cargo's and a project's in `uv.lock#packages/api` uv's
//                                  (these two found by the service's name, the crate's or the
//                                  project's unless a service.yaml renamed it).
// A task's key holds its service's parts (inputs/task_key.h), so that a run after a change to one
// block, variable or package's dependencies answers only the tasks it touches from the cache no
// longer; and comparing the parts of a file's two versions is what a change to it affects
// (part_changes.h). A shared file that does not parse as its rule reads it gives every service
// one part: the whole file's digest.

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "graph/workspace.h"
#include "orchestrator/inputs/task_key.h"
#include "orchestrator/platform/filesystem.h"

namespace ripple {

// Part name → SHA-256 (hex) of its content.
using PartDigests = KeyParts;

// One version of a workspace file: its text, nothing when it does not exist there, or an error
// when it cannot be read.
using ReadVersion = std::function<Result<std::optional<std::string>>(const std::string& path)>;

// The work tree's versions under `root` (`fs` must outlive the reader).
ReadVersion work_tree_reader(const Filesystem& fs, const std::string& root);

// The shared files the workspace's enabled rules read part by part.
std::vector<std::string> shared_part_files(const graph::Workspace& ws);

// By ServiceId: the parts of `files` (all of shared_part_files() when null) in the versions
// `read` gives. A file that cannot be read gives no parts (an error would be reported by the
// load or the listing that reads it too).
std::vector<PartDigests> service_parts(const graph::Workspace& ws, const ReadVersion& read,
                                       const std::set<std::string>* files = nullptr);

}  // namespace ripple
