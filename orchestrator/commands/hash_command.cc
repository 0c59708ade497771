#include "orchestrator/commands/hash_command.h"

#include <nlohmann/json.hpp>
#include <ostream>

#include "graph/support/text.h"
#include "graph/task_graph.h"
#include "orchestrator/command_setup.h"
#include "orchestrator/input_scan.h"
#include "orchestrator/inputs/task_inputs.h"
#include "orchestrator/keep_until_exit.h"
#include "orchestrator/phase_timer.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {
namespace {

std::string mode_text(std::uint32_t mode) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06o", mode);
  return buf;
}

}  // namespace

int run_hash_command(const CommandContext& ctx, const HashOptions& options) {
  PhaseTimer timer(ctx);
  auto fail = [&](const Error& e) { return report_failure(ctx, e); };
  auto root = workspace_root_for(ctx);
  if (!root) {
    return fail(root.error());
  }
  // The files are listed while the workspace loads.
  BackgroundListing ahead(ctx, *root, options.include_worktree);
  auto loaded = load_workspace_at(ctx, *root);
  if (!loaded) {
    return fail(loaded.error());
  }
  const graph::Workspace& ws = loaded->workspace;
  timer.lap("load workspace");

  std::vector<ServiceId> selected;
  for (const std::string& name : options.services) {
    auto id = ws.graph().find(name);
    if (!id) {
      std::vector<std::string> names;
      for (const auto& s : ws.services()) {
        names.push_back(s.name);
      }
      return fail(
          Error{ErrorKind::input, "unknown service '" + name + "'" + did_you_mean(name, names)});
    }
    selected.push_back(*id);
  }
  if (selected.empty()) {
    selected.assign(ws.graph().topo_order().begin(), ws.graph().topo_order().end());
  }
  if (options.task) {
    std::vector<std::string> tasks = {*options.task};
    auto graph = graph::TaskGraph::build(ws, selected, tasks);  // only to check the name
    if (!graph) {
      return fail(graph.error());
    }
    std::erase_if(selected,
                  [&](ServiceId id) { return ws.service(id).tasks.count(*options.task) == 0; });
  }

  // A task's own inputs are chosen among the listed files, so --task needs the listing.
  auto scanned = scan_inputs(
      ctx, *loaded, options.include_worktree,
      options.files || options.task ? InputDetail::files : InputDetail::digests, &ahead);
  if (!scanned) {
    return fail(scanned.error());
  }
  const InputIndex& index = *scanned;
  timer.lap("list and identify files, digests");
  // The inputs shown for each selected service: its own, or task T's.
  std::vector<ServiceInputs> own(ws.services().size());
  auto inputs_of = [&](ServiceId id) -> const ServiceInputs& {
    if (options.task) {
      const auto& patterns = ws.service(id).tasks.at(*options.task).inputs;
      if (!patterns.empty()) {
        own[id.value] = task_input_files(ws, index, id, patterns);
        return own[id.value];
      }
    }
    return index.services[id.value];
  };

  if (options.format == "json") {
    nlohmann::ordered_json services = nlohmann::ordered_json::array();
    for (ServiceId id : selected) {
      nlohmann::ordered_json s;
      const ServiceInputs& inputs = inputs_of(id);
      s["name"] = ws.service(id).name;
      s["dir"] = ws.service(id).dir.str();
      if (options.task) {
        s["task"] = *options.task;
      }
      s["digest"] = inputs.digest.hex();
      if (options.files) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (std::size_t i : inputs.files) {
          const InputFile& f = index.file(i);
          list.push_back({{"path", f.path},
                          {"mode", mode_text(f.mode)},
                          {"id", f.id},
                          {"source", file_source_name(f.source)}});
        }
        s["files"] = std::move(list);
      }
      services.push_back(std::move(s));
    }
    nlohmann::ordered_json doc;
    doc["version"] = 1;
    doc["global_digest"] = index.global_digest.hex();
    doc["services"] = std::move(services);
    ctx.out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    keep_until_exit(loaded);
    keep_until_exit(scanned);
    return 0;
  }
  for (ServiceId id : selected) {
    const ServiceInputs& inputs = inputs_of(id);
    ctx.out << inputs.digest.hex() << "  " << ws.service(id).name
            << (options.task ? "#" + *options.task : std::string()) << "\n";
    if (options.files) {
      for (std::size_t i : inputs.files) {
        const InputFile& f = index.file(i);
        ctx.out << "    " << mode_text(f.mode) << " " << f.id << " " << file_source_name(f.source)
                << "\t" << f.path << "\n";
      }
    }
  }
  keep_until_exit(loaded);
  keep_until_exit(scanned);
  return 0;
}

}  // namespace ripple
