#include "orchestrator/commands/graph_command.h"

#include <ostream>

#include "orchestrator/affected_scan.h"
#include "orchestrator/command_setup.h"
#include "orchestrator/graph_format.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {

int run_graph_command(const CommandContext& ctx, const GraphOptions& options) {
  if (options.explain && options.format != "text") {
    return report_failure(
        ctx,
        Error{ErrorKind::input, "--explain prints text; leave out --format " + options.format});
  }
  // Either the whole graph, or the graph with the affected services marked.
  std::optional<AffectedRun> run;
  std::optional<LoadedWorkspace> loaded;
  if (options.affected) {
    auto r = load_and_detect(ctx, options.detection);
    if (!r) {
      return report_failure(ctx, r.error());
    }
    run = std::move(*r);
  } else {
    auto l = load_workspace_for(ctx);
    if (!l) {
      return report_failure(ctx, l.error());
    }
    loaded = std::move(*l);
  }
  const graph::Workspace& ws = run ? run->loaded.workspace : loaded->workspace;
  const std::vector<bool> mask = run ? run->report.set.mask : std::vector<bool>();
  if (options.format == "json") {
    ctx.out << format_graph_json(ws, mask);
  } else if (options.format == "dot") {
    ctx.out << format_graph_dot(ws, mask);
  } else if (options.explain) {
    ctx.out << format_graph_explain(ws, mask);
  } else {
    ctx.out << format_graph_text(ws, mask);
  }
  return 0;
}

}  // namespace ripple
