#include "orchestrator/command_setup.h"

#include <boost/filesystem.hpp>

#include "graph/config_codec.h"
#include "orchestrator/state_dir.h"

namespace ripple {

Result<LoadedWorkspace> load_workspace_for(const CommandContext& ctx) {
  auto root = workspace_root_for(ctx);
  if (!root) {
    return tl::unexpected(root.error());
  }
  return load_workspace_at(ctx, *root);
}

Result<std::string> workspace_root_for(const CommandContext& ctx) {
  return find_workspace_root(ctx.fs, ctx.start_dir);
}

Result<LoadedWorkspace> load_workspace_at(const CommandContext& ctx, const std::string& root) {
  // Parsed service.yaml files are remembered across runs by their stat data (stat_snapshot.h).
  std::string state = ensure_state_dir(root);
  StatSnapshot configs(service_configs_snapshot_path(state), graph::kServiceConfigCodecVersion);
  auto loaded = load_workspace(ctx.fs, root, &configs);
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  if (auto problem = state_dir_problem(root)) {
    ctx.reporter.warning(*problem);  // once, naming the cause, instead of each file's ENOENT
  } else if (auto st = configs.save(); !st) {
    ctx.reporter.warning(st.error().message + "; service.yaml files will be parsed again");
  }
  for (const auto& w : loaded->warnings) {
    ctx.reporter.warning(w.message);
  }
  return loaded;
}

std::string local_cache_dir(const LoadedWorkspace& loaded) {
  std::string dir = loaded.workspace.config().cache.dir;
  return !dir.empty() && dir.front() == '/' ? dir : loaded.root + "/" + dir;
}

Result<std::unique_ptr<cache::LocalStore>> open_local_cache(
    const CommandContext& ctx, const LoadedWorkspace& loaded,
    std::chrono::milliseconds lock_timeout) {
  const std::string dir = local_cache_dir(loaded);
  boost::system::error_code ec;
  boost::filesystem::create_directories(dir, ec);
  return cache::LocalStore::open(dir, lock_timeout,
                                 [&](const std::string& m) { ctx.reporter.info(m); });
}

Result<std::unique_ptr<cache::LocalStore>> open_run_cache(const CommandContext& ctx,
                                                          const LoadedWorkspace& loaded,
                                                          std::chrono::milliseconds lock_timeout) {
  const std::string dir = local_cache_dir(loaded);
  boost::system::error_code ec;
  boost::filesystem::create_directories(dir, ec);
  Reporter& reporter = ctx.reporter;
  return cache::LocalStore::open_for_run(
      dir, lock_timeout, [&reporter](const std::string& m) { reporter.info(m); },
      [&reporter](const std::string& m) { reporter.warning(m); });
}

int report_failure(const CommandContext& ctx, const Error& error) {
  ctx.reporter.error(error.message);
  return exit_code_for(error.kind);
}

}  // namespace ripple
