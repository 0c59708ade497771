#pragma once

// `ripple affected`: the services a change can touch, with the reason for each.

#include <string>

#include "orchestrator/change_detection.h"
#include "orchestrator/context.h"

namespace ripple {

struct AffectedCommandOptions {
  AffectedOptions detection;
  std::string format = "text";  // text | json | github-matrix
  bool explain = false;         // one sentence per service instead of names (text only)
  bool files = false;           // also list changed files and what they affected (stderr)
};

int run_affected_command(const CommandContext& ctx, const AffectedCommandOptions& options);

// Loads the workspace at ctx, opens its git repository and detects the affected set; on error
// reports it and returns the exit code instead.
struct AffectedRun {
  LoadedWorkspace loaded;
  AffectedReport report;
};
Result<AffectedRun> load_and_detect(const CommandContext& ctx, const AffectedOptions& options);

}  // namespace ripple
