#pragma once

// What `ripple docker prune SERVICE...` copies (docs/images.md, "Minimal build contexts"): the
// files of the services' build, as ripple keys them, and the configs that make it a workspace.
//
// The set is, workspace-relative and sorted:
// - every input file (InputIndex::services) of each seed and of every service it depends on,
//   transitively (ServiceGraph::transitive_deps);
// - the workspace's global inputs (InputIndex::global_files);
// - ripple.yaml, and each included service's config file (ServiceSpec::file);
// - the shared files a task key holds a part of (service_parts.h: the root lockfile an npm
//   package's tree is read from, a Compose file, .env), whole, with the workspace manifests
//   each lockfile is read with beside it (manifest_files.h: lockfile_companions);
// - for each included service with an `image:`, its Dockerfile and effective .dockerignore
//   (dockerfile_inputs.h), wherever they lie.
// A file counts only when the listing has it (InputIndex::table: tracked, or untracked and not
// ignored by git), with the mode the listing gave: a file git ignores is not copied. Git submodules
// (mode 0160000) cannot be copied: they are returned apart.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "graph/support/error.h"
#include "orchestrator/inputs/input_index.h"
#include "orchestrator/inputs/task_key.h"
#include "orchestrator/platform/filesystem.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {

struct PrunedFile {
  std::string path;        // workspace-relative
  std::uint32_t mode = 0;  // git's modes: 0100644, 0100755, 0120000
};

struct PruneSet {
  std::vector<ServiceId> services;      // the seeds and their dependencies, sorted by id
  std::vector<PrunedFile> files;        // sorted by path, each once
  std::vector<std::string> submodules;  // left out: workspace-relative paths
};

// `index` must list files (InputDetail::files); `parts` by ServiceId, as service_parts() gives
// them (empty: none). An environment error when a .dockerignore cannot be read.
Result<PruneSet> prune_set(const Filesystem& fs, const LoadedWorkspace& loaded,
                           const InputIndex& index, std::span<const ServiceId> seeds,
                           std::span<const KeyParts> parts);

}  // namespace ripple
