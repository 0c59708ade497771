#include "orchestrator/command_support.h"

namespace ripple {

Result<LoadedWorkspace> load_workspace_for(const CommandContext& ctx) {
  auto root = find_workspace_root(ctx.fs, ctx.start_dir);
  if (!root) {
    return tl::unexpected(root.error());
  }
  auto loaded = load_workspace(ctx.fs, *root);
  if (!loaded) {
    return tl::unexpected(loaded.error());
  }
  for (const auto& w : loaded->warnings) {
    ctx.reporter.warning(w.message);
  }
  return loaded;
}

int report_failure(const CommandContext& ctx, const Error& error) {
  ctx.reporter.error(error.message);
  return exit_code_for(error.kind);
}

}  // namespace ripple
