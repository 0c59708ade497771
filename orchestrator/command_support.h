#pragma once

// What every command does first: find the workspace from the start directory, load it and
// report its warnings; and how every command turns an error into its exit code.

#include "orchestrator/context.h"
#include "orchestrator/workspace_loader.h"

namespace ripple {

// The workspace at or above ctx.start_dir, loaded, its warnings handed to ctx.reporter.
Result<LoadedWorkspace> load_workspace_for(const CommandContext& ctx);

// Reports `error` and returns the exit code for its kind.
int report_failure(const CommandContext& ctx, const Error& error);

}  // namespace ripple
