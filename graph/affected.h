#pragma once

// The affected set (DESIGN.md §4): which services a change can touch, each with its reason and
// evidence. Pure: takes the workspace and the change set, returns values.
//
// Rules, in order, for every changed path:
//   ripple.yaml                      → every service, reason `config`
//   matches `ignore`, ripple's own
//   state, or a task's `outputs`     → nothing
//   matches `global_inputs`          → every service, reason `global`
//   a service's service.yaml         → that service, reason `config`
//   an input of one or more services → those services, reason `changed`
//                                       (owner = innermost service dir; plus `../` inputs)
//   a shared file a rule reads part
//   by part (a lockfile: PartChange) → the services whose part changed (maybe none), reason
//                                       `changed`
//   owned by no service              → with `unowned: all`, every service, reason `unowned`;
//                                       otherwise nothing (`warn` only makes callers name it)
// then every service that depends on an affected one, transitively (through cycles too), with
// reason `dependency` and the chain to the nearest directly affected service. Services removed
// since the base come last with reason `removed`.

#include <optional>
#include <string>
#include <vector>

#include "graph/change_set.h"
#include "graph/workspace.h"

namespace ripple::graph {

// Stronger reasons first: a service with several keeps the first one's evidence.
enum class Reason { config, global, unowned, changed, dependency, removed, no_base };

// "config", "global", "unowned", "changed", "dependency", "removed", "no-base".
const char* reason_name(Reason reason);

struct AffectedService {
  std::string name;
  RepoPath dir;
  std::optional<ServiceId> id;  // empty for a removed service
  Reason reason = Reason::changed;
  std::vector<std::string> paths;  // evidence: the first few changed paths (not for dependency)
  std::size_t path_count = 0;      // how many changed paths count for this reason in all
  // dependency: the services from the next one up to the one that changed. At most
  // kMaxChainShown of them, so that output stays linear in the number of services: a longer
  // chain keeps its first hops and, last, the service that changed; chain_length counts them all.
  std::vector<ServiceId> chain;
  std::size_t chain_length = 0;
};

// What one changed path did.
struct FileOutcome {
  // excluded: inside a service directory, but that service's `inputs` leave it out.
  // output: a task output of the service whose directory holds it.
  // shared: a file no service owns that a rule read part by part (PartChange); `services` are
  // those whose part changed, maybe none.
  enum class Kind {
    config,
    ignored,
    global,
    service_config,
    input,
    excluded,
    output,
    shared,
    unowned
  };
  RepoPath path;
  ChangeKind change = ChangeKind::modified;
  Kind kind = Kind::unowned;
  std::vector<ServiceId> services;  // service_config, input: affected; excluded: the owner
};

struct AffectedSet {
  std::vector<AffectedService> services;  // topological order, then removed services by name
  std::vector<bool> mask;                 // by ServiceId: affected or not
  std::vector<FileOutcome> files;         // one per changed path, in path order
};

// The changed paths no service owns (FileOutcome::Kind::unowned), in path order.
std::vector<RepoPath> unowned_files(const AffectedSet& set);

inline constexpr std::size_t kMaxEvidencePaths = 5;
inline constexpr std::size_t kMaxChainShown = 5;

// A changed file no service owns that an inference rule read part by part, comparing its two
// versions (a lockfile: rules/node_lockfile.h): the services whose part of it changed.
struct PartChange {
  RepoPath path;
  std::vector<ServiceId> services;
};

AffectedSet compute_affected(const Workspace& ws, const ChangeSet& changes,
                             const std::vector<RemovedService>& removed,
                             const std::vector<PartChange>& parts = {});

// Every service, reason `no-base`: the answer of `--fallback=all` when the base is unusable.
AffectedSet all_services(const Workspace& ws, Reason reason);

}  // namespace ripple::graph
