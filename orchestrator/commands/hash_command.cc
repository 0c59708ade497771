#include "orchestrator/commands/hash_command.h"

#include <nlohmann/json.hpp>
#include <ostream>

#include "graph/support/text.h"
#include "orchestrator/command_support.h"
#include "orchestrator/input_scan.h"
#include "orchestrator/phase_timer.h"
#include "orchestrator/process_lifetime.h"
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
  FilesAhead ahead(ctx, *root, options.include_worktree);
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

  auto scanned = scan_inputs(ctx, *loaded, options.include_worktree,
                             options.files ? InputDetail::files : InputDetail::digests, &ahead);
  if (!scanned) {
    return fail(scanned.error());
  }
  const InputIndex& index = *scanned;
  timer.lap("list and identify files, digests");

  if (options.format == "json") {
    nlohmann::ordered_json services = nlohmann::ordered_json::array();
    for (ServiceId id : selected) {
      nlohmann::ordered_json s;
      s["name"] = ws.service(id).name;
      s["dir"] = ws.service(id).dir.str();
      s["digest"] = index.services[id.value].digest.hex();
      if (options.files) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (std::size_t i : index.services[id.value].files) {
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
    ctx.out << index.services[id.value].digest.hex() << "  " << ws.service(id).name << "\n";
    if (options.files) {
      for (std::size_t i : index.services[id.value].files) {
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
