#include "orchestrator/run/plan_format.h"

#include <nlohmann/json.hpp>

namespace ripple {

const char* expectation_name(CacheExpectation e) {
  switch (e) {
    case CacheExpectation::hit:
      return "hit";
    case CacheExpectation::miss:
      return "miss";
    case CacheExpectation::never:
      return "never";
    case CacheExpectation::no_op:
      return "no-op";
  }
  return "miss";
}

std::string format_plan_text(const graph::Workspace& ws, const graph::TaskGraph& tasks,
                             const std::vector<TaskKey>& keys,
                             const std::vector<CacheExpectation>& expected) {
  std::string out;
  for (graph::TaskId id : tasks.topo_order()) {
    const graph::TaskNode& n = tasks.node(id);
    const graph::TaskSpec& spec = ws.service(n.service).tasks.at(n.name);
    out += n.label + "  " + keys[id.value].key.substr(0, 16) + "  " +
           (spec.run.empty() ? "(no command)" : spec.run) + (n.requested ? "" : "  [dep]") +
           (expected[id.value] == CacheExpectation::hit ? "  (cached)" : "") + "\n";
  }
  return out;
}

std::string format_plan_json(const graph::Workspace& ws, const graph::TaskGraph& tasks,
                             const std::vector<TaskKey>& keys,
                             const std::vector<CacheExpectation>& expected) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (graph::TaskId id : tasks.topo_order()) {
    const graph::TaskNode& n = tasks.node(id);
    const graph::TaskSpec& spec = ws.service(n.service).tasks.at(n.name);
    std::vector<std::string> deps;
    for (graph::TaskId d : n.deps) {
      deps.push_back(tasks.node(d).label);
    }
    list.push_back({{"task", n.label},
                    {"service", ws.service(n.service).name},
                    {"name", n.name},
                    {"dir", ws.service(n.service).dir.str()},
                    {"key", keys[id.value].key},
                    {"command", spec.run},
                    {"deps", deps},
                    {"outputs", spec.outputs},
                    {"requested", n.requested},
                    {"cache", expectation_name(expected[id.value])},
                    {"manifest", nlohmann::json::parse(keys[id.value].manifest)}});
  }
  nlohmann::ordered_json doc;
  doc["version"] = 1;
  doc["tasks"] = std::move(list);
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace ripple
