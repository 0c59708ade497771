#include "orchestrator/workspace_vcs.h"

#include "orchestrator/git/git_blob_hasher.h"
#include "orchestrator/git/git_vcs.h"
#include "orchestrator/state_dir.h"

namespace ripple {
namespace {

// Sets `vcs` up for scanning the work tree of `root` (see the header).
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

}  // namespace

bool inside_git_work_tree(const std::string& root) { return git::GitVcs::inside_work_tree(root); }

Result<WorkspaceVcs> open_workspace_vcs(const CommandContext& ctx, const std::string& root,
                                        const VcsUse& use) {
  auto vcs = git::GitVcs::open(root);
  if (!vcs) {
    return tl::unexpected(vcs.error());
  }
  std::unique_ptr<cache::StatCache> stat_cache;
  if (use.scan_worktree) {
    if (auto st = prepare_worktree_scan(ctx, root, use.fsmonitor, **vcs); !st) {
      return tl::unexpected(st.error());
    }
    stat_cache = cache::StatCache::open_when_needed(ensure_state_dir(root));
    (*vcs)->use_stat_cache(stat_cache.get());
  }
  return WorkspaceVcs{std::make_unique<git::GitBlobHasher>(), std::move(stat_cache),
                      std::move(*vcs)};
}

}  // namespace ripple
