#pragma once

// `ripple graph [--format text|json|dot] [--affected]`: loads the workspace and prints its
// service graph, optionally marking the services a change affects.

#include <string>

#include "orchestrator/change_detection.h"
#include "orchestrator/context.h"

namespace ripple {

struct GraphOptions {
  std::string format = "text";  // text | json | dot
  bool explain = false;         // text only: where each service and edge came from
  bool affected = false;        // mark the affected services (needs git)
  AffectedOptions detection;    // how to find them
};

// Returns the process exit code; errors and warnings go to ctx.reporter.
int run_graph_command(const CommandContext& ctx, const GraphOptions& options);

}  // namespace ripple
