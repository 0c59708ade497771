#include "orchestrator/commands/prune_command.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>

#include "graph/input_matcher.h"
#include "graph/support/text.h"
#include "orchestrator/command_setup.h"
#include "orchestrator/input_scan.h"
#include "orchestrator/keep_until_exit.h"
#include "orchestrator/prune_set.h"
#include "orchestrator/pruned_tree.h"
#include "orchestrator/service_parts.h"

namespace ripple {
namespace {

// DIR must be absent or an empty directory.
Status check_out_empty(const Filesystem& fs, const std::string& out, const std::string& given) {
  const FileKind kind = fs.kind(out);
  if (kind == FileKind::missing) {
    return {};
  }
  if (kind != FileKind::directory) {
    return input_error("--out " + given + ": " + out +
                       " exists and is not a directory; choose a new or empty directory");
  }
  auto entries = fs.list_dir(out);
  if (!entries) {
    return tl::unexpected(entries.error());
  }
  if (!entries->empty()) {
    return input_error("--out " + given + ": " + out + " is not empty (" +
                       std::to_string(entries->size()) +
                       " entries); remove it first, or choose a new or empty directory: the "
                       "pruned tree must hold nothing else");
  }
  return {};
}

// Inside the workspace, none of the files written may become an input: the next key would stand
// on the pruned copy.
Status check_out_not_input(const graph::Workspace& ws, const std::string& root,
                           const std::string& out, const std::string& given, const PruneSet& set) {
  const std::string rel = std::filesystem::path(out).lexically_relative(root).generic_string();
  if (rel.empty() || rel == "." || rel == ".." || rel.starts_with("../")) {
    return {};  // outside (or the root itself, which is never empty)
  }
  const graph::InputMatcher matcher(ws);
  std::vector<ServiceId> services;
  for (const PrunedFile& f : set.files) {
    for (const char* half : {"json", "full"}) {
      if (std::string_view(half) == "json" && !goes_to_json(f)) {
        continue;
      }
      const std::string path = rel + "/" + half + "/" + f.path;
      if (matcher.ignored(path)) {
        continue;
      }
      std::string whose;
      if (matcher.global(path)) {
        whose = "a global input";
      } else {
        matcher.services_for(path, matcher.owner(path), services);
        if (services.empty()) {
          continue;
        }
        whose = "an input of service '" + ws.service(services.front()).name + "'";
      }
      return input_error("--out " + given + ": " + path + " would be " + whose +
                         "; choose a directory outside the workspace, or add '" + rel +
                         "/**' to `ignore:` in ripple.yaml");
    }
  }
  return {};
}

std::string summary(const graph::Workspace& ws, std::span<const ServiceId> seeds,
                    std::size_t included, const PrunedCounts& counts) {
  std::vector<std::string> names;
  for (ServiceId id : seeds) {
    names.push_back(ws.service(id).name);
  }
  const std::size_t deps = included - seeds.size();
  return "pruned " + join(names, ", ") + " (+" + std::to_string(deps) +
         (deps == 1 ? " dependency" : " dependencies") + "): " + std::to_string(counts.json) +
         " files in json/, " + std::to_string(counts.full) + " in full/";
}

}  // namespace

int run_prune_command(const CommandContext& ctx, const PruneOptions& options) {
  auto fail = [&](const Error& e) { return report_failure(ctx, e); };
  auto root = workspace_root_for(ctx);
  if (!root) {
    return fail(root.error());
  }
  BackgroundListing ahead(ctx, *root, true);
  auto loaded = load_workspace_at(ctx, *root);
  if (!loaded) {
    return fail(loaded.error());
  }
  const graph::Workspace& ws = loaded->workspace;

  std::vector<ServiceId> seeds;
  for (const std::string& name : options.services) {
    auto id = ws.graph().find(name);
    if (!id) {
      std::vector<std::string> names;
      for (const auto& s : ws.services()) {
        names.push_back(s.name);
      }
      return fail(Error{ErrorKind::input, "unknown service '" + name + "'" +
                                              did_you_mean(name, names) +
                                              "; `ripple graph` lists the services"});
    }
    if (std::find(seeds.begin(), seeds.end(), *id) == seeds.end()) {
      seeds.push_back(*id);
    }
  }
  const std::string out =
      std::filesystem::path(options.out.starts_with("/") ? options.out
                                                         : path_join(ctx.start_dir, options.out))
          .lexically_normal()
          .generic_string();
  const std::string out_dir =
      out.size() > 1 && out.ends_with("/") ? out.substr(0, out.size() - 1) : out;
  if (auto st = check_out_empty(ctx.fs, out_dir, options.out); !st) {
    return fail(st.error());
  }

  auto index = scan_inputs(ctx, *loaded, true, InputDetail::files, &ahead);
  if (!index) {
    return fail(index.error());
  }
  const std::vector<PartDigests> parts = service_parts(ws, work_tree_reader(ctx.fs, *root));
  auto set = prune_set(ctx.fs, *loaded, *index, seeds, parts);
  if (!set) {
    return fail(set.error());
  }
  // The workspace root as the filesystem spells it, for a DIR under a symlinked path.
  const std::string real_root = ctx.fs.resolve(*root).value_or(*root);
  std::string real_out = out_dir;
  if (auto resolved = ctx.fs.resolve(out_dir)) {
    real_out = *resolved;
  } else if (auto parent = ctx.fs.resolve(std::filesystem::path(out_dir).parent_path())) {
    real_out = path_join(*parent, std::filesystem::path(out_dir).filename().string());
  }
  if (auto st = check_out_not_input(ws, real_root, real_out, options.out, *set); !st) {
    return fail(st.error());
  }
  for (const std::string& path : set->submodules) {
    ctx.reporter.warning("left out " + path +
                         ": it is a git submodule, which ripple docker prune cannot copy");
  }

  auto counts = write_pruned_tree(*root, *set, out_dir);
  if (!counts) {
    return fail(counts.error());
  }
  ctx.reporter.info(summary(ws, seeds, set->services.size(), *counts));
  if (options.format == PruneFormat::json) {
    nlohmann::ordered_json doc;
    doc["version"] = 1;
    doc["out"] = out_dir;
    nlohmann::ordered_json services = nlohmann::ordered_json::array();
    nlohmann::ordered_json deps = nlohmann::ordered_json::array();
    for (ServiceId id : set->services) {
      const bool seed = std::find(seeds.begin(), seeds.end(), id) != seeds.end();
      (seed ? services : deps).push_back(ws.service(id).name);
    }
    doc["services"] = std::move(services);
    doc["dependencies"] = std::move(deps);
    nlohmann::ordered_json json = nlohmann::ordered_json::array();
    nlohmann::ordered_json full = nlohmann::ordered_json::array();
    for (const PrunedFile& f : set->files) {
      if (goes_to_json(f)) {
        json.push_back(f.path);
      }
      full.push_back(f.path);
    }
    doc["json"] = std::move(json);
    doc["full"] = std::move(full);
    doc["submodules"] = set->submodules;
    ctx.out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  keep_until_exit(loaded);
  keep_until_exit(index);
  return 0;
}

}  // namespace ripple
