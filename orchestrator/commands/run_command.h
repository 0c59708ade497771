#pragma once

// `ripple run` (docs/cli.md): the tasks asked for, run as run/run_tasks.h says.

#include "orchestrator/context.h"
#include "orchestrator/run/run_tasks.h"

namespace ripple {

int run_run_command(const CommandContext& ctx, const RunOptions& options);

}  // namespace ripple
