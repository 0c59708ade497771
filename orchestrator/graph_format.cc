#include "orchestrator/graph_format.h"

#include <nlohmann/json.hpp>

namespace ripple {
namespace {

bool is_marked(const std::vector<bool>& marked, ServiceId id) {
  return id.value < marked.size() && marked[id.value];
}

std::vector<std::string> names_of(const graph::ServiceGraph& g, std::span<const ServiceId> ids) {
  std::vector<std::string> out;
  for (ServiceId id : ids) {
    out.push_back(g.name(id));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Quotes a Graphviz ID.
std::string dot_id(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string format_graph_text(const graph::Workspace& ws, const std::vector<bool>& marked) {
  const auto& g = ws.graph();
  std::string out;
  for (ServiceId id : g.topo_order()) {
    out += g.name(id);
    if (is_marked(marked, id)) {
      out += " *";
    }
    auto deps = names_of(g, g.deps(id));
    if (!deps.empty()) {
      out += ": ";
      for (std::size_t i = 0; i < deps.size(); ++i) {
        out += (i > 0 ? ", " : "") + deps[i];
      }
    }
    out += '\n';
  }
  return out;
}

std::string format_graph_explain(const graph::Workspace& ws, const std::vector<bool>& marked) {
  const auto& g = ws.graph();
  std::string out;
  for (ServiceId id : g.topo_order()) {
    const graph::ServiceSpec& spec = ws.service(id);
    out += spec.name + (is_marked(marked, id) ? " *" : "") + "  " +
           (spec.dir.str().empty() ? "." : spec.dir.str()) + "  (" + format_pos(spec.pos) + ")\n";
    for (std::size_t i = 0; i < spec.deps.size(); ++i) {
      out += "  -> " + g.name(spec.deps[i]) +
             (i < spec.dep_pos.size() ? "  (" + format_pos(spec.dep_pos[i]) + ")" : "") + "\n";
    }
    if (!(spec.inputs.size() == 1 && spec.inputs[0] == "**")) {
      out += "  inputs:";
      for (const std::string& input : spec.inputs) {
        out += " " + input;
      }
      out += "\n";
    }
  }
  return out;
}

std::string format_graph_json(const graph::Workspace& ws, const std::vector<bool>& marked) {
  const auto& g = ws.graph();
  nlohmann::ordered_json services = nlohmann::ordered_json::array();
  for (ServiceId id : g.topo_order()) {
    const graph::ServiceSpec& spec = ws.service(id);
    nlohmann::ordered_json s;
    s["name"] = spec.name;
    s["dir"] = spec.dir.str();
    s["deps"] = names_of(g, g.deps(id));
    s["dependents"] = names_of(g, g.dependents(id));
    nlohmann::ordered_json tasks = nlohmann::ordered_json::object();
    for (const auto& [name, task] : spec.tasks) {
      nlohmann::ordered_json t;
      t["run"] = task.run;
      std::vector<std::string> deps;
      for (const auto& d : task.deps) {
        deps.push_back(d.spelling());
      }
      t["deps"] = deps;
      t["outputs"] = task.outputs;
      tasks[name] = t;
    }
    s["tasks"] = tasks;
    if (spec.image) {
      s["image"] = {{"name", spec.image->name},
                    {"dockerfile", spec.image->dockerfile},
                    {"context", spec.image->context}};
    } else {
      s["image"] = nullptr;
    }
    if (!marked.empty()) {
      s["affected"] = is_marked(marked, id);
    }
    services.push_back(std::move(s));
  }
  nlohmann::ordered_json cycles = nlohmann::ordered_json::array();
  for (const auto& component : g.cycles()) {
    std::vector<std::string> members;
    for (ServiceId id : component) {
      members.push_back(g.name(id));
    }
    cycles.push_back(members);
  }
  nlohmann::ordered_json doc;
  doc["version"] = 1;
  doc["services"] = std::move(services);
  doc["cycles"] = std::move(cycles);
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string format_graph_dot(const graph::Workspace& ws, const std::vector<bool>& marked) {
  const auto& g = ws.graph();
  std::string out = "digraph ripple {\n  rankdir=LR;\n  node [shape=box];\n";
  for (ServiceId id : g.topo_order()) {
    out += "  " + dot_id(g.name(id));
    if (is_marked(marked, id)) {
      out += " [style=filled, fillcolor=\"#ffd27f\"]";
    }
    out += ";\n";
  }
  for (ServiceId id : g.topo_order()) {
    for (const std::string& dep : names_of(g, g.deps(id))) {
      out += "  " + dot_id(g.name(id)) + " -> " + dot_id(dep) + ";\n";
    }
  }
  return out + "}\n";
}

}  // namespace ripple
