#pragma once

// `ripple run TASK... [--affected | --all | --only S,..] --dry-run[=json]`: the plan of tasks
// with their keys. Executing the plan (scheduler, processes, cache) is the next step of the
// `run` issue; without --dry-run the command says so and exits 2.

#include <string>
#include <vector>

#include "orchestrator/change_detection.h"
#include "orchestrator/context.h"

namespace ripple {

struct RunOptions {
  std::vector<std::string> tasks;
  std::string selection;  // "affected" | "all" | "only"; empty: affected in CI, all elsewhere
  std::vector<std::string> only;
  AffectedOptions detection;
  std::string dry_run;  // "" (run), "text" or "json"
};

int run_run_command(const CommandContext& ctx, const RunOptions& options);

}  // namespace ripple
