#pragma once

// The graph of tasks to run: (service, task) nodes for the requested tasks of the selected
// services, plus every task those depend on, in any service (DESIGN.md §3 deps syntax). Pure and
// immutable once built.
//
//   "^build"     the `build` task of each direct dependency service that defines it
//   "build"      this service's own `build`
//   "proto#gen"  the `gen` task of service `proto`
//
// A requested task is skipped in a selected service that does not define it (a library with no
// `image`, say; lacking() lists them); a task name no service of the workspace defines is an
// input error. No selected service at all is an empty graph, not an error. A cycle of
// tasks is an input error printed task by task ("a#build -> b#build -> a#build"); cycles among
// services are fine as long as their tasks do not form one.

#include <span>
#include <string>
#include <vector>

#include "graph/support/error.h"
#include "graph/support/ids.h"
#include "graph/workspace.h"

namespace ripple::graph {

struct TaskId {
  std::uint32_t value = 0;
  friend bool operator==(TaskId, TaskId) = default;
  friend auto operator<=>(TaskId, TaskId) = default;
};

struct TaskNode {
  ServiceId service;
  std::string name;          // the task's name ("build")
  std::string label;         // "service#task"
  std::vector<TaskId> deps;  // sorted, unique
  bool requested = false;    // selected by the user, not only pulled in as a dependency
};

// A selected service that does not define a requested task: that task is left out for it.
struct Lacking {
  ServiceId service;
  std::string task;
};

class TaskGraph {
 public:
  static Result<TaskGraph> build(const Workspace& ws, std::span<const ServiceId> services,
                                 std::span<const std::string> tasks);

  std::size_t size() const { return nodes_.size(); }
  const TaskNode& node(TaskId id) const { return nodes_[id.value]; }
  // Every task once, dependencies first; ties by (service order, task name).
  std::span<const TaskId> topo_order() const { return topo_; }
  // The selected services that lack a requested task, in request order, then selection order.
  std::span<const Lacking> lacking() const { return lacking_; }

 private:
  std::vector<TaskNode> nodes_;
  std::vector<Lacking> lacking_;
  std::vector<TaskId> topo_;
};

}  // namespace ripple::graph
