#include "orchestrator/inputs/task_key.h"

#include <sys/utsname.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "cache/digest.h"
#include "orchestrator/inputs/task_inputs.h"

namespace ripple {

std::string platform_name() {
  struct utsname u;
  if (uname(&u) != 0) {
    return "unknown";
  }
  std::string os = u.sysname;
  std::transform(os.begin(), os.end(), os.begin(), [](unsigned char c) { return std::tolower(c); });
  return os + "-" + u.machine;
}

std::vector<TaskKey> compute_task_keys(const graph::Workspace& ws, const graph::TaskGraph& tasks,
                                       const InputIndex& inputs,
                                       std::span<const std::optional<ServiceInputs>> own_inputs,
                                       const EnvLookup& env, std::span<const KeyParts> parts) {
  std::vector<TaskKey> keys(tasks.size());
  const std::string platform = platform_name();
  for (graph::TaskId id : tasks.topo_order()) {
    const graph::TaskNode& node = tasks.node(id);
    const graph::ServiceSpec& service = ws.service(node.service);
    const graph::TaskSpec& spec = service.tasks.at(node.name);

    std::set<std::string> env_names;
    for (const auto& e : ws.config().env) {
      env_names.insert(e.value);
    }
    env_names.insert(service.env.begin(), service.env.end());
    env_names.insert(spec.env.begin(), spec.env.end());
    nlohmann::json env_values = nlohmann::json::object();
    for (const std::string& name : env_names) {
      auto value = env(name);
      env_values[name] = value ? nlohmann::json(*value) : nlohmann::json(nullptr);
    }
    nlohmann::json deps = nlohmann::json::object();
    for (graph::TaskId dep : node.deps) {
      deps[tasks.node(dep).label] = keys[dep.value].key;
    }
    std::vector<std::string> outputs = spec.outputs;
    std::sort(outputs.begin(), outputs.end());

    // nlohmann::json keeps object keys sorted, so dump() is canonical.
    nlohmann::json manifest = {
        {"version", kTaskKeyVersion},
        {"service", service.name},
        {"task", node.name},
        {"command", spec.run},
        {"env", env_values},
        {"inputs", inputs_of_task(inputs, own_inputs, tasks, id).digest.hex()},
        {"deps", deps},
        {"outputs", outputs},
        {"platform", platform}};
    if (node.service.value < parts.size() && !parts[node.service.value].empty()) {
      manifest["parts"] = parts[node.service.value];
    }
    keys[id.value].manifest =
        manifest.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    keys[id.value].key = cache::sha256_hex(keys[id.value].manifest);
  }
  return keys;
}

}  // namespace ripple
