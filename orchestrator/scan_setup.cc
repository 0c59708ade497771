#include "orchestrator/scan_setup.h"

#include "orchestrator/state_dir.h"

namespace ripple {

Status prepare_worktree_scan(const CommandContext& ctx, const std::string& root,
                             const std::string& fsmonitor, git::GitVcs& vcs) {
  const std::string state_dir = ensure_state_dir(root);
  vcs.use_listing_cache(listing_snapshot_path(state_dir));

  std::string mode = fsmonitor;
  if (auto env = ctx.env ? ctx.env("RIPPLE_FSMONITOR") : std::nullopt; env && !env->empty()) {
    if (*env != "watchman" && *env != "off") {
      return input_error("RIPPLE_FSMONITOR must be watchman or off, not '" + *env + "'");
    }
    mode = *env;
  }
  if (mode != "watchman") {
    return {};
  }
  git::FsMonitorOptions options;
  options.state_path = fsmonitor_state_path(state_dir);
  if (auto sock = ctx.env ? ctx.env("WATCHMAN_SOCK") : std::nullopt) {
    options.socket = *sock;
  }
  Reporter& reporter = ctx.reporter;
  options.warn = [&reporter](const std::string& text) { reporter.warning(text); };
  if (ctx.env && ctx.env("RIPPLE_TIMING")) {
    options.trace = [&reporter](const std::string& text) { reporter.info(text); };
  }
  vcs.use_fsmonitor(std::move(options));
  return {};
}

}  // namespace ripple
