#pragma once

// The dockerfile rule for every service (docs/inference.md): a service whose directory holds a
// `Dockerfile`, or whose service.yaml `image:` names one (graph::ImageConfig: `dockerfile` and
// `context` relative to the service's directory), has that Dockerfile read as a Compose build's
// is (rules/dockerfile.h, orchestrator/dockerfile_inputs.h):
// - what it copies from outside the service's directory becomes an input, relative to the
//   directory (its own directory is an input already; no .dockerignore narrows it, since its
//   other tasks read the whole directory);
// - `FROM` / `COPY --from=` naming another service's image becomes a dependency, at the
//   Dockerfile's line: an image a service.yaml `image:` names (its `name`, by default the
//   service's; with `images.registry` in front or not), or a Compose service or skaffold
//   artifact builds;
// - a literal source that does not exist is a warning, unless it is a task output of the
//   service (`COPY dist/ /app/` after `make build`).
// Cost: one stat per service directory; a Dockerfile is read and parsed only when it exists and
// its stat data differ from what `configs` (a real filesystem only) remembers.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "graph/support/error.h"
#include "graph/workspace.h"
#include "orchestrator/platform/filesystem.h"
#include "orchestrator/platform/stat_snapshot.h"

namespace ripple {

// Reads the Dockerfiles of `sources` (all but those in directories `built`, whose Dockerfile
// the Compose or skaffold rule read) under `root` (absolute), adding inputs and deps to their
// configs. `images` maps an image repository to the directory of the service building it
// (InferredServices::images); `config` gives `images.registry` and the task templates' outputs.
// An environment error for a Dockerfile that cannot be read.
Status read_service_dockerfiles(const Filesystem& fs, const std::string& root,
                                const graph::RootConfig& config, const std::set<RepoPath>& built,
                                const std::map<std::string, RepoPath>& images,
                                std::vector<graph::ServiceSource>& sources, StatSnapshot* configs,
                                std::vector<Diagnostic>& warnings);

}  // namespace ripple
