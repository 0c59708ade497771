#include "orchestrator/commands/hash_command.h"

#include <boost/filesystem.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "graph/support/text.h"
#include "orchestrator/git/git_blob_hasher.h"
#include "orchestrator/git/git_vcs.h"
#include "orchestrator/input_index.h"
#include "orchestrator/phase_timer.h"
#include "orchestrator/platform/tree_walk.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {
namespace {

std::string mode_text(std::uint32_t mode) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06o", mode);
  return buf;
}

// The stat cache is an optimisation: when it cannot be opened (another ripple holds it, a
// read-only disk) hashing goes on without it, after one warning.
std::unique_ptr<cache::StatCache> open_stat_cache(const std::string& root, Reporter& reporter) {
  std::string dir = root + "/.ripple/state";
  boost::system::error_code ec;
  boost::filesystem::create_directories(dir, ec);
  auto cache = cache::StatCache::open(dir);
  if (!cache) {
    reporter.warning(cache.error().message + "; hashing without it");
    return nullptr;
  }
  return std::move(*cache);
}

}  // namespace

int run_hash_command(const CommandContext& ctx, const HashOptions& options) {
  PhaseTimer timer(ctx);
  auto fail = [&](const Error& e) {
    ctx.reporter.error(e.message);
    return exit_code_for(e.kind);
  };
  auto root = find_workspace_root(ctx.fs, ctx.start_dir);
  if (!root) {
    return fail(root.error());
  }
  auto loaded = load_workspace(ctx.fs, *root);
  if (!loaded) {
    return fail(loaded.error());
  }
  for (const auto& w : loaded->warnings) {
    ctx.reporter.warning(w.message);
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

  auto stat_cache = open_stat_cache(*root, ctx.reporter);
  Result<std::vector<FileRecord>> files = std::vector<FileRecord>();
  if (auto vcs = git::GitVcs::open(*root)) {
    git::GitBlobHasher hasher;
    files = (*vcs)->files(stat_cache.get(), hasher);
  } else {
    Xxh3FileHasher hasher;
    files = walk_files(*root, stat_cache.get(), hasher);
  }
  if (!files) {
    return fail(files.error());
  }
  timer.lap("list and identify files");
  if (stat_cache) {
    if (auto st = stat_cache->flush(); !st) {
      ctx.reporter.warning(st.error().message);
    }
  }
  InputIndex index = build_input_index(ws, std::move(*files));
  timer.lap("input index and digests");

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
          const FileRecord& f = index.files[i];
          list.push_back({{"path", f.path.str()},
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
    ctx.out << doc.dump(2) << "\n";
    return 0;
  }
  for (ServiceId id : selected) {
    ctx.out << index.services[id.value].digest.hex() << "  " << ws.service(id).name << "\n";
    if (options.files) {
      for (std::size_t i : index.services[id.value].files) {
        const FileRecord& f = index.files[i];
        ctx.out << "    " << mode_text(f.mode) << " " << f.id << " " << file_source_name(f.source)
                << "\t" << f.path.str() << "\n";
      }
    }
  }
  return 0;
}

}  // namespace ripple
