#pragma once

// The shared files the inference rules read part by part (service_parts.h): for each changed
// one, the services whose parts of it differ between the file's version at the base and at the
// head (the work tree when it is compared). A file whose versions cannot be read is left out: it
// stays a file no service owns.

#include <string>
#include <vector>

#include "graph/affected.h"
#include "orchestrator/inputs/vcs.h"
#include "orchestrator/platform/filesystem.h"
#include "orchestrator/service_parts.h"

namespace ripple {

std::vector<graph::PartChange> part_changes(const graph::Workspace& ws,
                                            const graph::ChangeSet& changes, const Vcs& vcs,
                                            const Filesystem& fs, const std::string& root);

}  // namespace ripple
