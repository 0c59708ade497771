#pragma once

// Finds the workspace root and reads it: ripple.yaml, the service directories its `services:`
// globs name, and their service.yaml files, into a validated graph::Workspace.

#include <string>
#include <vector>

#include "graph/support/error.h"
#include "graph/workspace.h"
#include "orchestrator/platform/filesystem.h"
#include "orchestrator/platform/stat_snapshot.h"

namespace ripple {

inline constexpr const char* kRootConfigName = "ripple.yaml";
inline constexpr const char* kServiceConfigName = "service.yaml";

struct LoadedWorkspace {
  std::string root;  // absolute path of the directory holding ripple.yaml
  graph::Workspace workspace;
  std::vector<Diagnostic> warnings;  // loader findings and the workspace's own
};

// The nearest directory at or above `start` (absolute) that holds a ripple.yaml; without one, the
// root of the git repository holding `start` (its services are then inferred:
// inferred_services.h). An input error "no ripple.yaml and no git repository found from START up
// to /" when there is neither.
Result<std::string> find_workspace_root(const Filesystem& fs, const std::string& start);

// Reads and validates the workspace rooted at `root` (absolute): its ripple.yaml (the defaults
// when there is none), the services it declares, and those the inference rules its `discover:`
// enables find (inferred_services.h). Every config problem is an input error naming the file,
// line and column; unreadable files are environment errors.
//
// `services:` entries are directory globs relative to the root ("services/*", "libs/**");
// a "!glob" entry removes directories matched by earlier entries. A glob that matches no
// directory with a service.yaml is a warning; an entry without wildcards must name a directory
// holding a service.yaml. Hidden directories and node_modules are never searched by `**`.
//
// With `configs` (only for a real filesystem: it stats the files itself), a service.yaml whose
// stat data matches its entry there is not read or parsed again, and the ones parsed are
// remembered in it (keyed by their workspace-relative path); the caller saves it.
Result<LoadedWorkspace> load_workspace(const Filesystem& fs, const std::string& root,
                                       StatSnapshot* configs = nullptr);

// The snapshot file of parsed service.yaml files in `state_dir` (state_dir.h).
std::string service_configs_snapshot_path(const std::string& state_dir);

}  // namespace ripple
