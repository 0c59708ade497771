#include "graph/task_graph.h"

#include <algorithm>
#include <map>
#include <queue>

#include "graph/support/text.h"

namespace ripple::graph {
namespace {

struct Builder {
  const Workspace& ws;
  std::vector<TaskNode> nodes;
  std::map<std::pair<std::uint32_t, std::string>, TaskId> index;
  std::vector<std::pair<TaskId, const TaskSpec*>> pending;

  TaskId intern(ServiceId service, const std::string& task) {
    auto key = std::make_pair(service.value, task);
    auto it = index.find(key);
    if (it != index.end()) {
      return it->second;
    }
    TaskId id{static_cast<std::uint32_t>(nodes.size())};
    const ServiceSpec& spec = ws.service(service);
    nodes.push_back(TaskNode{service, task, spec.name + "#" + task, {}, false});
    index.emplace(key, id);
    pending.emplace_back(id, &spec.tasks.at(task));
    return id;
  }

  // Resolves the deps of every node added so far, adding the nodes they name, until closed.
  void close() {
    while (!pending.empty()) {
      auto [id, spec] = pending.back();
      pending.pop_back();
      ServiceId service = nodes[id.value].service;
      std::vector<TaskId> deps;
      for (const TaskDep& dep : spec->deps) {
        switch (dep.kind) {
          case TaskDep::Kind::upstream:
            for (ServiceId up : ws.graph().deps(service)) {
              if (ws.service(up).tasks.count(dep.task) > 0) {
                deps.push_back(intern(up, dep.task));
              }
            }
            break;
          case TaskDep::Kind::self:
            deps.push_back(intern(service, dep.task));  // existence checked by the Workspace
            break;
          case TaskDep::Kind::named:
            deps.push_back(intern(*ws.graph().find(dep.service), dep.task));
            break;
        }
      }
      std::sort(deps.begin(), deps.end());
      deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
      nodes[id.value].deps = std::move(deps);
    }
  }
};

// Finds a cycle with an iterative depth-first search; returns it as a closed path, or nothing.
std::vector<TaskId> find_cycle(const std::vector<TaskNode>& nodes) {
  enum Color : std::uint8_t { white, grey, black };
  std::vector<Color> color(nodes.size(), white);
  std::vector<std::uint32_t> parent(nodes.size(), UINT32_MAX);
  for (std::uint32_t root = 0; root < nodes.size(); ++root) {
    if (color[root] != white) {
      continue;
    }
    std::vector<std::pair<std::uint32_t, std::size_t>> stack{{root, 0}};
    color[root] = grey;
    while (!stack.empty()) {
      auto& [node, edge] = stack.back();
      if (edge < nodes[node].deps.size()) {
        std::uint32_t next = nodes[node].deps[edge++].value;
        if (color[next] == grey) {
          std::vector<TaskId> cycle{TaskId{next}};
          for (std::uint32_t at = node; at != next; at = parent[at]) {
            cycle.push_back(TaskId{at});
          }
          cycle.push_back(TaskId{next});
          std::reverse(cycle.begin(), cycle.end());
          return cycle;
        }
        if (color[next] == white) {
          color[next] = grey;
          parent[next] = node;
          stack.emplace_back(next, 0);
        }
        continue;
      }
      color[node] = black;
      stack.pop_back();
    }
  }
  return {};
}

}  // namespace

Result<TaskGraph> TaskGraph::build(const Workspace& ws, std::span<const ServiceId> services,
                                   std::span<const std::string> tasks) {
  Builder b{ws, {}, {}, {}};
  TaskGraph g;
  for (const std::string& task : tasks) {
    if (auto defined = check_task_defined(ws, task); !defined) {
      return tl::unexpected(defined.error());
    }
    for (ServiceId s : services) {
      if (ws.service(s).tasks.count(task) > 0) {
        TaskId id = b.intern(s, task);
        b.nodes[id.value].requested = true;
      } else {
        g.lacking_.push_back(Lacking{s, task});
      }
    }
  }
  b.close();

  if (auto cycle = find_cycle(b.nodes); !cycle.empty()) {
    std::vector<std::string> labels;
    for (TaskId id : cycle) {
      labels.push_back(b.nodes[id.value].label);
    }
    const TaskSpec& first =
        ws.service(b.nodes[cycle[0].value].service).tasks.at(b.nodes[cycle[0].value].name);
    return input_error(at(first.pos, "a cycle of tasks: " + join(labels, " -> ") +
                                         "; a task cannot wait for itself (with a service "
                                         "cycle, '^task' deps make one: drop '^' there or break "
                                         "the service cycle)"));
  }

  // Kahn's algorithm, ready tasks by (service position in the service order, task name).
  std::vector<std::uint32_t> position(ws.graph().size());
  for (std::uint32_t i = 0; i < ws.graph().topo_order().size(); ++i) {
    position[ws.graph().topo_order()[i].value] = i;
  }
  const auto& nodes = b.nodes;
  auto later = [&](TaskId a, TaskId c) {
    const TaskNode& x = nodes[a.value];
    const TaskNode& y = nodes[c.value];
    if (position[x.service.value] != position[y.service.value]) {
      return position[x.service.value] > position[y.service.value];
    }
    return x.name > y.name;
  };
  std::vector<std::size_t> waiting(nodes.size());
  std::vector<std::vector<TaskId>> dependents(nodes.size());
  std::priority_queue<TaskId, std::vector<TaskId>, decltype(later)> ready(later);
  for (std::uint32_t i = 0; i < nodes.size(); ++i) {
    waiting[i] = nodes[i].deps.size();
    for (TaskId d : nodes[i].deps) {
      dependents[d.value].push_back(TaskId{i});
    }
    if (waiting[i] == 0) {
      ready.push(TaskId{i});
    }
  }
  while (!ready.empty()) {
    TaskId id = ready.top();
    ready.pop();
    g.topo_.push_back(id);
    for (TaskId d : dependents[id.value]) {
      if (--waiting[d.value] == 0) {
        ready.push(d);
      }
    }
  }
  g.nodes_ = std::move(b.nodes);
  return g;
}

}  // namespace ripple::graph
