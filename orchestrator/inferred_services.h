#pragma once

// The services the inference rules find (rules/, docs/inference.md), read from the workspace and
// merged with the ones its service.yaml files declare. The rules are pure; this side finds and
// reads the files each rule asks for: compose and skaffold (and the Dockerfiles they build, with
// their .dockerignore), node (package-manager workspaces), go (Go modules), cargo and python.
//
// Merging: a directory with a service.yaml keeps that service and its name (its `name:` or the
// directory's); what a rule found there adds edges (deps are a union). A directory without one
// becomes a service of the rule's (named as the rule names it: a package's name, a Compose key);
// what another rule found in the same directory is the same service (the first rule's name
// wins, in rules::known_rules() order), while two services one rule found in one directory stay
// two. An edge names what the rule names (a package, a Compose service); it becomes a dependency
// on the service that became, and one naming nothing of the workspace (an external package) is
// none.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "graph/support/error.h"
#include "graph/workspace.h"
#include "orchestrator/platform/filesystem.h"
#include "orchestrator/platform/stat_snapshot.h"
#include "rules/inferred.h"

namespace ripple {

struct InferredServices {
  std::vector<rules::InferredService> services;
  std::vector<Diagnostic> warnings;  // packages without a name, globs that match no package
  // The images Compose services and skaffold artifacts build, by repository
  // (rules::image_repository), each with the directory of the service building it.
  std::map<std::string, RepoPath> images;
};

// What the enabled rules (rules::enabled_rules) find under `root` (absolute). An input error for
// a manifest that does not parse (file:line:col); an environment error for one that cannot be
// read. With `configs` (a real filesystem only, as for load_workspace), what a manifest gave is
// kept there keyed by its stat data, and taken from there while the manifest is unchanged.
// `tracked` (may be null): the files git tracks under `root` by the names of kBuildManifestNames
// (unowned_manifests.h),
// when the caller has read them from the index already (git/tracked_files.h); the go rule then
// takes its go.mod files from there instead of reading the index again.
Result<InferredServices> infer_services(const Filesystem& fs, const std::string& root,
                                        const std::vector<std::string>& enabled_rules,
                                        StatSnapshot* configs = nullptr,
                                        const std::vector<std::string>* tracked = nullptr);

// Merges `inferred` into `sources` (above). A Compose build (or skaffold artifact) that only the
// docker rules make reads what its build context sends, its .dockerignore's exclusions kept in
// its inputs; when another rule's service is the same one, they are dropped (its directory is
// read whole). Returns the directories of the services the docker rules made (their Dockerfile
// is read already; read_service_dockerfiles() passes them over).
std::set<RepoPath> merge_inferred(std::vector<graph::ServiceSource>& sources,
                                  const std::vector<rules::InferredService>& inferred);

}  // namespace ripple
