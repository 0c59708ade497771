#include "orchestrator/commands/graph_command.h"

#include <ostream>

#include "orchestrator/commands/affected_command.h"
#include "orchestrator/graph_format.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {

int run_graph_command(const CommandContext& ctx, const GraphOptions& options) {
  if (options.affected) {
    auto run = load_and_detect(ctx, options.detection);
    if (!run) {
      ctx.reporter.error(run.error().message);
      return exit_code_for(run.error().kind);
    }
    const auto& ws = run->loaded.workspace;
    const auto& mask = run->report.set.mask;
    if (options.format == "json") {
      ctx.out << format_graph_json(ws, mask);
    } else if (options.format == "dot") {
      ctx.out << format_graph_dot(ws, mask);
    } else {
      ctx.out << format_graph_text(ws, mask);
    }
    return 0;
  }
  auto root = find_workspace_root(ctx.fs, ctx.start_dir);
  if (!root) {
    ctx.reporter.error(root.error().message);
    return exit_code_for(root.error().kind);
  }
  auto loaded = load_workspace(ctx.fs, *root);
  if (!loaded) {
    ctx.reporter.error(loaded.error().message);
    return exit_code_for(loaded.error().kind);
  }
  for (const auto& w : loaded->warnings) {
    ctx.reporter.warning(w.message);
  }
  if (options.format == "json") {
    ctx.out << format_graph_json(loaded->workspace);
  } else if (options.format == "dot") {
    ctx.out << format_graph_dot(loaded->workspace);
  } else {
    ctx.out << format_graph_text(loaded->workspace);
  }
  return 0;
}

}  // namespace ripple
