#pragma once

// `ripple graph [--format text|json|dot]`: loads the workspace and prints its service graph.

#include <string>

#include "orchestrator/context.h"

namespace ripple {

struct GraphOptions {
  std::string format = "text";  // text | json | dot
};

// Returns the process exit code; errors and warnings go to ctx.reporter.
int run_graph_command(const CommandContext& ctx, const GraphOptions& options);

}  // namespace ripple
