#include "orchestrator/commands/run_command.h"

#include <nlohmann/json.hpp>
#include <ostream>

#include "graph/support/text.h"
#include "graph/task_graph.h"
#include "orchestrator/commands/affected_command.h"
#include "orchestrator/input_scan.h"
#include "orchestrator/phase_timer.h"
#include "orchestrator/task_key.h"

namespace ripple {

int run_run_command(const CommandContext& ctx, const RunOptions& options) {
  auto fail = [&](const Error& e) {
    ctx.reporter.error(e.message);
    return exit_code_for(e.kind);
  };
  if (options.dry_run.empty()) {
    return fail(Error{ErrorKind::input,
                      "executing tasks is not built yet; `ripple run ... --dry-run` prints the "
                      "plan and the task keys"});
  }
  PhaseTimer timer(ctx);
  std::string selection = options.selection;
  if (selection.empty()) {
    selection = ctx.env("CI").has_value() ? "affected" : "all";
  }

  // The services whose tasks were asked for.
  std::optional<LoadedWorkspace> loaded;
  std::vector<ServiceId> services;
  if (selection == "affected") {
    auto run = load_and_detect(ctx, options.detection);
    if (!run) {
      return fail(run.error());
    }
    for (const auto& s : run->report.set.services) {
      if (s.id) {
        services.push_back(*s.id);
      }
    }
    loaded = std::move(run->loaded);
  } else {
    auto root = find_workspace_root(ctx.fs, ctx.start_dir);
    if (!root) {
      return fail(root.error());
    }
    auto l = load_workspace(ctx.fs, *root);
    if (!l) {
      return fail(l.error());
    }
    for (const auto& w : l->warnings) {
      ctx.reporter.warning(w.message);
    }
    loaded = std::move(*l);
    const auto& g = loaded->workspace.graph();
    if (selection == "all") {
      services.assign(g.topo_order().begin(), g.topo_order().end());
    } else {
      std::vector<std::string> names;
      for (const auto& s : loaded->workspace.services()) {
        names.push_back(s.name);
      }
      for (const std::string& name : options.only) {
        auto id = g.find(name);
        if (!id) {
          return fail(Error{ErrorKind::input,
                            "--only: unknown service '" + name + "'" + did_you_mean(name, names)});
        }
        services.push_back(*id);
      }
    }
  }
  const graph::Workspace& ws = loaded->workspace;
  timer.lap("select services");

  auto tasks = graph::TaskGraph::build(ws, services, options.tasks);
  if (!tasks) {
    return fail(tasks.error());
  }
  auto inputs = scan_inputs(ctx, *loaded, options.detection.include_worktree);
  if (!inputs) {
    return fail(inputs.error());
  }
  std::vector<TaskKey> keys = compute_task_keys(ws, *tasks, *inputs, ctx.env);
  timer.lap("task graph, inputs and keys");

  if (options.dry_run == "json") {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (graph::TaskId id : tasks->topo_order()) {
      const graph::TaskNode& n = tasks->node(id);
      const graph::TaskSpec& spec = ws.service(n.service).tasks.at(n.name);
      std::vector<std::string> deps;
      for (graph::TaskId d : n.deps) {
        deps.push_back(tasks->node(d).label);
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
                      {"manifest", nlohmann::json::parse(keys[id.value].manifest)}});
    }
    nlohmann::ordered_json doc;
    doc["version"] = 1;
    doc["tasks"] = std::move(list);
    ctx.out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  for (graph::TaskId id : tasks->topo_order()) {
    const graph::TaskNode& n = tasks->node(id);
    const graph::TaskSpec& spec = ws.service(n.service).tasks.at(n.name);
    ctx.out << n.label << "  " << keys[id.value].key.substr(0, 16) << "  "
            << (spec.run.empty() ? "(no command)" : spec.run) << (n.requested ? "" : "  [dep]")
            << "\n";
  }
  return 0;
}

}  // namespace ripple
