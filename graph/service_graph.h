#pragma once

// The service dependency graph: dense ids, immutable once built, safe to share `const` between
// threads. Dependency cycles are legal (DESIGN.md §3): they are reported by cycles(), ordered by
// the condensation in topo_order(), and the closures walk through them.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graph/support/ids.h"

namespace ripple::graph {

class ServiceGraph {
 public:
  ServiceGraph() = default;

  // `names[i]` is the name of ServiceId{i}; `deps[i]` the services it depends on. Names must be
  // unique and every dep id in range (the Workspace validates both before building). Duplicate
  // edges are dropped; a self edge is kept and reported as a cycle of one.
  ServiceGraph(std::vector<std::string> names, std::vector<std::vector<ServiceId>> deps);

  std::size_t size() const { return names_.size(); }
  const std::string& name(ServiceId id) const { return names_[id.value]; }
  std::optional<ServiceId> find(std::string_view name) const;

  // Direct edges, sorted by id.
  std::span<const ServiceId> deps(ServiceId id) const { return deps_[id.value]; }
  std::span<const ServiceId> dependents(ServiceId id) const { return dependents_[id.value]; }

  // Every service once, dependencies before dependents. Deterministic: among services that are
  // ready at the same time the smaller id comes first; members of one cycle are kept together,
  // in id order, where the whole cycle's dependencies are done.
  std::span<const ServiceId> topo_order() const { return topo_; }

  // The strongly connected components with a cycle (two or more members, or a self edge), each
  // sorted by id, ordered by their first member.
  const std::vector<std::vector<ServiceId>>& cycles() const { return cycles_; }

  // One concrete cycle through the smallest member of `component`, as a path that starts and
  // ends with that member: {a, b, c, a}.
  std::vector<ServiceId> cycle_path(std::span<const ServiceId> component) const;

  // The seeds plus everything they depend on / everything that depends on them, transitively,
  // sorted by id.
  std::vector<ServiceId> transitive_deps(std::span<const ServiceId> seeds) const;
  std::vector<ServiceId> transitive_dependents(std::span<const ServiceId> seeds) const;

 private:
  void compute_components();
  void compute_topo_order();
  std::vector<ServiceId> closure(std::span<const ServiceId> seeds,
                                 const std::vector<std::vector<ServiceId>>& edges) const;

  std::vector<std::string> names_;
  std::unordered_map<std::string, ServiceId> by_name_;
  std::vector<std::vector<ServiceId>> deps_;
  std::vector<std::vector<ServiceId>> dependents_;
  std::vector<std::uint32_t> component_;  // service → component index
  std::vector<std::vector<ServiceId>> components_;
  std::vector<std::vector<ServiceId>> cycles_;
  std::vector<ServiceId> topo_;
};

}  // namespace ripple::graph
