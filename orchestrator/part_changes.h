#pragma once

// The shared files the inference rules read part by part (docs/inference.md): for each changed
// one, which services' parts changed, from the file's version at the base and at the head (the
// work tree when it is compared). The root Compose file (each built service's block) and `.env`
// (the variables each block uses) for the compose rule; the root package-lock.json (each
// package's installed tree) for the node rule. A file whose versions cannot be read that way is
// left out: it stays a file no service owns.

#include <string>
#include <vector>

#include "graph/affected.h"
#include "orchestrator/inputs/vcs.h"
#include "orchestrator/platform/filesystem.h"

namespace ripple {

std::vector<graph::PartChange> part_changes(const graph::Workspace& ws,
                                            const graph::ChangeSet& changes, const Vcs& vcs,
                                            const Filesystem& fs, const std::string& root);

}  // namespace ripple
